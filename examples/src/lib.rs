//! Embedding examples for Baton
