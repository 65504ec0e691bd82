//! PDAs
