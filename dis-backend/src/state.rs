//! The embedded backend's data: streams, their records, their dump tasks. Kept in memory and
//! written to `<data>/state.json` after every change (write to a temporary file, then rename),
//! so it survives a restart.

use app::domain::dis::{TaskState, TaskSummary};
use app::domain::task::ObsDestinationDescriptor;
use app::domain::{ConsumerStrategy, DataType, DumpTask};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Keep at most this many records per partition; older ones are dropped (as retention would).
pub const MAX_RECORDS_PER_PARTITION: usize = 100_000;

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct State {
    pub streams: BTreeMap<String, Stream>,
    pub next_id: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
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
}

impl Stream {
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
            partitions: vec![Partition::default(); partitions],
            tasks: Vec::new(),
            next_partition: 0,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Partition {
    /// Records dropped from the front; record `n` is at index `n - trimmed`.
    pub trimmed: u64,
    pub records: Vec<StoredRecord>,
}

impl Partition {
    /// The offset the next record gets.
    pub fn end(&self) -> u64 {
        self.trimmed + self.records.len() as u64
    }

    pub fn push(&mut self, record: StoredRecord) -> u64 {
        let seq = self.end();
        self.records.push(record);
        if self.records.len() > MAX_RECORDS_PER_PARTITION {
            let drop = self.records.len() - MAX_RECORDS_PER_PARTITION;
            self.records.drain(..drop);
            self.trimmed += drop as u64;
        }
        seq
    }

    /// Records from `offset` on, with how many before them were already gone.
    pub fn since(&self, offset: u64) -> (&[StoredRecord], u64) {
        let skipped = self.trimmed.saturating_sub(offset);
        let start = offset.max(self.trimmed) - self.trimmed;
        let start = (start as usize).min(self.records.len());
        (&self.records[start..], skipped)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredRecord {
    /// The record's bytes, base64 as received.
    pub data: String,
    pub arrival_ms: i64,
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
                    ConsumerStrategy::Latest => p.end(),
                    ConsumerStrategy::TrimHorizon => p.trimmed,
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
    fn partitions_trim_and_report_skips() {
        let mut p = Partition::default();
        for i in 0..(MAX_RECORDS_PER_PARTITION + 5) {
            p.push(StoredRecord {
                data: i.to_string(),
                arrival_ms: 0,
            });
        }
        assert_eq!(p.trimmed, 5);
        assert_eq!(p.end(), MAX_RECORDS_PER_PARTITION as u64 + 5);
        let (recs, skipped) = p.since(2);
        assert_eq!(skipped, 3);
        assert_eq!(recs[0].data, "5");
        let (recs, skipped) = p.since(p.end());
        assert!(recs.is_empty() && skipped == 0);
    }

    #[test]
    fn partition_ids() {
        assert_eq!(partition_id(3), "shardId-0000000003");
        assert_eq!(parse_partition_id("shardId-0000000003"), Some(3));
        assert_eq!(parse_partition_id("2"), Some(2));
        assert_eq!(parse_partition_id("x"), None);
    }
}
