//! A partition's records: an append-only file, `<data>/records/<stream id>/<partition>.log`,
//! with an index in memory (where each record is, how long, when it arrived). A put appends
//! one write at the end of the file, so it costs the same with ten records stored or a million;
//! retention drops records from the front of the index, and the file is rewritten without them
//! only once they are most of it.
//!
//! The file is a header line, `DISLOG 1 first=<sequence number of the first record>`, then a
//! line per record: `<arrival ms> <base64 data>`. A torn last line (the process stopped during
//! a write) is cut off when the file is opened: the put it belonged to was never answered.

use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

const MAGIC: &str = "DISLOG 1 first=";

/// Rewrite the file once dropped records take this many bytes and more than the live ones.
const COMPACT_AFTER_BYTES: u64 = 4 << 20;

/// A record as the dumper reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    pub sequence: u64,
    /// The record's bytes, base64 as received.
    pub data: String,
    pub arrival_ms: i64,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Where the record's line starts in the file.
    line: u64,
    /// Where its data starts, and how long it is.
    data: u64,
    len: u32,
    arrival_ms: i64,
}

#[derive(Debug)]
enum Store {
    /// Tests and partitions not yet opened.
    Memory(Vec<u8>),
    File {
        file: File,
        path: PathBuf,
    },
}

/// One partition's records.
#[derive(Debug)]
pub struct PartitionLog {
    store: Store,
    /// The sequence number of `entries[0]`.
    first: u64,
    entries: VecDeque<Entry>,
    /// Bytes in the store.
    size: u64,
}

impl Default for PartitionLog {
    fn default() -> Self {
        PartitionLog::in_memory(0)
    }
}

fn header(first: u64) -> Vec<u8> {
    format!("{MAGIC}{first}\n").into_bytes()
}

impl PartitionLog {
    /// A log kept in memory only, whose next record gets `first`.
    pub fn in_memory(first: u64) -> PartitionLog {
        let bytes = header(first);
        let size = bytes.len() as u64;
        PartitionLog {
            store: Store::Memory(bytes),
            first,
            entries: VecDeque::new(),
            size,
        }
    }

