//! TODO(skeleton): config.
