//! Loom models of Baton's concurrent core
