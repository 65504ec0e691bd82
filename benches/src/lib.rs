//! Seeded workload generators and criterion benches for Baton
