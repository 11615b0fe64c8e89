//! Components: they render state and turn clicks into messages; they do not
//! know whether JS, an attribute or a Rust app drives them.
pub mod head_start;
mod ids;
pub mod picker;
pub mod viewer;
