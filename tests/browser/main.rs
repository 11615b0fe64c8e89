//! The browser tests, one binary: the widget in headless Chromium against
//! the real simulator, reference backend and static servers that
//! `scripts/test.sh browser` (or `scripts/servers.sh`) starts. Each module
//! is one area of the widget; run one with a filter on its name, e.g.
//! `cargo test -p cxreports-widget --target wasm32-unknown-unknown --test browser -- viewer::`.
#![cfg(target_arch = "wasm32")]

#[path = "../common/mod.rs"]
mod common;

mod cross_site;
mod csp;
mod drop_in;
mod faults;
mod head_start;
mod host_pages;
mod hostile;
mod picker_scale;
mod races;
mod real_server;
mod sessions;
mod viewer;
