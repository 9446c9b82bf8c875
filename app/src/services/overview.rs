//! Reading the overview from DIS: every stream, its tasks and their progress, with at most
//! [`MAX_IN_FLIGHT`] calls at a time. The server runs it in the background and shares the result
//! with every operator (see the `server` crate's `overview` module); nothing here keeps state.

use super::streams::{walk, ALL_STREAMS_PAGES};
use crate::domain::dis::{DescribeStreamResponse, ListTasksResponse, StreamInfo};
use crate::domain::health::{assess, task_health, TaskFacts};
use crate::domain::metrics::{Measure, Window};
use crate::domain::overview::{OverviewSnapshot, SnapshotProblem, StreamSummary, TaskLine};
use crate::domain::{StreamName, TaskName};
use crate::ports::{DisPort, UpstreamError, UpstreamKind};
use futures_util::{stream, StreamExt};
use std::sync::atomic::{AtomicU32, Ordering};

/// The most DIS calls one read of the overview has in flight.
pub const MAX_IN_FLIGHT: usize = 8;

/// What a stream contributed: its summary and its tasks' lines.
struct StreamRead {
    summary: StreamSummary,
    partitions: Vec<crate::domain::dis::StreamPartition>,
    tasks: ListTasksResponse,
}

/// Reads every stream and task at `now_ms`. Stream by stream, describe and list run one after
/// the other, and streams are read [`MAX_IN_FLIGHT`] at a time; then every task's details, the
/// same number at a time: so no more than that many calls are ever in flight.
///
/// Fails only when the list of streams cannot be read, or when no stream could be read at all
/// (DIS is down): the caller then keeps the last snapshot and marks it stale.
pub async fn read(dis: &dyn DisPort, now_ms: i64) -> Result<OverviewSnapshot, UpstreamError> {
    let calls = AtomicU32::new(0);
    let counted = |n: u32| calls.fetch_add(n, Ordering::Relaxed);
    let infos = walk(dis, None, usize::MAX, "", 100, ALL_STREAMS_PAGES).await?;
    // One page per hundred streams, and the first even when there are none.
    counted((infos.streams.len() as u32).div_ceil(100).max(1));
    let reads: Vec<(StreamInfo, Result<StreamRead, UpstreamError>)> = stream::iter(infos.streams)
        .map(|info| async {
            let read = read_stream(dis, &info, now_ms, &calls).await;
            (info, read)
        })
        .buffered(MAX_IN_FLIGHT)
        .collect()
        .await;
    if let Some((_, Err(first))) = reads.first() {
        if reads.iter().all(|(_, r)| r.is_err()) {
            return Err(first.clone());
        }
    }
    let mut streams = Vec::with_capacity(reads.len());
    let mut pending = Vec::new();
    for (info, read) in reads {
        match read {
            Ok(read) => {
                for task in read.tasks.tasks {
                    pending.push((read.summary.name.clone(), read.partitions.clone(), task));
                }
                streams.push(read.summary);
            }
            // Listed all the same, with why nothing more is known of it.
            Err(e) => {
                let why = problem(e, now_ms).to_string();
                streams.push(summary(&info, None, 0, Some(why)));
            }
        }
    }
    let tasks: Vec<TaskLine> = stream::iter(pending)
        .map(|(stream, partitions, summary)| {
            counted(1);
            async move {
                let details = match (
                    StreamName::parse(&stream),
                    TaskName::parse(&summary.task_name),
                ) {
                    (Ok(s), Ok(t)) => dis.show_dump_task(&s, &t).await.ok(),
                    _ => None,
                };
                match details {
                    Some(d) => {
                        let (_, health) = task_health(&d, &partitions, now_ms);
                        TaskLine {
                            stream,
                            task: d.task_name.clone(),
                            state: d.state,
                            destination: d.destination(),
                            interval_seconds: d.interval_seconds(),
                            last_dump_ms: d.last_transfer_timestamp,
                            health,
                        }
                    }
                    // The list's entry still says the state; nothing is known of the progress.
                    None => {
                        let mut health = assess(
                            TaskFacts {
                                state: summary.state,
                                interval_seconds: None,
                                last_dump_ms: summary.last_transfer_timestamp,
                                create_ms: summary.create_time,
                                behind: 0,
                                discard: 0,
                            },
                            now_ms,
                        );
                        health.reason = "DIS did not report this task's progress".into();
                        TaskLine {
                            stream,
                            task: summary.task_name,
                            state: summary.state,
                            destination: None,
                            interval_seconds: None,
                            last_dump_ms: summary.last_transfer_timestamp,
                            health,
                        }
                    }
                }
            }
        })
        .buffered(MAX_IN_FLIGHT)
        .collect()
        .await;
    let mut snapshot = OverviewSnapshot {
        taken_ms: now_ms,
        calls: calls.load(Ordering::Relaxed),
        streams,
        tasks,
        problem: None,
        refresh_seconds: 0,
        read: 0,
    };
    snapshot.sort();
    Ok(snapshot)
}

