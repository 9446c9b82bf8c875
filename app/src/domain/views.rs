//! What the pages show, as the server sends it: the shapes server functions answer with that
//! are the console's own rather than DIS's.

use super::dis::{DescribeStreamResponse, StreamInfo, TaskSummary};
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

/// A stream's page: what DIS says of it and its tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamView {
    pub stream: DescribeStreamResponse,
    pub tasks: Vec<TaskRow>,
    pub quota: u64,
}

/// A task in a stream's list: DIS's list entry, with where it writes and how often from the
/// task's own details (DIS's list leaves those out). `None` when the details could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRow {
    pub summary: TaskSummary,
    /// `bucket/prefix`.
    pub destination: Option<String>,
    pub interval_seconds: Option<u32>,
}

/// What a successful create reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskCreated {
    pub stream: String,
    pub task_name: String,
    /// The create timed out and DIS then confirmed the task exists.
    pub confirmed_after_timeout: bool,
}

/// The most records one test send may put.
pub const MAX_TEST_RECORDS: usize = 50;
