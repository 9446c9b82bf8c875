//! Streams: the pager that walks DIS's pages, a stream's page with its tasks, test records.

use crate::api::envelope::upstream_error;
use crate::domain::dis::{DescribeStreamResponse, PutRecord, PutRecordsRequest, MAX_STREAM_FILTER};
use crate::domain::dis::{TaskDetails, TaskSummary};
use crate::domain::health::{task_health, thousands};
use crate::domain::stream_form::StreamDraft;
use crate::domain::views::{StreamPage, StreamView, TaskRow, MAX_TEST_RECORDS};
use crate::domain::{DataType, StreamName, TaskName};
use crate::error::AppError;
use crate::ports::{Consumers, DisPort, UpstreamError};
use std::sync::Arc;

/// How many DIS pages one filtered page may read before it answers with what it found.
pub const FILTER_SCAN_PAGES: usize = 20;

/// How many DIS pages of 100 the full list (the wizard's stream picker) reads at most.
pub const ALL_STREAMS_PAGES: usize = 100;

/// Walks DIS's pages of `page_size` streams after `after` until `want` streams match `filter`
/// (every stream matches an empty one), the pages end, or `max_pages` have been read. `next`
/// is where the following page starts, when there is more to read.
///
/// A name DIS returns that the allowlist refuses, or the same name twice in a row, ends the
/// walk rather than reaching a URL or looping.
pub async fn walk(
    dis: &dyn DisPort,
    mut after: Option<StreamName>,
    want: usize,
    filter: &str,
    page_size: u32,
    max_pages: usize,
) -> Result<StreamPage, UpstreamError> {
    let mut found = Vec::new();
    let mut total = 0;
    for _ in 0..max_pages {
        let page = dis.stream_page(page_size, after.as_ref()).await?;
        total = page.total_number;
        let mut more = page.has_more_streams;
        let infos = page.into_infos();
        let count = infos.len();
        let mut last = None;
        for (i, stream) in infos.into_iter().enumerate() {
            last = Some(stream.stream_name.clone());
            if stream.matches(filter) {
                found.push(stream);
                if found.len() == want {
                    more |= i + 1 < count;
                    break;
                }
            }
        }
        let next = last.and_then(|l| StreamName::parse(&l).ok());
        let next = match next {
            Some(n) if more && Some(&n) == after.as_ref() => None,
            Some(n) if more && found.len() < want => {
                after = Some(n);
                continue;
            }
            Some(n) if more => Some(n.to_string()),
            _ => None,
        };
        return Ok(StreamPage {
            streams: found,
            next,
            total,
        });
    }
    Ok(StreamPage {
        streams: found,
        next: after.map(|a| a.to_string()),
        total,
    })
}

/// A page of streams, after `after`, of at most `limit` (1 to 100). With a `filter`, only names
/// that contain it (ignoring case): DIS's pages are read until there are `limit` of them, so
/// paging stays DIS's `start_stream_name` either way.
pub async fn page(
    dis: &dyn DisPort,
    after: Option<String>,
    limit: u32,
    filter: &str,
) -> Result<StreamPage, AppError> {
    if !(1..=100).contains(&limit) {
        return Err(AppError::Request(
            "Ask for 1 to 100 streams a page.".to_owned(),
        ));
    }
    if filter.chars().count() > MAX_STREAM_FILTER {
        return Err(AppError::Request(format!(
            "A filter is at most {MAX_STREAM_FILTER} characters: stream names are no longer."
        )));
    }
    let after = match after.as_deref().filter(|a| !a.is_empty()) {
        Some(a) => Some(StreamName::parse(a).map_err(AppError::Rejected)?),
        None => None,
    };
    let filter = filter.trim();
    let (page_size, max_pages) = if filter.is_empty() {
        (limit, 1)
    } else {
        (100, FILTER_SCAN_PAGES)
    };
    walk(dis, after, limit as usize, filter, page_size, max_pages)
        .await
        .map_err(upstream_error)
}

/// Every stream, for choosing one.
pub async fn all(dis: &dyn DisPort) -> Result<Vec<crate::domain::dis::StreamInfo>, AppError> {
    walk(dis, None, usize::MAX, "", 100, ALL_STREAMS_PAGES)
        .await
        .map(|p| p.streams)
        .map_err(upstream_error)
}

