//! A stream's own records, for the wizard's preview: every partition read at once, within a
//! time budget, a few hundred records each. Record contents are data: they go to the operator
//! who asked and nowhere else (nothing here writes a record, or a cursor, to a log line).

use super::streams::describe;
use crate::api::envelope::upstream_error;
use crate::domain::dis::{CursorPosition, ReadRecord};
use crate::domain::health::SeqRange;
use crate::domain::sample::{PartitionRead, SampleFrom, Sampled, StreamSample, NEWEST, RECENT_MS};
use crate::domain::{PartitionId, StreamName};
use crate::error::AppError;
use crate::ports::{DisPort, Samples};
use base64::Engine;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::{timeout_at, Instant};

/// The most records read from one partition.
pub const PER_PARTITION: usize = 200;

/// The most bytes read from one partition.
pub const BYTES_PER_PARTITION: usize = 2 << 20;

/// The most bytes one read holds over all partitions: a stream with many partitions gets less
/// of each (at least [`LEAST_PER_PARTITION`]).
pub const BYTES_PER_READ: usize = 8 << 20;

const LEAST_PER_PARTITION: usize = 128 << 10;

/// How long a read may take in all.
pub const BUDGET: Duration = Duration::from_secs(5);

/// What one fetch asks DIS for: 1 MB, the largest record. DIS answers a fetch whose limit is
/// below the next record's size with nothing, forever.
const FETCH_BYTES: u32 = 1 << 20;

/// What one partition's read may take.
#[derive(Clone, Copy)]
struct Limits {
    records: usize,
    bytes: usize,
    deadline: Instant,
}

/// The most partitions read at once.
pub const PARTITIONS_AT_ONCE: usize = 16;

/// Reads `stream`'s records from `from`: [`PARTITIONS_AT_ONCE`] partitions at a time, at most
/// [`PER_PARTITION`] records and [`BYTES_PER_PARTITION`] each, within [`BUDGET`]. A partition that fails or
/// runs out of time says so in its [`PartitionRead::stopped`]; the others still count.
pub async fn read(
    dis: &dyn DisPort,
    stream: &str,
    from: SampleFrom,
    now_ms: i64,
) -> Result<StreamSample, AppError> {
    let (name, described) = describe(dis, stream).await?;
    let deadline = Instant::now() + BUDGET;
    let partitions: Vec<(PartitionId, Option<SeqRange>)> = described
        .partitions
        .iter()
        .filter_map(|p| {
            let id = PartitionId::parse(&p.partition_id).ok()?;
            Some((id, SeqRange::parse(&p.sequence_number_range)))
        })
        .collect();
    let limits = Limits {
        records: match from {
            SampleFrom::Newest => NEWEST,
            SampleFrom::Recent | SampleFrom::Oldest => PER_PARTITION,
        },
        bytes: (BYTES_PER_READ / partitions.len().max(1))
            .clamp(LEAST_PER_PARTITION, BYTES_PER_PARTITION),
        deadline,
    };
    use futures_util::StreamExt;
    let reads: Vec<_> = futures_util::stream::iter(partitions.clone())
        .map(|(id, range)| read_from(dis, name.clone(), id, range, from, now_ms, limits))
        .buffered(PARTITIONS_AT_ONCE)
        .collect()
        .await;
    let mut records: Vec<Sampled> = Vec::new();
    let mut stops = Vec::new();
    for ((id, _), (got, stopped)) in partitions.iter().zip(reads) {
        records.extend(got);
        stops.push((id.to_string(), stopped));
    }
    records.sort_by_key(|r| r.arrival_ms);
    if from == SampleFrom::Newest {
        let extra = records.len().saturating_sub(NEWEST);
        records.drain(..extra);
    }
    let partitions = stops
        .into_iter()
        .map(|(partition, stopped)| PartitionRead {
            records: records.iter().filter(|r| r.partition == partition).count(),
            partition,
            stopped,
        })
        .collect();
    Ok(StreamSample {
        from,
        data_type: described.data_type(),
        read_at_ms: now_ms,
        partitions,
        records,
    })
}

