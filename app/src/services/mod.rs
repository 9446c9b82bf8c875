//! The work behind the server functions, as plain functions over the ports. They read nothing
//! of the request but its id, for log lines, except [`session`], which starts and ends
//! sessions. Server functions call them after their guard; the command line calls
//! [`operators::change`] directly; tests call them with the in-memory fakes of `fakes`. Server
//! only.

pub mod files;
pub mod operators;
pub mod overview;
pub mod sample;
pub mod session;
pub mod streams;
pub mod tasks;
pub mod traffic;

#[cfg(test)]
pub mod fakes;
