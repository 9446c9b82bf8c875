//! What the pages show, as the server sends it: the shapes server functions answer with that
//! are the console's own rather than DIS's.

use super::access::Role;
use super::audit::AuditFilter;
use super::dis::{StreamInfo, TaskSummary};
use super::stream_form::StreamDraft;
use super::task::{DataType, TaskDraft};
use serde::{Deserialize, Serialize};

/// One page of the streams list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamPage {
    pub streams: Vec<StreamInfo>,
    /// Where the next page starts (DIS's `start_stream_name`), when there is one.
    pub next: Option<String>,
    /// Streams in the project, as DIS counts them.
    pub total: u64,
}

/// Rows a streams page may ask for; DIS's own page limit.
pub const STREAM_PAGE_SIZES: [u32; 4] = [10, 20, 50, 100];

/// A stream's page: what DIS says of it and its tasks. The stream is carried as its settings'
/// draft (name, type, partitions, data type, retention, …), a list of texts the browser reads
/// with code it has already, rather than as DIS's description with a decoder of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamView {
    /// The stream's settings as DIS reports them, as the change form starts from them.
    pub draft: StreamDraft,
    /// DIS's status of the stream (`RUNNING`, …).
    pub status: String,
    /// The partitions' ids, each as DIS names it (`shardId-0000000000`).
    pub partition_ids: Vec<String>,
    /// The partitions data may be written to (closed ones, after scaling down, are not).
    pub writable_partitions: u32,
    pub tasks: Vec<TaskRow>,
    pub quota: u64,
    /// The partitions table, with each task's progress, as HTML the server rendered.
    pub partitions: String,
    /// The consumer applications and their lag, as HTML the server rendered.
    pub consumers: String,
    /// The stream's settings and scaling history, as HTML the server rendered.
    pub settings: String,
}

impl StreamView {
    pub fn stream_name(&self) -> &str {
        &self.draft.stream_name
    }

    /// The stream's data type; unknown reads as DIS's default, BLOB.
    pub fn data_type(&self) -> DataType {
        DataType::parse(&self.draft.data_type).unwrap_or_default()
    }
}

/// A task in a stream's list: DIS's list entry, with where it writes and how often from the
/// task's own details (DIS's list leaves those out). `None` when the details could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRow {
    pub summary: TaskSummary,
    /// `bucket/prefix`.
    pub destination: Option<String>,
    pub interval_seconds: Option<u32>,
    /// Records waiting over every partition, and whether that needs attention: `2,310 (Late)`.
    pub behind: Option<String>,
}

/// A part of a page the server renders to HTML (`crate::fragments`): what the browser only
/// shows. The page names the part and inserts the markup it gets back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Part {
    /// The overview's body from the shared snapshot, its tasks narrowed to a state filter (one
    /// of `StateFilter`'s words) and a name.
    Overview { state: String, name: String },
    /// A stream's traffic, or one partition's, over a window (`1 h`, `6 h`, `24 h`, `7 d`).
    Traffic {
        stream: String,
        partition: Option<String>,
        window: String,
    },
    /// A task's health and its partitions.
    TaskProgress { stream: String, task: String },
    /// Audit lines that match a filter.
    Audit(AuditFilter),
    /// A page of the streams list: after a stream, of at most `limit`, names containing
    /// `filter`.
    Streams {
        after: String,
        limit: u32,
        filter: String,
    },
    /// A draft's settings as the wizard's last step lists them; with `before`, the task it
    /// modifies, and what changes first.
    TaskSettings {
        draft: Box<TaskDraft>,
        before: Option<Box<TaskDraft>>,
    },
    /// The request a draft makes, and the code that sends it from elsewhere: the `PUT` of a
    /// modify, or the `POST` of a create.
    Export {
        stream: String,
        draft: Box<TaskDraft>,
        modify: bool,
    },
    /// A page (from 0) of a task's recent files in OBS (or, with `day`, of one of its day
    /// directories), and the clock they show.
    TaskFiles {
        stream: String,
        task: String,
        day: String,
        page: u32,
    },
    /// The first lines of one of a task's files.
    FirstLines {
        stream: String,
        task: String,
        key: String,
    },
    /// The files and bytes each of a stream's tasks wrote in the last hour.
    StreamFiles { stream: String },
    /// Where a pasted sample record lands under a draft's schema, or what is wrong with it.
    PastedSample { text: String, draft: Box<TaskDraft> },
    /// The preview with a stream's own records under a draft: the read made at `read` (epoch
    /// ms of the operator's press; 0 for none yet: the read buttons alone), kept for a few minutes, so the preview
    /// follows the draft without asking DIS again. `suggest` offers timestamp fields.
    Records {
        stream: String,
        from: crate::domain::sample::SampleFrom,
        read: i64,
        draft: Box<TaskDraft>,
        suggest: bool,
    },
    /// What the create-stream form's review shows: the stream a draft makes, its request and
    /// the code that sends it.
    NewStream { draft: Box<StreamDraft> },
}

impl Part {
    /// Who may see it.
    pub fn role(&self) -> Role {
        match self {
            Part::Audit(_) => Role::Admin,
            // File and record contents are data: operators and admins only.
            Part::FirstLines { .. } | Part::Records { .. } => Role::Operator,
            Part::Overview { .. }
            | Part::Traffic { .. }
            | Part::TaskProgress { .. }
            | Part::Streams { .. }
            | Part::TaskSettings { .. }
            | Part::Export { .. }
            | Part::TaskFiles { .. }
            | Part::StreamFiles { .. }
            | Part::PastedSample { .. }
            | Part::NewStream { .. } => Role::Viewer,
        }
    }
}

/// What a successful create or modify reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskSaved {
    pub stream: String,
    pub task_name: String,
    /// The labels of the settings a modify changed (none for a create).
    pub changed: Vec<String>,
    /// DIS's answer was lost and DIS then reported the task as sent.
    pub confirmed_after_timeout: bool,
}

/// The most records one test send may put.
pub const MAX_TEST_RECORDS: usize = 50;