    /// Opens the log at `path`, creating it (numbering from `first`) when it does not exist.
    pub fn open(path: &Path, first: u64) -> io::Result<PartitionLog> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        if bytes.is_empty() {
            bytes = header(first);
            file.write_all(&bytes)?;
        }
        let (first, entries, good) = index(&bytes).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{} does not start with a record log header", path.display()),
            )
        })?;
        if good < bytes.len() as u64 {
            tracing::warn!(path = %path.display(), kept = good, "cutting a torn record off the end of a partition log");
            file.set_len(good)?;
        }
        Ok(PartitionLog {
            store: Store::File {
                file,
                path: path.to_path_buf(),
            },
            first,
            entries,
            size: good,
        })
    }

    /// Bytes in the store before the first live record: the header and dropped records.
    fn dead(&self) -> u64 {
        self.entries.front().map_or(self.size, |e| e.line)
    }

    /// The sequence number of the oldest record kept.
    pub fn first(&self) -> u64 {
        self.first
    }

    /// The sequence number the next record gets.
    pub fn end(&self) -> u64 {
        self.first + self.entries.len() as u64
    }

    /// Appends records (arrival time and base64 data) in one write. Returns the sequence
    /// number of the first.
    pub fn append(&mut self, records: &[(i64, &str)]) -> io::Result<u64> {
        let start = self.end();
        let mut buf = Vec::with_capacity(records.iter().map(|(_, d)| d.len() + 21).sum());
        let mut new = Vec::with_capacity(records.len());
        for (arrival_ms, data) in records {
            let line = self.size + buf.len() as u64;
            let prefix = format!("{arrival_ms} ");
            buf.extend_from_slice(prefix.as_bytes());
            new.push(Entry {
                line,
                data: line + prefix.len() as u64,
                len: data.len() as u32,
                arrival_ms: *arrival_ms,
            });
            buf.extend_from_slice(data.as_bytes());
            buf.push(b'\n');
        }
        match &mut self.store {
            Store::Memory(bytes) => bytes.extend_from_slice(&buf),
            Store::File { file, .. } => file.write_all_at(&buf, self.size)?,
        }
        self.size += buf.len() as u64;
        self.entries.extend(new);
        Ok(start)
    }

    /// Records from `offset` on, with how many before them were already gone (expired before
    /// they were read).
    pub fn since(&self, offset: u64) -> io::Result<(Vec<StoredRecord>, u64)> {
        let skipped = self.first.saturating_sub(offset);
        Ok((self.read(offset, usize::MAX, u64::MAX)?, skipped))
    }

    /// Records from `offset` on (at most `max_records`, and no more than `max_bytes` of
    /// decoded data: none when the first alone is larger), as a consumer reads them.
    pub fn read(
        &self,
        offset: u64,
        max_records: usize,
        max_bytes: u64,
    ) -> io::Result<Vec<StoredRecord>> {
        let from = offset.max(self.first) - self.first;
        let mut out = Vec::new();
        let mut bytes = 0u64;
        for (i, e) in self.entries.iter().enumerate().skip(from as usize) {
            // Base64's length, as the bytes it holds (near enough for a limit).
            let size = u64::from(e.len) / 4 * 3;
            if out.len() >= max_records || bytes + size > max_bytes {
                break;
            }
            bytes += size;
            let mut data = vec![0u8; e.len as usize];
            self.read_at(&mut data, e.data)?;
            out.push(StoredRecord {
                sequence: self.first + i as u64,
                data: String::from_utf8(data).map_err(|_| {
                    io::Error::new(io::ErrorKind::InvalidData, "a record is not text")
                })?,
                arrival_ms: e.arrival_ms,
            });
        }
        Ok(out)
    }

    /// The sequence number of the first record kept that arrived at or after `ms` (the end,
    /// when none did).
    pub fn at_time(&self, ms: i64) -> u64 {
        self.first + self.entries.partition_point(|e| e.arrival_ms < ms) as u64
    }

    fn read_at(&self, buf: &mut [u8], at: u64) -> io::Result<()> {
        match &self.store {
            Store::Memory(bytes) => {
                let range = at as usize..at as usize + buf.len();
                let src = bytes
                    .get(range)
                    .ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))?;
                buf.copy_from_slice(src);
                Ok(())
            }
            Store::File { file, .. } => file.read_exact_at(buf, at),
        }
    }

    /// Drops the records that arrived before `cutoff_ms` (retention). Returns how many.
    pub fn expire(&mut self, cutoff_ms: i64) -> io::Result<u64> {
        let mut dropped = 0;
        while self
            .entries
            .front()
            .is_some_and(|e| e.arrival_ms < cutoff_ms)
        {
            self.entries.pop_front();
            self.first += 1;
            dropped += 1;
        }
        if dropped > 0 {
            let dead = self.dead();
            let live = self.size - dead;
            if dead >= COMPACT_AFTER_BYTES && dead > live {
                self.compact()?;
            }
        }
        Ok(dropped)
    }

    /// Rewrites the store without the dropped records: a new file beside the old, renamed over
    /// it, so a crash leaves one or the other whole.
    fn compact(&mut self) -> io::Result<()> {
        let head = header(self.first);
        let dead = self.dead();
        let mut live = vec![0u8; (self.size - dead) as usize];
        self.read_at(&mut live, dead)?;
        let shift = dead as i64 - head.len() as i64;
        match &mut self.store {
            Store::Memory(bytes) => {
                *bytes = head.clone();
                bytes.extend_from_slice(&live);
            }
            Store::File { file, path } => {
                let tmp = path.with_extension("log.tmp");
                let mut out = File::create(&tmp)?;
                out.write_all(&head)?;
                out.write_all(&live)?;
                out.sync_all()?;
                std::fs::rename(&tmp, &*path)?;
                *file = OpenOptions::new().read(true).write(true).open(&*path)?;
            }
        }
        for e in &mut self.entries {
            e.line = (e.line as i64 - shift) as u64;
            e.data = (e.data as i64 - shift) as u64;
        }
        self.size = head.len() as u64 + live.len() as u64;
        Ok(())
    }
}