/// A stream's page: what DIS says of it, and its tasks with where each writes.
pub async fn view(
    dis: Arc<dyn DisPort>,
    consumers: &Consumers,
    stream: &str,
) -> Result<StreamView, AppError> {
    let stream = StreamName::parse(stream).map_err(AppError::Rejected)?;
    // The stream, its tasks and its consumer applications, side by side: a page waits for one
    // round trip to DIS, then the consumers' states. The consumers failing leaves the page.
    // The stream and its tasks are read for each page (they show what an operator has just
    // changed); the consumers, one read for every operator for a few seconds.
    let (read, consumers) = futures_util::future::join(
        futures_util::future::try_join(
            dis.stream_description(&stream),
            dis.list_dump_tasks(&stream),
        ),
        super::stream_changes::shared_consumers(consumers, dis.as_ref(), &stream),
    )
    .await;
    let (description, tasks) = read.map_err(upstream_error)?;
    let settings = crate::fragments::stream::settings(&description);
    let draft = StreamDraft::of_stream(&description);
    let described = description.stream;
    let quota = tasks.quota;
    let now = crate::clock::now_ms();
    let details = task_details(dis.as_ref(), &stream, &tasks.tasks).await;
    let mut lags = Vec::new();
    let tasks = tasks
        .tasks
        .into_iter()
        .zip(details)
        .map(|(summary, d)| match d {
            Some(d) => {
                let (task_lags, health) = task_health(&d, &described.partitions, now);
                lags.push((summary.task_name.clone(), task_lags));
                TaskRow {
                    summary,
                    destination: d.destination(),
                    interval_seconds: d.interval_seconds(),
                    behind: Some(format!(
                        "{} ({})",
                        thousands(health.behind),
                        health.attention.as_str()
                    )),
                }
            }
            None => TaskRow {
                summary,
                destination: None,
                interval_seconds: None,
                behind: None,
            },
        })
        .collect();
    let partitions = crate::fragments::progress::stream_partitions(&described.partitions, &lags);
    Ok(StreamView {
        draft,
        status: described.status,
        partition_ids: described
            .partitions
            .into_iter()
            .map(|p| p.partition_id)
            .collect(),
        writable_partitions: described.writable_partition_count,
        tasks,
        quota,
        partitions,
        consumers: crate::fragments::consumers::consumers(consumers.as_deref().map(Vec::as_slice)),
        settings,
    })
}

/// The details of a stream's tasks (at most five), read side by side; `None` for a task whose
/// details could not be read (the log keeps why).
async fn task_details(
    dis: &dyn DisPort,
    stream: &StreamName,
    tasks: &[TaskSummary],
) -> Vec<Option<TaskDetails>> {
    futures_util::future::join_all(tasks.iter().map(|t| async move {
        let name = TaskName::parse(&t.task_name).ok()?;
        dis.show_dump_task(stream, &name)
            .await
            .inspect_err(
                |e| tracing::warn!(task = %name, detail = %e.detail, "task details unreadable"),
            )
            .ok()
    }))
    .await
}

/// A task's settings, health and partitions, and its export, as HTML: its details and the
/// stream's partitions, read side by side. Dump directories are on `zone`'s clock; the export's
/// requests go where `export` says.
pub async fn task_progress(
    dis: &dyn DisPort,
    stream: &str,
    task: &str,
    zone: crate::domain::ZoneOffset,
    export: &crate::api::status::ExportInfo,
) -> Result<String, AppError> {
    let (stream, _, described, details) = task_and_stream(dis, stream, task).await?;
    let (lags, health) = task_health(&details, &described.partitions, crate::clock::now_ms());
    Ok(crate::fragments::progress::task_progress(
        &details,
        &health,
        &lags,
        zone,
        &export.target(stream),
    ))
}

/// A task and its stream as DIS describes them, read side by side (both names checked against
/// the allowlist first).
pub async fn task_and_stream(
    dis: &dyn DisPort,
    stream: &str,
    task: &str,
) -> Result<
    (
        StreamName,
        TaskName,
        DescribeStreamResponse,
        crate::domain::dis::TaskDetails,
    ),
    AppError,
> {
    let stream = StreamName::parse(stream).map_err(AppError::Rejected)?;
    let task = TaskName::parse(task).map_err(AppError::Rejected)?;
    let (described, details) = futures_util::future::try_join(
        dis.describe_stream(&stream),
        dis.show_dump_task(&stream, &task),
    )
    .await
    .map_err(upstream_error)?;
    Ok((stream, task, described, details))
}

/// The stream named `stream` (checked against the allowlist first) as DIS describes it.
pub async fn describe(
    dis: &dyn DisPort,
    stream: &str,
) -> Result<(StreamName, DescribeStreamResponse), AppError> {
    let name = StreamName::parse(stream).map_err(AppError::Rejected)?;
    let described = dis.describe_stream(&name).await.map_err(upstream_error)?;
    Ok((name, described))
}