/// One partition's read from `from`, knowing its range: an empty partition is not asked.
async fn read_from(
    dis: &dyn DisPort,
    stream: StreamName,
    partition: PartitionId,
    range: Option<SeqRange>,
    from: SampleFrom,
    now_ms: i64,
    limits: Limits,
) -> (Vec<Sampled>, Option<String>) {
    let start = match from {
        SampleFrom::Recent => CursorPosition::AtTimestamp(now_ms - RECENT_MS),
        SampleFrom::Oldest => CursorPosition::TrimHorizon,
        // Without a range there is no telling where the newest start.
        SampleFrom::Newest => match range {
            Some(r) => {
                CursorPosition::AtSequence(r.next.saturating_sub(NEWEST as u64).max(r.first))
            }
            None => {
                let why = "DIS did not report which records the partition keeps.";
                return (Vec::new(), Some(why.to_owned()));
            }
        },
    };
    if range.is_some_and(SeqRange::is_empty) {
        return (Vec::new(), None);
    }
    read_partition(dis, &stream, &partition, start, limits).await
}

/// How long a read serves the preview that asked for it.
pub const KEPT_MS: i64 = 5 * 60_000;

/// The most reads kept at once, over all operators (the oldest go first).
const KEPT_READS: usize = 16;

/// The read `operator` made of `stream` at `read` (epoch ms of their press), kept for
/// [`KEPT_MS`] so the preview can follow the draft without asking DIS again; made now when it
/// is not kept (or is too old).
pub async fn kept(
    dis: &dyn DisPort,
    samples: &Samples,
    operator: &str,
    stream: &str,
    from: SampleFrom,
    read_ms: i64,
    now_ms: i64,
) -> Result<Arc<StreamSample>, AppError> {
    let key = format!("{operator}\n{stream}\n{}\n{read_ms}", from.as_wire());
    let fresh = |age_ms| age_ms <= KEPT_MS;
    let read = read(dis, stream, from, now_ms);
    super::shared(&samples.0, key, now_ms, fresh, KEPT_READS, read).await
}

/// How a run of fetches from one cursor ended.
enum Ended {
    /// Caught up, or a limit reached (with words for the latter), or a refusal in words.
    Stopped(Option<String>),
    /// The cursor or its sequence number expired: a new cursor may go on.
    Expired(AppError),
}

/// One partition's records from `start`, within `limits`; with why it stopped early, if it did.
/// An expired cursor (DIS.4225) or sequence number (DIS.4226) is renewed once, after the last
/// record read.
async fn read_partition(
    dis: &dyn DisPort,
    stream: &StreamName,
    partition: &PartitionId,
    start: CursorPosition,
    limits: Limits,
) -> (Vec<Sampled>, Option<String>) {
    let mut got: Vec<Sampled> = Vec::new();
    let mut bytes = 0usize;
    let mut last: Option<u64> = None;
    let mut renewed = false;
    let out_of_time = || Some(format!("Stopped after {} seconds.", BUDGET.as_secs()));
    let stopped = loop {
        let position = last.map_or(start, CursorPosition::AfterSequence);
        let mut cursor =
            match timeout_at(limits.deadline, dis.cursor(stream, partition, position)).await {
                Err(_) => break out_of_time(),
                Ok(Err(e)) => break Some(upstream_error(e).to_string()),
                Ok(Ok(c)) => c,
            };
        let ended = loop {
            if got.len() >= limits.records {
                break Ended::Stopped(
                    (limits.records == PER_PARTITION)
                        .then(|| format!("Stopped at {PER_PARTITION} records.")),
                );
            }
            if bytes >= limits.bytes {
                break Ended::Stopped(Some(format!("Stopped at {} KB.", limits.bytes >> 10)));
            }
            let answer = match timeout_at(limits.deadline, dis.records(&cursor, FETCH_BYTES)).await
            {
                Err(_) => break Ended::Stopped(out_of_time()),
                Ok(Err(e)) if matches!(e.code.as_deref(), Some("DIS.4225" | "DIS.4226")) => {
                    break Ended::Expired(upstream_error(e))
                }
                Ok(Err(e)) => break Ended::Stopped(Some(upstream_error(e).to_string())),
                Ok(Ok(answer)) => answer,
            };
            if answer.records.is_empty() {
                break Ended::Stopped(None);
            }
            for record in answer.records {
                if got.len() >= limits.records {
                    break;
                }
                let sampled = sampled(partition, record, &mut last);
                bytes += sampled.data.len();
                got.push(sampled);
            }
            match answer.next_partition_cursor {
                Some(next) if !next.is_empty() => cursor = next,
                _ => break Ended::Stopped(None),
            }
        };
        match ended {
            Ended::Stopped(why) => break why,
            Ended::Expired(e) if renewed => break Some(e.to_string()),
            Ended::Expired(_) => renewed = true,
        }
    };
    (got, stopped)
}

