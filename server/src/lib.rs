//! The console's server: typed configuration, telemetry, the axum router around the Leptos app,
//! readiness, and graceful shutdown. `main.rs` only parses the command line and wires these.

pub mod accounts;
pub mod config;
pub mod connect;
pub mod dis;
pub mod dis_backend;
pub mod readiness;
pub mod security;
pub mod sessions;
pub mod telemetry;
pub mod web;

/// The clock the embedded backend reads, in epoch milliseconds (tests line up with it).
pub fn dis_backend_now() -> i64 {
    dis::client::now_ms()
}