/// Puts test records into a stream: the operator's lines, one record each, or, when there are
/// none, five generated to fit the stream's data type (JSON records carry a `ts` in epoch
/// milliseconds). Returns how many DIS accepted.
pub async fn put_test_records(
    dis: &dyn DisPort,
    stream: &str,
    lines: &str,
) -> Result<u64, AppError> {
    use base64::Engine;
    let (name, described) = describe(dis, stream).await?;
    let mut records: Vec<String> = crate::domain::preview::sample_lines(lines)
        .into_iter()
        .map(str::to_string)
        .collect();
    if records.len() > MAX_TEST_RECORDS {
        return Err(AppError::Rejected(format!(
            "Send at most {MAX_TEST_RECORDS} records at a time."
        )));
    }
    if records.is_empty() {
        let now = crate::clock::now_ms();
        records = (1..=5)
            .map(|n| match described.data_type() {
                DataType::Json => {
                    format!(r#"{{"ts": {now}, "id": {n}, "message": "test record {n}"}}"#)
                }
                DataType::Csv => format!("{n},{now},test record {n}"),
                DataType::Blob => format!("test record {n} at {now}"),
            })
            .collect();
    }
    let request = PutRecordsRequest {
        stream_name: name.to_string(),
        stream_id: None,
        records: records
            .iter()
            .enumerate()
            .map(|(i, r)| PutRecord {
                data: base64::engine::general_purpose::STANDARD.encode(r),
                partition_key: Some(format!("console-test-{i}")),
                partition_id: None,
                explicit_hash_key: None,
                timestamp: None,
            })
            .collect(),
    };
    let answer = dis.put_records(&request).await.map_err(upstream_error)?;
    Ok(records.len() as u64 - answer.failed_record_count.min(records.len() as u64))
}

/// A task's details, as DIS reports them.
pub async fn task(
    dis: &dyn DisPort,
    stream: &str,
    task: &str,
) -> Result<crate::domain::dis::TaskDetails, AppError> {
    let stream = StreamName::parse(stream).map_err(AppError::Rejected)?;
    let task = TaskName::parse(task).map_err(AppError::Rejected)?;
    dis.show_dump_task(&stream, &task)
        .await
        .map_err(upstream_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::fakes::FakeDis;

    fn names(page: &StreamPage) -> Vec<&str> {
        page.streams
            .iter()
            .map(|s| s.stream_name.as_str())
            .collect()
    }

    #[tokio::test]
    async fn an_unfiltered_page_is_one_dis_page_and_names_the_next() {
        let dis = FakeDis::with_streams((0..25).map(|i| format!("s{i:02}")));
        let page = walk(&dis, None, 10, "", 10, 1).await.unwrap();
        assert_eq!(page.streams.len(), 10);
        assert_eq!(page.next.as_deref(), Some("s09"));
        assert_eq!(page.total, 25);
        assert_eq!(dis.pages_read(), 1);
        let after = StreamName::parse("s19").ok();
        let last = walk(&dis, after, 10, "", 10, 1).await.unwrap();
        assert_eq!(names(&last), ["s20", "s21", "s22", "s23", "s24"]);
        assert_eq!(last.next, None, "the last page names no next one");
    }

    #[tokio::test]
    async fn a_filter_reads_across_pages_until_the_page_is_full() {
        // One stream in a hundred matches: three rows take three pages of 100.
        let dis = FakeDis::with_streams((0..1000).map(|i| {
            if i % 100 == 7 {
                format!("s{i:04}-orders")
            } else {
                format!("s{i:04}-other")
            }
        }));
        let page = walk(&dis, None, 3, "ORDERS", 100, FILTER_SCAN_PAGES)
            .await
            .unwrap();
        assert_eq!(
            names(&page),
            ["s0007-orders", "s0107-orders", "s0207-orders"]
        );
        assert_eq!(dis.pages_read(), 3);
        assert_eq!(page.next.as_deref(), Some("s0207-orders"));
    }

    #[tokio::test]
    async fn a_filter_stops_at_the_page_cap_and_resumes_from_there() {
        let dis = FakeDis::with_streams((0..3000).map(|i| format!("s{i:04}")));
        let page = walk(&dis, None, 10, "nothing-matches", 100, FILTER_SCAN_PAGES)
            .await
            .unwrap();
        assert!(page.streams.is_empty());
        assert_eq!(dis.pages_read(), FILTER_SCAN_PAGES);
        assert_eq!(
            page.next.as_deref(),
            Some("s1999"),
            "the next page resumes the scan"
        );
    }

    #[tokio::test]
    async fn a_repeated_name_ends_the_walk() {
        let dis = FakeDis::with_streams(["a", "b"].map(String::from)).repeating_pages();
        let page = walk(&dis, None, 10, "zzz", 2, FILTER_SCAN_PAGES)
            .await
            .unwrap();
        assert_eq!(page.next, None);
        assert!(dis.pages_read() <= 2, "read {} pages", dis.pages_read());
    }

    #[tokio::test]
    async fn the_full_list_reads_every_page() {
        let dis = FakeDis::with_streams((0..250).map(|i| format!("s{i:03}")));
        let all = all(&dis).await.unwrap();
        assert_eq!(all.len(), 250);
        assert_eq!(dis.pages_read(), 3);
    }

    #[tokio::test]
    async fn bad_page_requests_are_refused_before_dis_is_asked() {
        let dis = FakeDis::with_streams(["a".to_string()]);
        assert!(matches!(
            page(&dis, None, 0, "").await,
            Err(AppError::Request(_))
        ));
        assert!(matches!(
            page(&dis, Some("../x".into()), 10, "").await,
            Err(AppError::Rejected(_))
        ));
        assert!(matches!(
            page(&dis, None, 10, &"x".repeat(65)).await,
            Err(AppError::Request(_))
        ));
        assert_eq!(dis.pages_read(), 0);
    }
}
