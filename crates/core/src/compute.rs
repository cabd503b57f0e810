//! TODO(skeleton): compute.
