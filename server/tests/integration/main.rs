//! The server's integration tests, in one binary (one link instead of eleven). Each module
//! starts what it needs on port 0: the real router with the embedded DIS backend
//! ([`common::TestApp`]), the backend alone, or the `server` binary itself.

mod common;

mod binary;
mod deploy;
mod dis;
mod faults;
mod files;
mod findings;
mod hostile;
mod http;
mod load;
mod overview;
mod sample;
mod security;
mod signing;
mod sso;
mod streams_api;
mod tasks_api;
