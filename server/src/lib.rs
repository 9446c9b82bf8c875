//! The console's server. The code map, the path of a request and the invariants are in
//! `ARCHITECTURE.md`; in short:
//!
//! - [`cli`] and [`startup`]: the command line, and everything between it and a running server.
//! - [`config`] and [`telemetry`]: typed settings from the environment; logging.
//! - [`http`]: the HTTP edge (router, security envelope, sessions, readiness, serving).
//! - [`accounts`]: operators, logins and the audit log in SQLite (the `Accounts` port).
//! - [`dis`]: the DIS client (the `DisPort`), and [`connect`], which picks a remote DIS or
//!   starts the embedded backend (the `dis-backend` crate).
//! - [`obs`]: the OBS reader (the `ObsPort`): the files dump tasks wrote; [`clock`] measures
//!   DIS's clock from them in the background.
//! - [`overview`]: the overview snapshot, read from DIS in the background and shared.

/// The console's version and the git commit it was built from, as `server --version` prints
/// them and the database records who wrote it.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("DIS_CONSOLE_COMMIT"),
    ")"
);

pub mod accounts;
pub mod cli;
pub mod clock;
pub mod config;
pub mod connect;
pub mod dis;
pub mod http;
pub mod obs;
pub mod overview;
pub mod sign_on;
pub mod startup;
pub mod telemetry;
