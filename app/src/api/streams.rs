//! Streams and their dump tasks, read from DIS.

use crate::domain::dis::{DescribeStreamResponse, StreamInfo, TaskDetails, TaskSummary};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A stream's page: what DIS says of it and its tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamView {
    pub stream: DescribeStreamResponse,
    pub tasks: Vec<TaskRow>,
    pub quota: u64,
}

/// A task in a stream's list: DIS's list entry, with where it writes and how often from the
/// task's own details (DIS's list leaves those out). `None` when the details could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRow {
    pub summary: TaskSummary,
    /// `bucket/prefix`.
    pub destination: Option<String>,
    pub interval_seconds: Option<u32>,
}

#[server(endpoint = "list_streams")]
pub async fn list_streams() -> Result<Vec<StreamInfo>, AppError> {
    async {
        use super::ssr::{dis, upstream_error};
        let (_, dis) = dis(crate::api::access::Role::Viewer).await?;
        dis.list_streams().await.map_err(upstream_error)
    }
    .await
    .map_err(super::ssr::with_status)
}

/// One page of the streams list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamPage {
    pub streams: Vec<StreamInfo>,
    /// Where the next page starts (DIS's `start_stream_name`), when there is one.
    pub next: Option<String>,
    /// Streams in the project, as DIS counts them.
    pub total: u64,
}

/// Rows a streams page may ask for; DIS's own page limit.
pub const STREAM_PAGE_SIZES: [u32; 4] = [10, 20, 50, 100];

/// How many DIS pages one filtered page may read before it answers with what it found.
#[cfg(feature = "ssr")]
const FILTER_SCAN_PAGES: usize = 20;

/// A page of streams, after `after`, of at most `limit` (1 to 100). With a `filter`, only names
/// that contain it (ignoring case): the server reads DIS's pages until it has `limit` of them,
/// so paging stays DIS's `start_stream_name` either way.
#[server(endpoint = "list_stream_page")]
pub async fn list_stream_page(
    after: Option<String>,
    limit: u32,
    filter: String,
) -> Result<StreamPage, AppError> {
    async {
        use super::ssr::{dis, upstream_error};
        use crate::domain::dis::MAX_STREAM_FILTER;
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
        let mut after = match after.as_deref().filter(|a| !a.is_empty()) {
            Some(a) => Some(crate::domain::StreamName::parse(a).map_err(AppError::BadName)?),
            None => None,
        };
        let (_, dis) = dis(crate::api::access::Role::Viewer).await?;
        let filter = filter.trim();
        if filter.is_empty() {
            let page = dis
                .stream_page(limit, after.as_ref())
                .await
                .map_err(upstream_error)?;
            let (total, more) = (page.total_number, page.has_more_streams);
            let streams = page.into_infos();
            let next = streams
                .last()
                .filter(|_| more)
                .map(|s| s.stream_name.clone());
            return Ok(StreamPage {
                streams,
                next,
                total,
            });
        }
        let mut found = Vec::new();
        let mut total = 0;
        for _ in 0..FILTER_SCAN_PAGES {
            let page = dis
                .stream_page(100, after.as_ref())
                .await
                .map_err(upstream_error)?;
            total = page.total_number;
            let mut more = page.has_more_streams;
            let infos = page.into_infos();
            let count = infos.len();
            let mut last = None;
            for (i, stream) in infos.into_iter().enumerate() {
                last = Some(stream.stream_name.clone());
                if stream.matches(filter) {
                    found.push(stream);
                    if found.len() == limit as usize {
                        more |= i + 1 < count;
                        break;
                    }
                }
            }
            // A name DIS returns that the allowlist refuses ends the walk rather than reaching
            // a URL.
            let next = last.and_then(|l| crate::domain::StreamName::parse(&l).ok());
            match next {
                Some(n) if more && found.len() < limit as usize && Some(&n) != after.as_ref() => {
                    after = Some(n)
                }
                Some(n) if more => {
                    return Ok(StreamPage {
                        streams: found,
                        next: Some(n.to_string()),
                        total,
                    })
                }
                _ => {
                    return Ok(StreamPage {
                        streams: found,
                        next: None,
                        total,
                    })
                }
            }
        }
        Ok(StreamPage {
            streams: found,
            next: after.map(|a| a.to_string()),
            total,
        })
    }
    .await
    .map_err(super::ssr::with_status)
}

