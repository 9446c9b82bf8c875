//! The dump task's rules, written once: types, parsing and validation, the wire JSON, the
//! partition preview and the export snippets. Compiled into the browser (instant feedback) and
//! into the server (the authority), so it does no I/O and carries no heavy crate: no regex, no
//! date library.

pub mod civil;
pub mod dis;
pub mod errors;
pub mod export;
pub mod names;
pub mod preview;
pub mod task;

pub use civil::{DateTime, ZoneOffset};
pub use errors::{Field, FieldError, FieldErrors};
pub use names::{StreamName, TaskName};
pub use task::{
    ConsumerStrategy, DataType, DumpTask, FileType, PartitionFormat, ProcessingSchema,
    RecordDelimiter, RecordTime, TaskDraft, TimestampFormat, TimestampType,
};

#[cfg(test)]
mod rules_tests;
