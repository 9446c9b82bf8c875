//! The HTTP edge: the router and its layers, the security envelope (access, origin, headers),
//! the session cache, readiness, and serving with graceful shutdown. Nothing here knows DIS's
//! protocol; it reaches DIS only through the ports it provides to `app`.

pub mod hosts;
pub mod proxies;
pub mod readiness;
pub mod router;
pub mod security;
pub mod serve;
pub mod sessions;
pub mod sign_on;

pub use router::{router, AppState};
pub use serve::{serve, serve_tls, shutdown_signal, tls_config, SHUTDOWN_GRACE};
