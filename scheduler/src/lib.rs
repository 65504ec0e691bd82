//! Parallel scheduler of the Baton engine: lock sets and conflict-free dispatch on rayon