#[server(endpoint = "get_stream")]
pub async fn get_stream(stream: String) -> Result<StreamView, AppError> {
    async {
        use super::ssr::{dis, upstream_error};
        let stream = crate::domain::StreamName::parse(&stream).map_err(AppError::BadName)?;
        let (_, dis) = dis(crate::api::access::Role::Viewer).await?;
        // Two independent calls, side by side: a page waits for one round trip to DIS, not two.
        let (described, tasks) = futures_util::future::try_join(
            dis.describe_stream(&stream),
            dis.list_dump_tasks(&stream),
        )
        .await
        .map_err(upstream_error)?;
        let quota = tasks.quota;
        // At most five tasks a stream: their details are read side by side.
        let details = futures_util::future::join_all(tasks.tasks.iter().map(|t| {
            let dis = dis.clone();
            let stream = stream.clone();
            let name = crate::domain::TaskName::parse(&t.task_name);
            async move {
                let name = name.ok()?;
                match dis.show_dump_task(&stream, &name).await {
                    Ok(d) => d.obs_destination_description,
                    Err(e) => {
                        // The row still shows what the list said; the log keeps why.
                        tracing::warn!(task = %name, detail = %e.detail, "task details unreadable");
                        None
                    }
                }
            }
        }))
        .await;
        let tasks = tasks
            .tasks
            .into_iter()
            .zip(details)
            .map(|(summary, d)| TaskRow {
                summary,
                destination: d.as_ref().map(|d| {
                    crate::domain::preview::object_directory(
                        d.obs_bucket_path.as_deref().unwrap_or(""),
                        d.file_prefix.as_deref().unwrap_or(""),
                        "",
                    )
                }),
                interval_seconds: d.and_then(|d| d.deliver_time_interval),
            })
            .collect();
        Ok(StreamView {
            stream: described,
            tasks,
            quota,
        })
    }
    .await
    .map_err(super::ssr::with_status)
}

#[server(endpoint = "get_dump_task")]
pub async fn get_dump_task(stream: String, task: String) -> Result<TaskDetails, AppError> {
    async {
        use super::ssr::{dis, upstream_error};
        let stream = crate::domain::StreamName::parse(&stream).map_err(AppError::BadName)?;
        let task = crate::domain::TaskName::parse(&task).map_err(AppError::BadName)?;
        let (_, dis) = dis(crate::api::access::Role::Viewer).await?;
        dis.show_dump_task(&stream, &task)
            .await
            .map_err(upstream_error)
    }
    .await
    .map_err(super::ssr::with_status)
}

/// The most records one test send may put.
pub const MAX_TEST_RECORDS: usize = 50;

/// Puts test records into a stream: the operator's lines, one record each, or, when there are
/// none, five generated to fit the stream's data type (JSON records carry a `ts` in epoch
/// milliseconds). Returns how many DIS accepted.
#[server(endpoint = "send_test_records")]
pub async fn send_test_records(stream: String, lines: String) -> Result<u64, AppError> {
    async {
        let (me, dis) = super::ssr::dis(crate::api::access::Role::Operator).await?;
        let result = put_test_records(dis, &stream, &lines).await;
        super::ssr::audit(&me.name, "send test records", &stream, &result).await;
        result
    }
    .await
    .map_err(super::ssr::with_status)
}

#[cfg(feature = "ssr")]
async fn put_test_records(
    dis: std::sync::Arc<dyn crate::ports::DisPort>,
    stream: &str,
    lines: &str,
) -> Result<u64, AppError> {
    {
        use super::ssr::upstream_error;
        use crate::domain::dis::{PutRecord, PutRecordsRequest};
        use base64::Engine;
        let name = crate::domain::StreamName::parse(stream).map_err(AppError::BadName)?;
        let described = dis.describe_stream(&name).await.map_err(upstream_error)?;
        let mut records: Vec<String> = crate::domain::preview::sample_lines(lines)
            .into_iter()
            .map(str::to_string)
            .collect();
        if records.len() > MAX_TEST_RECORDS {
            return Err(AppError::BadName(format!(
                "Send at most {MAX_TEST_RECORDS} records at a time."
            )));
        }
        if records.is_empty() {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0);
            records = (1..=5)
                .map(|n| match described.data_type() {
                    crate::domain::DataType::Json => {
                        format!(r#"{{"ts": {now}, "id": {n}, "message": "test record {n}"}}"#)
                    }
                    crate::domain::DataType::Csv => format!("{n},{now},test record {n}"),
                    crate::domain::DataType::Blob => format!("test record {n} at {now}"),
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
}
