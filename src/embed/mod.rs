//! The JS-facing surface: `mount()` and its handle, the options reader, and
//! the DOM events. The components below know nothing of JS.
pub mod events;
pub mod mount;
pub mod options;
pub mod pool;
