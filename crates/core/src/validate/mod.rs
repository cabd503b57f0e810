//! Data-quality rules (`gonggu check`).
