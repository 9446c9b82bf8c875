//! The embedded backend's data: streams, their records, their dump tasks. Kept in memory and
//! written to `<data>/state.json` after every change (write to a temporary file, then rename),
//! so it survives a restart.

use crate::log::PartitionLog;
use app::domain::dis::{TaskState, TaskSummary};
use app::domain::task::ObsDestinationDescriptor;
use app::domain::{ConsumerStrategy, DataType, DumpTask};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How long the monitoring API's per-minute figures are kept: DIS answers for the last seven
/// days.
pub const TRAFFIC_KEPT_MS: i64 = 7 * 86_400_000 + 3_600_000;

/// Streams, tasks and traffic figures, in `state.json`; each partition's records are in its
/// own log (see [`crate::log`]).
#[derive(Debug, Serialize, Deserialize, Default)]
pub struct State {
    pub streams: BTreeMap<String, Stream>,
    pub next_id: u64,
    /// Consumer applications, by name.
    #[serde(default)]
    pub apps: BTreeMap<String, App>,
}

/// A consumer application and the checkpoints it committed.
#[derive(Debug, Serialize, Deserialize)]
pub struct App {
    pub id: String,
    pub create_time: i64,
    /// LAST_READ checkpoints: stream name, then partition index, to the sequence number.
    #[serde(default)]
    pub checkpoints: BTreeMap<String, BTreeMap<usize, Checkpoint>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checkpoint {
    pub sequence_number: u64,
    #[serde(default)]
    pub metadata: Option<String>,
}

/// What a stream was created with beyond its name, type and partitions.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct StreamSettings {
    pub data_schema: Option<String>,
    pub compression_format: Option<String>,
    pub csv_delimiter: Option<String>,
    pub tags: Vec<(String, String)>,
    /// Auto-scaling's fewest and most partitions, when it is on.
    pub auto_scale: Option<(u32, u32)>,
    pub last_modified_time: i64,
    /// Each scaling: when (epoch ms), from, to.
    pub scalings: Vec<(i64, u32, u32)>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Stream {
    pub id: String,
    pub name: String,
    pub create_time: i64,
    pub stream_type: String,
    pub data_type: DataType,
    /// Hours records are kept.
    pub retention_period: u32,
    pub partitions: Vec<Partition>,
    pub tasks: Vec<Task>,
    /// Round-robin position for records without a key.
    #[serde(default)]
    pub next_partition: usize,
    #[serde(default)]
    pub settings: StreamSettings,
}

impl Stream {
    /// The partitions that take records: those a scaling down has not closed.
    pub fn open_partitions(&self) -> Vec<usize> {
        (0..self.partitions.len())
            .filter(|i| !self.partitions[*i].closed)
            .collect()
    }

    /// Scales to `target` open partitions: closing the newest open ones (they stay readable
    /// until their records expire), or adding new ones, which every dump task reads from their
    /// start. Opens the new partitions' logs under `data_dir`.
    pub fn scale(&mut self, target: usize, data_dir: &Path) -> std::io::Result<()> {
        let open = self.open_partitions();
        if target < open.len() {
            for i in &open[target..] {
                self.partitions[*i].closed = true;
            }
            return Ok(());
        }
        for _ in open.len()..target {
            let index = self.partitions.len();
            let mut partition = Partition::default();
            partition.open_log(&log_file(data_dir, &self.id, index))?;
            let start = partition.log.first();
            self.partitions.push(partition);
            for task in &mut self.tasks {
                task.partitions.push(TaskPartition {
                    offset: start,
                    ..TaskPartition::default()
                });
            }
        }
        Ok(())
    }

    /// Opens the logs of the stream's partitions under `data_dir` (see [`log_file`]).
    pub fn open_logs(&mut self, data_dir: &Path) -> std::io::Result<()> {
        for (i, p) in self.partitions.iter_mut().enumerate() {
            p.open_log(&log_file(data_dir, &self.id, i))?;
        }
        Ok(())
    }

