//! TODO(skeleton): demo.
