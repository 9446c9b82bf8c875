//! `GET …/streams/{stream}/metrics` and `…/partitions/{partition}/metrics`: the monitoring
//! API, from each partition's per-minute figures. Periods are epoch seconds, at most seven
//! days, within the last seven days; points are per minute, epoch milliseconds, and only for
//! minutes with traffic. Labels DIS documents but the backend does not measure (latencies,
//! request counts, throttling, which it never does) answer with no points.

use super::Backend;
use crate::lock;
use crate::refusal::Refusal;
use crate::state::{parse_partition_id, Partition, Traffic};
use app::clock::now_ms;
use app::domain::metrics::{
    DataPoint, Measure, Metrics, MetricsResponse, MAX_PERIOD_SECONDS, OTHER_STREAM_LABELS,
};
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    Json,
};

#[derive(serde::Deserialize)]
pub(super) struct MetricsQuery {
    label: Option<String>,
    label_list: Option<String>,
    start_time: Option<String>,
    end_time: Option<String>,
}

/// Where a label is valid, and which figure it reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Stream,
    Partition,
}

/// Reads one figure of a minute's traffic.
type Figure = fn(&Traffic) -> u64;

/// Whether `label` is one of DIS's labels for `scope` (`None` when not), and the figure it reads
/// (`Some(None)`: a label the backend does not measure).
fn figure(label: &str, scope: Scope) -> Option<Option<Figure>> {
    let measure = Measure::ALL.into_iter().find(|m| match scope {
        Scope::Stream => m.stream_label() == label,
        Scope::Partition => m.partition_label() == Some(label),
    });
    match measure {
        Some(m) => Some(read(m)),
        None if scope == Scope::Stream && OTHER_STREAM_LABELS.contains(&label) => Some(None),
        None => None,
    }
}

/// The figure a measure reads; the backend never throttles, so it keeps no throttling figure.
fn read(m: Measure) -> Option<Figure> {
    match m {
        Measure::PutRecords => Some(|t| t.put_records),
        Measure::PutBytes => Some(|t| t.put_bytes),
        Measure::GetRecords => Some(|t| t.get_records),
        Measure::GetBytes => Some(|t| t.get_bytes),
        Measure::ThrottledPut | Measure::ThrottledGet => None,
    }
}

fn invalid_period() -> Refusal {
    Refusal::new(
        StatusCode::BAD_REQUEST,
        "DIS.4203",
        "Invalid monitoring period.",
    )
}

/// The labels asked for (`label_list` wins over `label`) and the period, checked.
fn checked(q: &MetricsQuery, scope: Scope) -> Result<(Vec<String>, bool, i64, i64), Refusal> {
    let (labels, listed) = match (&q.label_list, &q.label) {
        (Some(list), _) => (list.split(',').map(|l| l.trim().to_owned()).collect(), true),
        (None, Some(one)) => (vec![one.trim().to_owned()], false),
        (None, None) => (Vec::new(), false),
    };
    if labels.is_empty() || labels.iter().any(|l| figure(l, scope).is_none()) {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "DIS.4209",
            "Invalid metrics label.",
        ));
    }
    let seconds = |v: &Option<String>| v.as_deref().and_then(|v| v.trim().parse::<i64>().ok());
    let (Some(start), Some(end)) = (seconds(&q.start_time), seconds(&q.end_time)) else {
        return Err(invalid_period());
    };
    if start >= end || start < 0 {
        return Err(invalid_period());
    }
    let now = now_ms() / 1000;
    if end - start > MAX_PERIOD_SECONDS || start < now - MAX_PERIOD_SECONDS - 3_600 {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "DIS.4204",
            "The monitoring period cannot be longer than 7 days.",
        ));
    }
    Ok((labels, listed, start, end))
}

/// The answer for `labels` over `partitions`, summed minute by minute.
fn answer(
    labels: &[String],
    listed: bool,
    scope: Scope,
    partitions: &[&Partition],
    (start, end): (i64, i64),
) -> MetricsResponse {
    let mut series: Vec<Metrics> = labels
        .iter()
        .map(|label| {
            let read = figure(label, scope).flatten();
            let mut points: std::collections::BTreeMap<i64, u64> = Default::default();
            if let Some(read) = read {
                // Minutes that start within the period.
                for p in partitions {
                    for (minute, t) in p.traffic.range(start..end) {
                        *points.entry(*minute).or_default() += read(t);
                    }
                }
            }
            Metrics {
                label: label.clone(),
                data_points: points
                    .into_iter()
                    .filter(|(_, v)| *v > 0)
                    .map(|(minute, v)| DataPoint {
                        timestamp: minute * 1000,
                        value: v as f64,
                    })
                    .collect(),
            }
        })
        .collect();
    if listed {
        MetricsResponse {
            metrics: None,
            metrics_list: series,
        }
    } else {
        MetricsResponse {
            metrics: series.pop(),
            metrics_list: Vec::new(),
        }
    }
}

pub(super) async fn stream(
    State(shared): Backend,
    Path((_, stream)): Path<(String, String)>,
    Query(q): Query<MetricsQuery>,
) -> Result<Json<MetricsResponse>, Refusal> {
    figures(&shared, &stream, None, &q)
}

pub(super) async fn partition(
    State(shared): Backend,
    Path((_, stream, partition)): Path<(String, String, String)>,
    Query(q): Query<MetricsQuery>,
) -> Result<Json<MetricsResponse>, Refusal> {
    figures(&shared, &stream, Some(&partition), &q)
}

/// The figures of `stream`, or of one of its partitions, for the query.
fn figures(
    shared: &crate::Shared,
    stream: &str,
    partition: Option<&str>,
    q: &MetricsQuery,
) -> Result<Json<MetricsResponse>, Refusal> {
    let st = lock(&shared.state);
    let s = st
        .streams
        .get(stream)
        .ok_or_else(Refusal::stream_not_found)?;
    let (scope, partitions): (Scope, Vec<&Partition>) = match partition {
        None => (Scope::Stream, s.partitions.iter().collect()),
        Some(id) => {
            let p = parse_partition_id(id)
                .and_then(|i| s.partitions.get(i))
                .ok_or_else(Refusal::partition_not_found)?;
            (Scope::Partition, vec![p])
        }
    };
    let (labels, listed, start, end) = checked(q, scope)?;
    Ok(Json(answer(
        &labels,
        listed,
        scope,
        &partitions,
        (start, end),
    )))
}