/// Reads a log's header and records: the first sequence number, the index, and how many bytes
/// hold whole lines. `None` when the header is missing.
fn index(bytes: &[u8]) -> Option<(u64, VecDeque<Entry>, u64)> {
    let header_end = bytes.iter().position(|b| *b == b'\n')?;
    let head = std::str::from_utf8(&bytes[..header_end]).ok()?;
    let first: u64 = head.strip_prefix(MAGIC)?.parse().ok()?;
    let mut entries = VecDeque::new();
    let mut at = header_end + 1;
    while at < bytes.len() {
        let Some(end) = bytes[at..].iter().position(|b| *b == b'\n').map(|e| at + e) else {
            break;
        };
        let line = &bytes[at..end];
        let Some(space) = line.iter().position(|b| *b == b' ') else {
            break;
        };
        let Some(arrival_ms) = std::str::from_utf8(&line[..space])
            .ok()
            .and_then(|s| s.parse().ok())
        else {
            break;
        };
        entries.push_back(Entry {
            line: at as u64,
            data: (at + space + 1) as u64,
            len: (line.len() - space - 1) as u32,
            arrival_ms,
        });
        at = end + 1;
    }
    Some((first, entries, at as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(log: &PartitionLog, from: u64) -> Vec<String> {
        log.since(from)
            .unwrap()
            .0
            .into_iter()
            .map(|r| r.data)
            .collect()
    }

    #[test]
    fn appends_read_back_in_order_with_sequence_numbers() {
        let mut log = PartitionLog::in_memory(0);
        assert_eq!(log.append(&[(1, "YQ=="), (2, "Yg==")]).unwrap(), 0);
        assert_eq!(log.append(&[(3, "Yw==")]).unwrap(), 2);
        assert_eq!(log.end(), 3);
        let (records, skipped) = log.since(1).unwrap();
        assert_eq!(skipped, 0);
        assert_eq!(records[0].sequence, 1);
        assert_eq!(records[0].data, "Yg==");
        assert_eq!(records[1].arrival_ms, 3);
        assert!(log.since(3).unwrap().0.is_empty());
    }

    #[test]
    fn a_consumer_reads_within_its_limits_and_finds_records_by_arrival() {
        let mut log = PartitionLog::in_memory(5);
        // "YWJjZA==" holds 4 bytes, counted as 6 (base64's length × 3 / 4).
        log.append(&[(10, "YWJjZA=="), (20, "YWJjZA=="), (30, "YWJjZA==")])
            .unwrap();
        let seqs = |r: Vec<StoredRecord>| r.into_iter().map(|r| r.sequence).collect::<Vec<_>>();
        assert_eq!(seqs(log.read(6, 10, 1 << 20).unwrap()), [6, 7]);
        assert_eq!(seqs(log.read(0, 2, 1 << 20).unwrap()), [5, 6]);
        assert_eq!(seqs(log.read(5, 10, 12).unwrap()), [5, 6]);
        // A limit below the next record's size reads nothing, however often it is asked.
        assert!(log.read(5, 10, 5).unwrap().is_empty());
        assert_eq!(log.at_time(0), 5);
        assert_eq!(log.at_time(20), 6);
        assert_eq!(log.at_time(21), 7);
        assert_eq!(log.at_time(31), 8);
    }

    #[test]
    fn retention_drops_from_the_front_and_reports_skips() {
        let mut log = PartitionLog::in_memory(0);
        log.append(&[(10, "YQ=="), (20, "Yg=="), (30, "Yw==")])
            .unwrap();
        assert_eq!(log.expire(25).unwrap(), 2);
        assert_eq!((log.first(), log.end()), (2, 3));
        let (records, skipped) = log.since(0).unwrap();
        assert_eq!(skipped, 2);
        assert_eq!(records[0].data, "Yw==");
    }

    #[test]
    fn a_file_log_survives_reopening_and_a_torn_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s/0.log");
        {
            let mut log = PartitionLog::open(&path, 0).unwrap();
            log.append(&[(1, "YQ=="), (2, "Yg==")]).unwrap();
        }
        // A write cut short by a crash.
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"3 Yw").unwrap();
        let mut log = PartitionLog::open(&path, 0).unwrap();
        assert_eq!(log.end(), 2);
        assert_eq!(data(&log, 0), ["YQ==", "Yg=="]);
        log.append(&[(4, "ZA==")]).unwrap();
        let log = PartitionLog::open(&path, 0).unwrap();
        assert_eq!(data(&log, 0), ["YQ==", "Yg==", "ZA=="]);
    }

    #[test]
    fn compaction_keeps_the_live_records_and_their_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("0.log");
        let mut log = PartitionLog::open(&path, 0).unwrap();
        let big = "Q".repeat(4096);
        let batch: Vec<(i64, &str)> = (0..1_500).map(|i| (i, big.as_str())).collect();
        log.append(&batch).unwrap();
        log.append(&[(5_000, "bGl2ZQ==")]).unwrap();
        log.expire(1_500).unwrap();
        let size = std::fs::metadata(&path).unwrap().len();
        assert!(size < 100, "the file was rewritten: {size} bytes");
        assert_eq!((log.first(), log.end()), (1_500, 1_501));
        assert_eq!(data(&log, 0), ["bGl2ZQ=="]);
        log.append(&[(6_000, "bmV4dA==")]).unwrap();
        let reopened = PartitionLog::open(&path, 0).unwrap();
        assert_eq!((reopened.first(), reopened.end()), (1_500, 1_502));
        assert_eq!(data(&reopened, 1_501), ["bmV4dA=="]);
    }
}