/// One stream: describe and list its tasks; for a stream without tasks, its last hour's
/// records. A stream that cannot be read is listed with the reason.
async fn read_stream(
    dis: &dyn DisPort,
    info: &StreamInfo,
    now_ms: i64,
    calls: &AtomicU32,
) -> Result<StreamRead, UpstreamError> {
    let name = match StreamName::parse(&info.stream_name) {
        Ok(n) => n,
        Err(e) => {
            return Ok(StreamRead {
                summary: summary(info, None, 0, Some(e)),
                partitions: Vec::new(),
                tasks: ListTasksResponse::default(),
            })
        }
    };
    calls.fetch_add(2, Ordering::Relaxed);
    let described: DescribeStreamResponse = dis.describe_stream(&name).await?;
    let tasks = dis.list_dump_tasks(&name).await?;
    let recent = if tasks.tasks.is_empty() {
        calls.fetch_add(1, Ordering::Relaxed);
        let period = (now_ms / 1000 - Window::Hour.seconds(), now_ms / 1000);
        dis.metrics(&name, None, &[Measure::PutRecords.stream_label()], period)
            .await
            .ok()
            .map(|m| {
                m.series()
                    .iter()
                    .flat_map(|s| s.data_points.iter())
                    .map(|p| p.value.max(0.0) as u64)
                    .sum()
            })
    } else {
        None
    };
    let info = StreamInfo {
        data_type: if described.data_type.is_empty() {
            info.data_type.clone()
        } else {
            described.data_type.clone()
        },
        partition_count: if described.partitions.is_empty() {
            info.partition_count
        } else {
            described.partitions.len() as u32
        },
        ..info.clone()
    };
    Ok(StreamRead {
        summary: summary(&info, recent, tasks.tasks.len() as u32, None),
        partitions: described.partitions,
        tasks,
    })
}

fn summary(
    info: &StreamInfo,
    recent: Option<u64>,
    tasks: u32,
    problem: Option<String>,
) -> StreamSummary {
    StreamSummary {
        name: info.stream_name.clone(),
        data_type: info.data_type.clone(),
        partitions: info.partition_count,
        tasks,
        recent_records: recent,
        problem,
    }
}

/// A failed read as the overview reports it: the words an operator sees, DIS's code and
/// DIS's request id (a background read has no request of its own).
pub fn problem(error: UpstreamError, at_ms: i64) -> SnapshotProblem {
    let message = match (error.kind, error.code.as_deref()) {
        (UpstreamKind::Rejected | UpstreamKind::Unauthorized, Some(code)) => {
            crate::error::dis_code_message(code)
        }
        (UpstreamKind::Timeout, _) => "DIS did not answer in time.",
        (UpstreamKind::Unreachable, _) => "The console cannot reach DIS.",
        _ => "DIS answered something the console cannot read.",
    };
    SnapshotProblem {
        at_ms,
        message: format!("Reading DIS failed: {message}"),
        code: error.code,
        request_id: error.dis_request_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::health::Attention;
    use crate::services::fakes::FakeDis;

    #[tokio::test]
    async fn every_stream_and_task_with_the_late_first_and_calls_capped() {
        let dis = FakeDis::with_streams((0..40).map(|i| format!("s{i:02}"))).with_tasks(3);
        dis.make_late("s07", "t1");
        let now = crate::clock::now_ms();
        let snap = read(&dis, now).await.unwrap();
        assert_eq!(snap.streams.len(), 40);
        assert_eq!(snap.tasks.len(), 120);
        assert_eq!(
            (snap.tasks[0].stream.as_str(), snap.tasks[0].task.as_str()),
            ("s07", "t1")
        );
        assert_eq!(snap.tasks[0].health.attention, Attention::Late);
        assert_eq!(snap.tasks[1].health.attention, Attention::Healthy);
        // 1 page, 40 × (describe + list), 120 task details.
        assert_eq!(snap.calls, 1 + 80 + 120);
        assert_eq!(dis.calls(), snap.calls as usize);
        assert_eq!(dis.most_in_flight(), MAX_IN_FLIGHT);
    }

    #[tokio::test]
    async fn streams_without_tasks_report_recent_records() {
        let dis = FakeDis::with_streams(["quiet".to_string()]);
        let snap = read(&dis, crate::clock::now_ms()).await.unwrap();
        assert_eq!(snap.streams[0].tasks, 0);
        assert_eq!(snap.streams[0].recent_records, Some(7));
        assert!(snap.tasks.is_empty());
    }

    #[tokio::test]
    async fn no_stream_readable_is_a_failure() {
        let dis = FakeDis::with_streams(["a".to_string(), "b".to_string()]).failing_describes();
        let e = read(&dis, 0).await.unwrap_err();
        assert_eq!(e.code.as_deref(), Some("DIS.5000"));
        let p = problem(e, 5);
        assert_eq!(p.code.as_deref(), Some("DIS.5000"));
        assert_eq!(p.request_id.as_deref(), Some("fake"));
        assert!(
            p.message.starts_with("Reading DIS failed: "),
            "{}",
            p.message
        );
    }
}
