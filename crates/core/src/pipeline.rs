//! Pipeline assembly (placeholder until the engine lands).
