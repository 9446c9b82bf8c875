//! Reading a stream as a consumer does: `GET /v2/{project}/cursors` gives an opaque cursor into
//! one partition, valid for five minutes; `GET /v2/{project}/records` reads from it and answers
//! the cursor that goes on. Reads count in the partition's traffic like a dump's.

use super::Backend;
use crate::refusal::Refusal;
use crate::state::parse_partition_id;
use crate::{lock, Shared};
use app::clock::now_ms;
use app::domain::dis::{CursorResponse, ReadRecord, RecordsResponse};
use axum::{
    extract::{Query, State},
    http::StatusCode,
    Json,
};

/// How long a cursor stays valid.
pub const CURSOR_LIFE_MS: i64 = 5 * 60_000;

/// The most records one read answers.
const MAX_READ_RECORDS: usize = 1000;

/// What a read asks for when it names no limit.
const DEFAULT_FETCH_BYTES: u64 = 1 << 20;

/// Where a cursor points: a partition of a stream (by the stream's id, so a stream deleted and
/// made again under its name does not take old cursors), and the next sequence number.
#[derive(Debug, Clone)]
pub(crate) struct Cursor {
    stream_id: String,
    partition: usize,
    next: u64,
    /// When it was given out (epoch ms).
    pub(crate) issued_ms: i64,
}

#[derive(serde::Deserialize)]
pub(super) struct CursorQuery {
    #[serde(rename = "stream-name")]
    stream_name: Option<String>,
    #[serde(rename = "partition-id")]
    partition_id: Option<String>,
    #[serde(rename = "cursor-type")]
    cursor_type: Option<String>,
    #[serde(rename = "starting-sequence-number")]
    starting_sequence_number: Option<String>,
    timestamp: Option<String>,
}

#[derive(serde::Deserialize)]
pub(super) struct RecordsQuery {
    #[serde(rename = "partition-cursor")]
    partition_cursor: Option<String>,
    max_fetch_bytes: Option<String>,
}

fn refusal(code: &'static str, message: &str) -> Refusal {
    Refusal::new(StatusCode::BAD_REQUEST, code, message)
}

fn expired_sequence() -> Refusal {
    refusal("DIS.4226", "The sequence number has expired.")
}

impl Shared {
    /// Gives out a cursor, forgetting those past their life.
    fn issue(&self, cursor: Cursor) -> String {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let mut cursors = lock(&self.cursors);
        cursors.retain(|_, c| cursor.issued_ms - c.issued_ms <= CURSOR_LIFE_MS);
        cursors.insert(id.clone(), cursor);
        id
    }
}

pub(super) async fn cursor(
    State(shared): Backend,
    Query(q): Query<CursorQuery>,
) -> Result<Json<CursorResponse>, Refusal> {
    let name = q
        .stream_name
        .ok_or_else(|| Refusal::invalid("stream-name is required"))?;
    let partition = q
        .partition_id
        .as_deref()
        .and_then(parse_partition_id)
        .ok_or_else(Refusal::partition_not_found)?;
    let sequence = || {
        q.starting_sequence_number
            .as_deref()
            .and_then(|n| n.parse::<u64>().ok())
            .ok_or_else(|| refusal("DIS.4216", "Invalid starting-sequence-number."))
    };
    let st = lock(&shared.state);
    let stream = st
        .streams
        .get(&name)
        .ok_or_else(Refusal::stream_not_found)?;
    let log = &stream
        .partitions
        .get(partition)
        .ok_or_else(Refusal::partition_not_found)?
        .log;
    let at = |n: u64| {
        if n < log.first() {
            Err(expired_sequence())
        } else if n > log.end() {
            Err(refusal(
                "DIS.4224",
                "The sequence number is out of the partition's range.",
            ))
        } else {
            Ok(n)
        }
    };
    let next = match q.cursor_type.as_deref().unwrap_or("AT_SEQUENCE_NUMBER") {
        "AT_SEQUENCE_NUMBER" => at(sequence()?)?,
        "AFTER_SEQUENCE_NUMBER" => at(sequence()?.saturating_add(1))?,
        "TRIM_HORIZON" => log.first(),
        "LATEST" => log.end(),
        "AT_TIMESTAMP" => {
            let ms = q
                .timestamp
                .as_deref()
                .and_then(|t| t.parse::<i64>().ok())
                .ok_or_else(|| Refusal::invalid("timestamp (epoch milliseconds) is required"))?;
            log.at_time(ms)
        }
        _ => return Err(refusal("DIS.4215", "Invalid cursor-type.")),
    };
    let cursor = Cursor {
        stream_id: stream.id.clone(),
        partition,
        next,
        issued_ms: now_ms(),
    };
    drop(st);
    Ok(Json(CursorResponse {
        partition_cursor: shared.issue(cursor),
    }))
}

pub(super) async fn records(
    State(shared): Backend,
    Query(q): Query<RecordsQuery>,
) -> Result<Json<RecordsResponse>, Refusal> {
    let max_bytes = match q.max_fetch_bytes.as_deref() {
        None => DEFAULT_FETCH_BYTES,
        Some(n) => n
            .parse::<u64>()
            .map_err(|_| Refusal::invalid("max_fetch_bytes must be a whole number"))?,
    };
    let id = q
        .partition_cursor
        .ok_or_else(|| refusal("DIS.4217", "partition-cursor is required."))?;
    let now = now_ms();
    let cursor = lock(&shared.cursors)
        .get(&id)
        .cloned()
        .ok_or_else(|| refusal("DIS.4217", "Invalid partition-cursor."))?;
    if now - cursor.issued_ms > CURSOR_LIFE_MS {
        return Err(refusal("DIS.4225", "The partition cursor has expired."));
    }
    let mut st = lock(&shared.state);
    let stream = st
        .streams
        .values_mut()
        .find(|s| s.id == cursor.stream_id)
        .ok_or_else(Refusal::stream_not_found)?;
    let partition = stream
        .partitions
        .get_mut(cursor.partition)
        .ok_or_else(Refusal::partition_not_found)?;
    if cursor.next < partition.log.first() {
        return Err(expired_sequence());
    }
    let read = partition
        .log
        .read(cursor.next, MAX_READ_RECORDS, max_bytes)
        .map_err(|e| {
            tracing::error!(error = %e, "the DIS backend cannot read a partition's log");
            Refusal::system_error()
        })?;
    let bytes: u64 = read
        .iter()
        .map(|r| crate::state::decoded_len(&r.data))
        .sum();
    partition.count_read(read.len() as u64, bytes, now);
    let next = read.last().map_or(cursor.next, |r| r.sequence + 1);
    drop(st);
    let records = read
        .into_iter()
        .map(|r| ReadRecord {
            partition_key: None,
            sequence_number: r.sequence.to_string(),
            data: r.data,
            timestamp: r.arrival_ms,
            timestamp_type: None,
        })
        .collect();
    let next_partition_cursor = shared.issue(Cursor {
        next,
        issued_ms: now,
        ..cursor
    });
    Ok(Json(RecordsResponse {
        records,
        next_partition_cursor: Some(next_partition_cursor),
    }))
}
