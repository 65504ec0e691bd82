//! Builtin programs of the Baton engine: system program, token, examples