    pub fn new(
        id: String,
        name: &str,
        create_time: i64,
        stream_type: String,
        data_type: DataType,
        retention_period: u32,
        partitions: usize,
    ) -> Stream {
        Stream {
            id,
            name: name.to_string(),
            create_time,
            stream_type,
            data_type,
            retention_period,
            partitions: (0..partitions).map(|_| Partition::default()).collect(),
            tasks: Vec::new(),
            next_partition: 0,
            settings: StreamSettings::default(),
        }
    }
}

/// A partition: its records (in the log) and its traffic by the minute.
#[derive(Debug, Serialize, Deserialize, Default)]
pub struct Partition {
    #[serde(skip)]
    pub log: PartitionLog,
    /// Closed by a scaling down: read, never written.
    #[serde(default)]
    pub closed: bool,
    /// Put and read figures by the minute (epoch seconds of the minute's start).
    #[serde(default)]
    pub traffic: BTreeMap<i64, Traffic>,
    /// Records an earlier version kept in `state.json`; moved into the log when it opens.
    #[serde(default, rename = "records", skip_serializing)]
    legacy_records: Vec<LegacyRecord>,
    #[serde(default, rename = "trimmed", skip_serializing)]
    legacy_trimmed: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct LegacyRecord {
    data: String,
    arrival_ms: i64,
}

/// One minute of a partition's traffic.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Default, PartialEq, Eq)]
pub struct Traffic {
    pub put_records: u64,
    pub put_bytes: u64,
    pub get_records: u64,
    pub get_bytes: u64,
}

/// The length of the bytes base64 `data` holds.
pub fn decoded_len(data: &str) -> u64 {
    let padding = data.bytes().rev().take_while(|b| *b == b'=').count();
    ((data.len() / 4 * 3).saturating_sub(padding)) as u64
}

fn minute(ms: i64) -> i64 {
    ms.div_euclid(60_000) * 60
}

impl Partition {
    /// Opens the partition's log at `path`, moving in any records an earlier version kept in
    /// `state.json`.
    pub fn open_log(&mut self, path: &Path) -> std::io::Result<()> {
        let fresh = !path.exists();
        let mut log = PartitionLog::open(path, self.legacy_trimmed)?;
        if fresh && !self.legacy_records.is_empty() {
            let batch: Vec<(i64, &str)> = self
                .legacy_records
                .iter()
                .map(|r| (r.arrival_ms, r.data.as_str()))
                .collect();
            log.append(&batch)?;
        }
        self.legacy_records = Vec::new();
        self.log = log;
        Ok(())
    }

    /// Appends records (arrival time, base64 data) and counts them. Returns the first's
    /// sequence number.
    pub fn append(&mut self, records: &[(i64, &str)]) -> std::io::Result<u64> {
        let first = self.log.append(records)?;
        for (at, data) in records {
            let t = self.traffic.entry(minute(*at)).or_default();
            t.put_records += 1;
            t.put_bytes += decoded_len(data);
        }
        Ok(first)
    }

    /// Counts records a dump read at `now_ms`.
    pub fn count_read(&mut self, records: u64, bytes: u64, now_ms: i64) {
        let t = self.traffic.entry(minute(now_ms)).or_default();
        t.get_records += records;
        t.get_bytes += bytes;
    }

    /// Drops records older than `retention_hours` and figures older than the monitoring API
    /// answers for.
    pub fn expire(&mut self, retention_hours: u32, now_ms: i64) -> std::io::Result<u64> {
        let oldest = minute(now_ms - TRAFFIC_KEPT_MS);
        while self
            .traffic
            .first_key_value()
            .is_some_and(|(m, _)| *m < oldest)
        {
            self.traffic.pop_first();
        }
        self.log
            .expire(now_ms - i64::from(retention_hours) * 3_600_000)
    }

