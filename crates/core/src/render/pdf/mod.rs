//! PDF rendering with embedded Typst.
