//! Talking to the host application's backend: JSON calls with a time limit,
//! cancellation and bounded retries ([`client`]), the contract's shapes read
//! from its answers ([`shapes`]), and nonces ([`nonce`]).
pub mod client;
pub mod nonce;
pub mod shapes;

pub use client::{Fail, HostClient};
pub use nonce::fetch_nonce;