    /// The partition's sequence numbers as describe stream reports them: `[first : next]`.
    pub fn sequence_number_range(&self) -> String {
        app::domain::health::SeqRange {
            first: self.log.first(),
            next: self.log.end(),
        }
        .to_string()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Task {
    pub id: String,
    pub name: String,
    pub create_time: i64,
    pub state: TaskState,
    /// The task as DIS normalises it: every field explicit.
    pub descriptor: ObsDestinationDescriptor,
    pub last_transfer_timestamp: i64,
    pub next_dump_at: i64,
    pub partitions: Vec<TaskPartition>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct TaskPartition {
    /// The next offset to dump.
    pub offset: u64,
    pub last_transfer_timestamp: i64,
    pub discard: u64,
}

impl Task {
    pub fn new(id: String, task: &DumpTask, stream: &Stream, now: i64) -> Task {
        let partitions = stream
            .partitions
            .iter()
            .map(|p| TaskPartition {
                offset: match task.consumer_strategy {
                    ConsumerStrategy::Latest => p.log.end(),
                    ConsumerStrategy::TrimHorizon => p.log.first(),
                },
                ..TaskPartition::default()
            })
            .collect();
        Task {
            id,
            name: task.task_name.to_string(),
            create_time: now,
            state: TaskState::Running,
            descriptor: task.descriptor(),
            last_transfer_timestamp: 0,
            next_dump_at: now + i64::from(task.deliver_time_interval) * 1000,
            partitions,
        }
    }

    pub fn summary(&self) -> TaskSummary {
        TaskSummary {
            task_id: self.id.clone(),
            task_name: self.name.clone(),
            destination_type: "OBS".into(),
            state: self.state,
            create_time: self.create_time,
            last_transfer_timestamp: self.last_transfer_timestamp,
        }
    }
}

/// `shardId-0000000003`.
pub fn partition_id(index: usize) -> String {
    format!("shardId-{index:010}")
}

/// Reads `shardId-0000000003` or `3`.
pub fn parse_partition_id(s: &str) -> Option<usize> {
    s.strip_prefix("shardId-").unwrap_or(s).parse().ok()
}

/// Where a partition's records live.
pub fn log_file(data_dir: &Path, stream_id: &str, index: usize) -> PathBuf {
    data_dir
        .join("records")
        .join(stream_id)
        .join(format!("{}.log", partition_id(index)))
}

/// Opens every partition's log.
pub fn open_logs(data_dir: &Path, state: &mut State) -> std::io::Result<()> {
    state
        .streams
        .values_mut()
        .try_for_each(|stream| stream.open_logs(data_dir))
}

/// Where the state lives.
pub fn state_file(data_dir: &Path) -> PathBuf {
    data_dir.join("state.json")
}

pub fn load(data_dir: &Path) -> std::io::Result<Option<State>> {
    match std::fs::read(state_file(data_dir)) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

pub fn save(data_dir: &Path, state: &State) -> std::io::Result<()> {
    let tmp = data_dir.join("state.json.tmp");
    let bytes = serde_json::to_vec(state).map_err(std::io::Error::other)?;
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, state_file(data_dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earlier_state_files_move_their_records_into_logs() {
        let dir = tempfile::tempdir().unwrap();
        let old = r#"{"streams":{"s":{"id":"stream-1","name":"s","create_time":0,"stream_type":"COMMON",
            "data_type":"BLOB","retention_period":24,"tasks":[],
            "partitions":[{"trimmed":5,"records":[{"data":"YQ==","arrival_ms":1},{"data":"Yg==","arrival_ms":2}]}]}},
            "next_id":1}"#;
        std::fs::write(state_file(dir.path()), old).unwrap();
        let mut state = load(dir.path()).unwrap().unwrap();
        open_logs(dir.path(), &mut state).unwrap();
        let p = &state.streams["s"].partitions[0];
        assert_eq!(p.sequence_number_range(), "[5 : 7]");
        save(dir.path(), &state).unwrap();
        let saved = std::fs::read_to_string(state_file(dir.path())).unwrap();
        assert!(
            !saved.contains("YQ=="),
            "records are no longer in state.json"
        );
        let mut again = load(dir.path()).unwrap().unwrap();
        open_logs(dir.path(), &mut again).unwrap();
        assert_eq!(
            again.streams["s"].partitions[0].sequence_number_range(),
            "[5 : 7]"
        );
    }

    #[test]
    fn traffic_is_counted_by_the_minute_and_expires() {
        let mut p = Partition::default();
        p.append(&[(60_000, "YWJj"), (61_000, "YQ==")]).unwrap();
        p.count_read(2, 4, 125_000);
        assert_eq!(
            p.traffic[&60],
            Traffic {
                put_records: 2,
                put_bytes: 4,
                ..Traffic::default()
            }
        );
        assert_eq!(p.traffic[&120].get_records, 2);
        p.expire(24, 60_000 + TRAFFIC_KEPT_MS + 60_000).unwrap();
        assert!(!p.traffic.contains_key(&60));
        assert_eq!(decoded_len("YWJj"), 3);
        assert_eq!(decoded_len("YQ=="), 1);
        assert_eq!(decoded_len(""), 0);
    }

    #[test]
    fn partition_ids() {
        assert_eq!(partition_id(3), "shardId-0000000003");
        assert_eq!(parse_partition_id("shardId-0000000003"), Some(3));
        assert_eq!(parse_partition_id("2"), Some(2));
        assert_eq!(parse_partition_id("x"), None);
    }
}
