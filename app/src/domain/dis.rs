//! DIS's wire types besides the dump task request: streams, task lists and details, task
//! actions and records. Field names are DIS's own; every field a page does not strictly need
//! has a default, so a newer DIS that adds or drops one does not break the console.

use super::task::ObsDestinationDescriptor;
use serde::{Deserialize, Serialize};

/// `GET /v2/{project}/streams`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ListStreamsResponse {
    pub total_number: u64,
    pub stream_names: Vec<String>,
    pub has_more_streams: bool,
    pub stream_info_list: Vec<StreamInfo>,
}

impl ListStreamsResponse {
    /// The page's streams. An older DIS answers with names only; those become entries with
    /// just a name.
    pub fn into_infos(self) -> Vec<StreamInfo> {
        if self.stream_info_list.is_empty() {
            self.stream_names
                .into_iter()
                .map(|stream_name| StreamInfo {
                    stream_name,
                    ..StreamInfo::default()
                })
                .collect()
        } else {
            self.stream_info_list
        }
    }
}

/// The longest filter the streams list takes: a stream name is at most 64 characters.
pub const MAX_STREAM_FILTER: usize = 64;

impl StreamInfo {
    /// Whether the stream's name contains `filter`, ignoring case. `filter` is trimmed; an
    /// empty one matches every stream.
    pub fn matches(&self, filter: &str) -> bool {
        let filter = filter.trim();
        filter.is_empty()
            || self
                .stream_name
                .to_lowercase()
                .contains(&filter.to_lowercase())
    }
}

/// A stream in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct StreamInfo {
    pub stream_id: String,
    pub stream_name: String,
    pub create_time: i64,
    pub retention_period: u32,
    pub status: String,
    pub stream_type: String,
    pub data_type: String,
    pub partition_count: u32,
}

/// `GET /v2/{project}/streams/{stream}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct DescribeStreamResponse {
    pub stream_id: String,
    pub stream_name: String,
    pub create_time: i64,
    pub last_modified_time: i64,
    pub retention_period: u32,
    pub status: String,
    pub stream_type: String,
    /// BLOB, JSON or CSV; DIS's default, BLOB, when absent.
    pub data_type: String,
    pub writable_partition_count: u32,
    pub readable_partition_count: u32,
    pub partitions: Vec<StreamPartition>,
    pub has_more_partitions: bool,
}

impl DescribeStreamResponse {
    /// The stream's data type; absent or unknown reads as DIS's default, BLOB.
    pub fn data_type(&self) -> super::task::DataType {
        super::task::DataType::parse(&self.data_type).unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct StreamPartition {
    pub partition_id: String,
    pub status: String,
    pub hash_range: String,
    pub sequence_number_range: String,
}

pub use super::stream::CreateStreamRequest;

/// A dump task's state as DIS reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "UPPERCASE")]
pub enum TaskState {
    Error,
    Starting,
    Paused,
    Running,
    Delete,
    Abnormal,
    /// A state this console does not know yet.
    #[default]
    #[serde(other)]
    Unknown,
}

impl TaskState {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::Error => "ERROR",
            TaskState::Starting => "STARTING",
            TaskState::Paused => "PAUSED",
            TaskState::Running => "RUNNING",
            TaskState::Delete => "DELETE",
            TaskState::Abnormal => "ABNORMAL",
            TaskState::Unknown => "UNKNOWN",
        }
    }
}

/// `GET …/transfer-tasks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ListTasksResponse {
    pub total_number: u64,
    pub quota: u64,
    pub tasks: Vec<TaskSummary>,
}

/// A dump task in a list. Times are epoch milliseconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct TaskSummary {
    pub task_id: String,
    pub task_name: String,
    pub destination_type: String,
    pub state: TaskState,
    pub create_time: i64,
    pub last_transfer_timestamp: i64,
}

/// `GET …/transfer-tasks/{task}`. The descriptor is *description* in responses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct TaskDetails {
    pub task_id: String,
    pub task_name: String,
    pub destination_type: String,
    pub state: TaskState,
    pub create_time: i64,
    pub last_transfer_timestamp: i64,
    pub stream_id: String,
    pub stream_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub obs_destination_description: Option<ObsDestinationDescriptor>,
    pub partitions: Vec<TaskPartition>,
}

impl TaskDetails {
    /// Where the task writes: `bucket/prefix`.
    pub fn destination(&self) -> Option<String> {
        self.obs_destination_description.as_ref().map(|d| {
            super::preview::object_directory(
                d.obs_bucket_path.as_deref().unwrap_or(""),
                d.file_prefix.as_deref().unwrap_or(""),
                "",
            )
        })
    }

    /// The task's settings read back with the shared rules, when DIS reports a descriptor the
    /// console can read (the stream's data type does not matter for reading a task back).
    pub fn read_back(&self) -> Option<super::task::DumpTask> {
        self.obs_destination_description.as_ref().and_then(|d| {
            super::task::DumpTask::from_descriptor(d, super::task::DataType::Json).ok()
        })
    }

    pub fn interval_seconds(&self) -> Option<u32> {
        self.obs_destination_description
            .as_ref()
            .and_then(|d| d.deliver_time_interval)
    }
}

/// How far a task has dumped one partition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct TaskPartition {
    #[serde(rename = "partitionId")]
    pub partition_id: String,
    /// Records the task skipped (for example, expired before they were dumped).
    pub discard: u64,
    pub state: String,
    pub last_transfer_offset: u64,
    pub last_transfer_timestamp: i64,
}

