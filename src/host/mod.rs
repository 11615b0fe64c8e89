//! Talking to the host application's backend: JSON calls with a time limit,
//! cancellation and bounded retries, answers read into the contract's own
//! types ([`client`]) with the widget's own [`headers`], nonces ([`nonce`]), lists shared by the page's widgets ([`shared`]), and the requests the loader sent
//! before the widget was ready ([`early`]).
pub mod client;
pub mod early;
pub mod headers;
pub mod nonce;
pub mod shared;

pub use client::{Fail, HostClient};
pub use early::{EarlyFrame, EarlyStart};
pub use nonce::{fetch_nonce, fetch_nonce_adopting};
