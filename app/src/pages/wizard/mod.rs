//! The dump task wizard: destination, file type, partition, timestamp schema, review. It adds a
//! task, or modifies one in place.
//!
//! The draft is checked on every keystroke with the same `domain` rules the server applies, kept
//! in session storage so a reload or a back-navigation restores it, and never cleared by a
//! failed create.
//!
//! - [`routes`]: the pages that open the wizard, for a stream or after choosing one.
//! - `flow`: moving between steps, saving the draft, creating or modifying the task.
//! - `state`: the steps, the draft and its errors.
//! - `steps`, `review`: what each step asks and shows.
//! - `preview`: where the files land.
//! - `records`: where the stream's own records would land: read from DIS once, then worked
//!   out again by the server as the draft changes.

mod flow;
mod preview;
mod records;
mod review;
pub mod routes;
mod state;
mod steps;

pub use preview::DirectoryList;
pub use routes::{AddTask, ModifyTask, PickStream};
pub use state::Step;