/// Start or pause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskAction {
    Start,
    Stop,
}

impl TaskAction {
    /// What a task is once the action is done: "started" or "paused".
    pub fn done(self) -> &'static str {
        match self {
            TaskAction::Start => "started",
            TaskAction::Stop => "paused",
        }
    }
}

/// `POST …/transfer-tasks/action`: tasks by id, not by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskActionRequest {
    pub action: TaskAction,
    pub tasks: Vec<TaskRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRef {
    pub id: String,
}

/// `POST /v2/{project}/records`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PutRecordsRequest {
    pub stream_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_id: Option<String>,
    pub records: Vec<PutRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PutRecord {
    /// The record, base64-encoded.
    pub data: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explicit_hash_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct PutRecordsResponse {
    pub failed_record_count: u64,
    pub records: Vec<PutRecordResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct PutRecordResult {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
}

/// Where a cursor starts in a partition: `cursor-type`, with its sequence number or time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorPosition {
    /// `AT_SEQUENCE_NUMBER`: at this record.
    AtSequence(u64),
    /// `AFTER_SEQUENCE_NUMBER`: just after this record.
    AfterSequence(u64),
    /// `TRIM_HORIZON`: the oldest record kept.
    TrimHorizon,
    /// `LATEST`: after the newest record.
    Latest,
    /// `AT_TIMESTAMP`: the first record that arrived at or after this time (epoch ms).
    AtTimestamp(i64),
}

impl CursorPosition {
    /// `GET /v2/{project}/cursors`' query after `stream-name` and `partition-id`.
    pub fn query(&self) -> Vec<(&'static str, String)> {
        let (kind, extra) = match *self {
            CursorPosition::AtSequence(n) => (
                "AT_SEQUENCE_NUMBER",
                Some(("starting-sequence-number", n.to_string())),
            ),
            CursorPosition::AfterSequence(n) => (
                "AFTER_SEQUENCE_NUMBER",
                Some(("starting-sequence-number", n.to_string())),
            ),
            CursorPosition::TrimHorizon => ("TRIM_HORIZON", None),
            CursorPosition::Latest => ("LATEST", None),
            CursorPosition::AtTimestamp(ms) => {
                ("AT_TIMESTAMP", Some(("timestamp", ms.to_string())))
            }
        };
        let mut query = vec![("cursor-type", kind.to_owned())];
        query.extend(extra);
        query
    }
}

/// `GET /v2/{project}/cursors`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct CursorResponse {
    pub partition_cursor: String,
}

/// `GET /v2/{project}/records`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct RecordsResponse {
    pub records: Vec<ReadRecord>,
    /// Where the next read goes on; absent when DIS has nothing more to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_partition_cursor: Option<String>,
}

/// A record as `GET /v2/{project}/records` answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ReadRecord {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition_key: Option<String>,
    pub sequence_number: String,
    /// The record, base64-encoded.
    pub data: String,
    /// When it arrived (epoch ms), or the time its producer gave it (see `timestamp_type`).
    pub timestamp: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp_type: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn show_task_reads_the_documented_shape() {
        let body = r#"{"task_id":"t-1","task_name":"a","destination_type":"OBS","state":"RUNNING",
            "create_time":1,"last_transfer_timestamp":2,"stream_id":"s","stream_name":"n",
            "obs_destination_description":{"task_name":"a","obs_bucket_path":"b","deliver_time_interval":300},
            "partitions":[{"partitionId":"shardId-0000000000","discard":3,"state":"RUNNING",
            "last_transfer_offset":10,"last_transfer_timestamp":5}]}"#;
        let t: TaskDetails = serde_json::from_str(body).unwrap();
        assert_eq!(t.state, TaskState::Running);
        assert_eq!(t.partitions[0].discard, 3);
        assert_eq!(
            t.obs_destination_description
                .unwrap()
                .obs_bucket_path
                .as_deref(),
            Some("b")
        );
        let out = serde_json::to_string(&t.partitions[0]).unwrap();
        assert!(out.contains("\"partitionId\""));
    }

    #[test]
    fn unknown_states_and_missing_fields_are_tolerated() {
        let t: TaskSummary =
            serde_json::from_str(r#"{"task_name":"x","state":"MIGRATING"}"#).unwrap();
        assert_eq!(t.state, TaskState::Unknown);
        let s: DescribeStreamResponse = serde_json::from_str("{}").unwrap();
        assert_eq!(s.data_type(), crate::domain::DataType::Blob);
    }

    #[test]
    fn actions_are_lowercase() {
        let r = TaskActionRequest {
            action: TaskAction::Stop,
            tasks: vec![TaskRef { id: "abc".into() }],
        };
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"action":"stop","tasks":[{"id":"abc"}]}"#
        );
    }

    #[test]
    fn a_page_of_names_only_becomes_entries_and_the_filter_ignores_case() {
        let page: ListStreamsResponse = serde_json::from_str(
            r#"{"stream_names":["Orders-EU","logs"],"has_more_streams":true}"#,
        )
        .unwrap();
        let infos = page.into_infos();
        assert_eq!(infos.len(), 2);
        assert!(infos[0].matches("  orders "));
        assert!(infos[0].matches(""));
        assert!(!infos[1].matches("orders"));
        assert!(infos[1].matches("OG"));
    }
}
