//! Talking to the host application's backend: JSON calls with a time limit,
//! cancellation and bounded retries, answers read into the contract's own
//! types ([`client`]), and nonces ([`nonce`]).
pub mod client;
pub mod nonce;

pub use client::{Fail, HostClient};
pub use nonce::fetch_nonce;
