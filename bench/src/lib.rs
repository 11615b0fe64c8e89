//! Load for the benchmark command (`scripts/bench.sh`): the reference
//! backend's nonce endpoint against the CxReports nonce endpoint it calls,
//! each at a fixed request rate from this process, on loopback only. The
//! difference is what the backend adds to every nonce a widget asks for.
pub mod load;
pub mod stats;
pub mod targets;
