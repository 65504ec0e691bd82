//! Account store of the Baton engine: read and commit traits, in-memory store, state hash, snapshots
