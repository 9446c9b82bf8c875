//! The work behind the server functions, as plain functions over the ports: no request, no
//! session, no HTTP. Server functions call them after their guard; the command line calls
//! [`operators`] directly; tests call them with the in-memory fakes of [`fakes`]. Server only.

pub mod operators;
pub mod session;
pub mod streams;
pub mod tasks;

#[cfg(test)]
pub mod fakes;
