//! Dumping: every running text task writes the records that arrived since its last dump into
//! `<data>/obs/<bucket>/<file_prefix>/<time directories>/`, joined by its delimiter, every
//! `deliver_time_interval` seconds. An interval without records writes no file, as DIS does.
//!
//! Parquet and carbon tasks run and advance like text tasks, but the backend writes no files for
//! them: it does not encode those formats.

use crate::log::StoredRecord;
use crate::state::{decoded_len, partition_id, State};
use app::domain::dis::TaskState;
use app::domain::preview::{object_directory, parse_timestamp};
use app::domain::task::RecordTime;
use app::domain::{DateTime, DumpTask, FileType, ZoneOffset};
use base64::Engine;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What one pass wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DumpReport {
    pub files: Vec<PathBuf>,
    pub records: u64,
}

/// Runs every task that is due at `now_ms`, except those `stalled` names (a test fault).
/// Returns whether any state changed.
pub fn dump_due(
    state: &mut State,
    obs_root: &Path,
    zone: ZoneOffset,
    now_ms: i64,
    stalled: &dyn Fn(&str) -> bool,
) -> std::io::Result<(bool, DumpReport)> {
    let mut changed = false;
    let mut report = DumpReport::default();
    for stream in state.streams.values_mut() {
        let data_type = stream.data_type;
        let partitions = &mut stream.partitions;
        for task in stream.tasks.iter_mut() {
            if task.state != TaskState::Running || now_ms < task.next_dump_at || stalled(&task.name)
            {
                continue;
            }
            changed = true;
            let Ok(parsed) = DumpTask::from_descriptor(&task.descriptor, data_type) else {
                // A stored task always parses; one that does not is marked, not dumped.
                task.state = TaskState::Abnormal;
                continue;
            };
            let interval_ms = i64::from(parsed.deliver_time_interval) * 1000;
            task.next_dump_at = now_ms + interval_ms;
            for (index, progress) in task.partitions.iter_mut().enumerate() {
                let Some(partition) = partitions.get_mut(index) else {
                    continue;
                };
                let (records, skipped) = partition.log.since(progress.offset)?;
                progress.discard += skipped;
                let (Some(first), Some(last)) = (records.first(), records.last()) else {
                    continue;
                };
                let span = (first.sequence, last.sequence);
                if parsed.destination_file_type == FileType::Text {
                    let written = write_text(
                        obs_root,
                        &parsed,
                        &task.name,
                        index,
                        span,
                        &records,
                        zone,
                        now_ms,
                        &mut progress.discard,
                    )?;
                    report.files.extend(written);
                }
                let bytes = records.iter().map(|r| decoded_len(&r.data)).sum();
                partition.count_read(records.len() as u64, bytes, now_ms);
                report.records += records.len() as u64;
                progress.offset = partition.log.end();
                progress.last_transfer_timestamp = now_ms;
                task.last_transfer_timestamp = now_ms;
            }
        }
    }
    Ok((changed, report))
}

/// Groups the records by their directory and writes one file per directory.
#[allow(clippy::too_many_arguments)]
fn write_text(
    obs_root: &Path,
    task: &DumpTask,
    task_name: &str,
    partition: usize,
    (first, last): (u64, u64),
    records: &[StoredRecord],
    zone: ZoneOffset,
    now_ms: i64,
    discard: &mut u64,
) -> std::io::Result<Vec<PathBuf>> {
    let dump_time = DateTime::from_epoch_ms(now_ms, zone);
    let mut by_dir: BTreeMap<String, Vec<Vec<u8>>> = BTreeMap::new();
    for record in records {
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&record.data) else {
            *discard += 1;
            continue;
        };
        let time = match &task.processing_schema {
            None => dump_time,
            Some(schema) => {
                match record_time(&bytes, &schema.timestamp_name, schema.timestamp, zone) {
                    Some(t) => t,
                    None => {
                        // A record whose time cannot be read has no directory: DIS discards it.
                        *discard += 1;
                        continue;
                    }
                }
            }
        };
        let dir = object_directory(
            task.obs_bucket_path.as_str(),
            task.file_prefix.as_str(),
            &task.partition_format.render(&time),
        );
        by_dir.entry(dir).or_default().push(bytes);
    }
    let mut files = Vec::new();
    for (dir, contents) in by_dir {
        let folder = obs_root.join(&dir);
        std::fs::create_dir_all(&folder)?;
        let file = folder.join(format!(
            "{task_name}_{}_{first:020}-{last:020}.txt",
            partition_id(partition)
        ));
        let joined = contents.join(task.record_delimiter.as_text().as_bytes());
        std::fs::write(&file, joined)?;
        // OBS stamps an object when its upload ends: the dump's time, also when a test runs
        // a dump ahead of the clock.
        let dumped = std::time::UNIX_EPOCH + std::time::Duration::from_millis(now_ms.max(0) as u64);
        std::fs::File::options()
            .write(true)
            .open(&file)?
            .set_modified(dumped)?;
        files.push(file);
    }
    Ok(files)
}

/// A record's own time, read as DIS reads it with a processing schema.
fn record_time(bytes: &[u8], field: &str, kind: RecordTime, zone: ZoneOffset) -> Option<DateTime> {
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let field = value.get(field)?;
    match kind {
        RecordTime::String(format) => parse_timestamp(field.as_str()?, format).ok(),
        RecordTime::Timestamp => Some(DateTime::from_epoch_ms(field.as_i64()?, zone)),
    }
}
