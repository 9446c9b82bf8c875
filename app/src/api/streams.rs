//! Streams and their dump tasks, read from DIS.

use crate::domain::dis::{DescribeStreamResponse, StreamInfo, TaskDetails, TaskSummary};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A stream's page: what DIS says of it and its tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamView {
    pub stream: DescribeStreamResponse,
    pub tasks: Vec<TaskSummary>,
    pub quota: u64,
}

#[server(endpoint = "list_streams")]
pub async fn list_streams() -> Result<Vec<StreamInfo>, AppError> {
    async {
        use super::ssr::{dis, upstream_error, Access};
        let dis = dis(Access::Read)?;
        dis.list_streams().await.map_err(upstream_error)
    }
    .await
    .map_err(super::ssr::with_status)
}

#[server(endpoint = "get_stream")]
pub async fn get_stream(stream: String) -> Result<StreamView, AppError> {
    async {
        use super::ssr::{dis, upstream_error, Access};
        let stream = crate::domain::StreamName::parse(&stream).map_err(AppError::BadName)?;
        let dis = dis(Access::Read)?;
        let described = dis.describe_stream(&stream).await.map_err(upstream_error)?;
        let tasks = dis.list_dump_tasks(&stream).await.map_err(upstream_error)?;
        Ok(StreamView {
            stream: described,
            tasks: tasks.tasks,
            quota: tasks.quota,
        })
    }
    .await
    .map_err(super::ssr::with_status)
}

#[server(endpoint = "get_dump_task")]
pub async fn get_dump_task(stream: String, task: String) -> Result<TaskDetails, AppError> {
    async {
        use super::ssr::{dis, upstream_error, Access};
        let stream = crate::domain::StreamName::parse(&stream).map_err(AppError::BadName)?;
        let task = crate::domain::TaskName::parse(&task).map_err(AppError::BadName)?;
        let dis = dis(Access::Read)?;
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
        use super::ssr::{dis, upstream_error, Access};
        use crate::domain::dis::{PutRecord, PutRecordsRequest};
        use base64::Engine;
        let name = crate::domain::StreamName::parse(&stream).map_err(AppError::BadName)?;
        let dis = dis(Access::Change)?;
        let described = dis.describe_stream(&name).await.map_err(upstream_error)?;
        let mut records: Vec<String> = crate::domain::preview::sample_lines(&lines)
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
    .await
    .map_err(super::ssr::with_status)
}