/// A record as DIS answered it, decoded; `last` moves on to its sequence number.
fn sampled(partition: &PartitionId, record: ReadRecord, last: &mut Option<u64>) -> Sampled {
    if let Ok(n) = record.sequence_number.parse::<u64>() {
        *last = Some(n);
    }
    Sampled {
        partition: partition.to_string(),
        arrival_ms: record.timestamp,
        // DIS sends base64; anything else is kept as it came, and reads as not JSON.
        data: base64::engine::general_purpose::STANDARD
            .decode(&record.data)
            .unwrap_or_else(|_| record.data.into_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::fakes::{FakeDis, FAKE_FIRST_ARRIVAL};

    fn dis() -> FakeDis {
        FakeDis::with_streams(["s".to_owned()])
    }

    #[tokio::test]
    async fn recent_reads_from_fifteen_minutes_before_now_through_cursors() {
        let dis = dis();
        // The fake's records arrive every 6 s for 10 minutes; 10 minutes and 6 s after the
        // last, the last 15 minutes hold the 50 that arrived from minute 5 on.
        let now = FAKE_FIRST_ARRIVAL + 99 * 6_000 + 10 * 60_000 + 6_000;
        let sample = read(&dis, "s", SampleFrom::Recent, now).await.unwrap();
        assert_eq!(sample.records.len(), 50);
        assert!(sample.records[0].arrival_ms >= now - RECENT_MS);
        assert_eq!(sample.partitions[0].records, 50);
        assert_eq!(sample.partitions[0].stopped, None);
        assert!(sample
            .records
            .windows(2)
            .all(|w| w[0].arrival_ms <= w[1].arrival_ms));
        let first: serde_json::Value = serde_json::from_slice(&sample.records[0].data).unwrap();
        assert_eq!(first["n"], 50);
    }

    #[tokio::test]
    async fn newest_keeps_the_last_hundred_and_oldest_starts_at_the_first() {
        let dis = dis();
        let newest = read(&dis, "s", SampleFrom::Newest, 0).await.unwrap();
        assert_eq!(newest.records.len(), 100);
        let oldest = read(&dis, "s", SampleFrom::Oldest, 0).await.unwrap();
        assert_eq!(oldest.records.len(), 100);
        let n: serde_json::Value = serde_json::from_slice(&oldest.records[0].data).unwrap();
        assert_eq!(n["n"], 0);
    }

    #[tokio::test]
    async fn an_expired_cursor_is_renewed_once_after_the_last_record_read() {
        let dis = dis();
        dis.expire_cursors(1);
        let sample = read(&dis, "s", SampleFrom::Oldest, 0).await.unwrap();
        assert_eq!(sample.records.len(), 100, "nothing lost, nothing twice");
        let ns: Vec<u64> = sample
            .records
            .iter()
            .map(|r| {
                serde_json::from_slice::<serde_json::Value>(&r.data).unwrap()["n"]
                    .as_u64()
                    .unwrap()
            })
            .collect();
        assert_eq!(ns, (0..100).collect::<Vec<_>>());

        dis.expire_cursors(2);
        let sample = read(&dis, "s", SampleFrom::Oldest, 0).await.unwrap();
        let stopped = sample.partitions[0].stopped.clone().unwrap();
        assert!(stopped.contains("DIS.4225"), "{stopped}");
    }

    #[tokio::test]
    async fn a_read_is_kept_for_the_operator_who_made_it_for_five_minutes() {
        let dis = dis();
        let samples = Samples::default();
        let at = FAKE_FIRST_ARRIVAL;
        let first = kept(&dis, &samples, "ann", "s", SampleFrom::Oldest, 7, at)
            .await
            .unwrap();
        let calls = dis.calls();
        let again = kept(
            &dis,
            &samples,
            "ann",
            "s",
            SampleFrom::Oldest,
            7,
            at + KEPT_MS,
        )
        .await
        .unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(dis.calls(), calls, "no DIS call for a kept read");
        // Another operator's press, a new press, and an old read each read DIS.
        kept(&dis, &samples, "bob", "s", SampleFrom::Oldest, 7, at)
            .await
            .unwrap();
        kept(&dis, &samples, "ann", "s", SampleFrom::Oldest, 8, at)
            .await
            .unwrap();
        let stale = kept(
            &dis,
            &samples,
            "ann",
            "s",
            SampleFrom::Oldest,
            7,
            at + KEPT_MS + 1,
        )
        .await
        .unwrap();
        assert!(!Arc::ptr_eq(&first, &stale));
        assert!(dis.calls() > calls + 3);
        assert!(samples.0.lock().unwrap().len() <= KEPT_READS);
    }

    #[tokio::test]
    async fn an_unknown_stream_is_the_operators_error() {
        let err = read(&dis(), "nope", SampleFrom::Recent, 0)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("does not exist"), "{err}");
    }
}
