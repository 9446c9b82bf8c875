//! The rules, written once: the dump task (types, parsing and validation, the wire JSON, the
//! partition preview and the export snippets), and the console's own vocabulary of operators,
//! roles and audit lines; the health of tasks (lag, lateness, the overview) and the traffic charts. Compiled into the browser (instant feedback) and
//! into the server (the authority), so it does no I/O and carries no heavy crate: no regex, no
//! date library.

pub mod access;
pub mod audit;
pub mod chart;
pub mod civil;
pub mod clock;
pub mod dis;
pub mod errors;
pub mod export;
pub mod files;
pub mod health;
pub mod metrics;
pub mod names;
pub mod overview;
pub mod preview;
pub mod sample;
pub mod settings;
pub mod sso;
pub mod stream;
pub mod stream_form;
pub mod task;
pub mod views;

pub use access::{Me, OperatorInfo, Role};
pub use audit::{AuditAction, AuditEntry, AuditFilter, AuditOutcome};
pub use civil::{DateTime, ZoneOffset};
pub use errors::{Field, FieldError, FieldErrors, FieldMeta};
pub use names::{PartitionId, StreamName, TaskName};
pub use task::{
    ConsumerStrategy, DataType, DumpTask, FileType, PartitionFormat, ProcessingSchema,
    RecordDelimiter, RecordTime, TaskDraft, TimestampFormat, TimestampType,
};

#[cfg(test)]
mod rules_tests;
