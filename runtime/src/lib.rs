//! Baton: a multithreaded batch execution engine for Solana-style transactions
