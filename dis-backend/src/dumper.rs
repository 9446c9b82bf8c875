//! Dumping: every running text task writes the records that arrived since its last dump into
//! `<data>/obs/<bucket>/<file_prefix>/<time directories>/`, joined by its delimiter, every
//! `deliver_time_interval` seconds. An interval without records writes no file, as DIS does.
//!
//! Parquet and carbon tasks run and advance like text tasks, but the backend writes no files for
//! them: it does not encode those formats.

use crate::log::StoredRecord;
use crate::state::{decoded_len, partition_id, State};
use app::domain::dis::TaskState;
use app::domain::preview::object_directory;
use app::domain::sample::record_time;
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
            Some(schema) => match record_time(&bytes, schema, zone) {
                Ok((wall, _)) => wall,
                Err(_) => {
                    // A record whose time cannot be read has no directory: DIS discards it.
                    *discard += 1;
                    continue;
                }
            },
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Stream, Task};
    use app::domain::sample::{land, Layout, Sampled};
    use app::domain::task::PartitionFormat;
    use app::domain::{DataType, TaskDraft};

    /// Every record the dumper writes is in the directory the preview with recent records
    /// gives it, for every partition format, with and without a schema, on both clocks; and
    /// the records the preview discards are the dumper's discards.
    #[test]
    fn the_dumper_files_records_where_the_preview_says() {
        const ARRIVAL: i64 = 1_796_142_600_000;
        let records = [
            r#"{"ts": 1796142600000, "n": 0}"#,
            r#"{"ts": 1796142600, "n": 1}"#,
            r#"{"ts": 1700000000000, "n": 2}"#,
            r#"{"ts": "soon", "n": 3}"#,
            r#"{"n": 4}"#,
            r#"{"ts": 4102444800000, "n": 5}"#,
        ];
        let encoded: Vec<String> = records
            .iter()
            .map(|r| base64::engine::general_purpose::STANDARD.encode(r))
            .collect();
        for zone in [ZoneOffset::UTC, ZoneOffset::UTC_PLUS_8] {
            for format in PartitionFormat::ALL {
                for schema in [false, true] {
                    let dir = tempfile::tempdir().unwrap();
                    let draft = TaskDraft {
                        task_name: "t".into(),
                        obs_bucket_path: "bucket".into(),
                        file_prefix: "p".into(),
                        partition_format: format.as_wire().into(),
                        deliver_time_interval: "30".into(),
                        consumer_strategy: "TRIM_HORIZON".into(),
                        use_processing_schema: schema,
                        timestamp_name: "ts".into(),
                        timestamp_type: "Timestamp".into(),
                        timestamp_format: String::new(),
                        ..TaskDraft::default()
                    };
                    let task = DumpTask::parse(&draft, DataType::Json).unwrap();
                    let mut stream =
                        Stream::new("s-1".into(), "s", 0, "COMMON".into(), DataType::Json, 24, 1);
                    let batch: Vec<(i64, &str)> =
                        encoded.iter().map(|e| (ARRIVAL, e.as_str())).collect();
                    stream.partitions[0].append(&batch).unwrap();
                    let new = Task::new("task-1".into(), &task, &stream, ARRIVAL);
                    stream.tasks.push(new);
                    let mut state = State::default();
                    state.streams.insert("s".into(), stream);
                    // Without a schema a dump files records by the dump's time; the preview,
                    // which files them by arrival, is given that time as their arrival.
                    let dumped_at = ARRIVAL + 31_000;
                    let (_, report) =
                        dump_due(&mut state, dir.path(), zone, dumped_at, &|_| false).unwrap();
                    let layout = Layout::of(&task);
                    let mut expected: Vec<(String, String)> = Vec::new();
                    let mut discarded = 0;
                    for r in records {
                        let sampled = Sampled {
                            partition: "shardId-0000000000".into(),
                            arrival_ms: dumped_at,
                            data: r.as_bytes().to_vec(),
                        };
                        match land(&sampled, &layout, zone, dumped_at).directory {
                            Ok(d) => expected.push((d, r.to_owned())),
                            Err(_) => discarded += 1,
                        }
                    }
                    let mut written: Vec<(String, String)> = Vec::new();
                    for file in &report.files {
                        let relative = file.strip_prefix(dir.path()).unwrap();
                        let directory = relative.parent().unwrap().to_string_lossy().into_owned();
                        for line in std::fs::read_to_string(file).unwrap().lines() {
                            written.push((directory.clone(), line.to_owned()));
                        }
                    }
                    expected.sort();
                    written.sort();
                    assert_eq!(written, expected, "{zone} {format:?} schema {schema}");
                    let progress = &state.streams["s"].tasks[0].partitions[0];
                    assert_eq!(
                        progress.discard, discarded,
                        "{zone} {format:?} schema {schema}"
                    );
                }
            }
        }
    }
}
