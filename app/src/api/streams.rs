//! Streams and their dump tasks, read from DIS, and test records put into a stream.

use crate::domain::dis::{StreamInfo, TaskDetails};
use crate::domain::sample::{SampleFrom, StreamSample};
pub use crate::domain::views::{
    StreamPage, StreamView, TaskRow, MAX_TEST_RECORDS, STREAM_PAGE_SIZES,
};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::serve::serve,
    crate::domain::AuditAction,
    crate::services::{sample, streams},
};

/// Every stream, for choosing one.
#[server(endpoint = "list_streams")]
pub async fn list_streams() -> Result<Vec<StreamInfo>, AppError> {
    serve::<ListStreams>()
        .dis(|dis| async move { streams::all(dis.as_ref()).await })
        .await
}

/// A page of streams after `after`, of at most `limit`, whose names contain `filter`.
#[server(endpoint = "list_stream_page")]
pub async fn list_stream_page(
    after: Option<String>,
    limit: u32,
    filter: String,
) -> Result<StreamPage, AppError> {
    serve::<ListStreamPage>()
        .dis(|dis| async move { streams::page(dis.as_ref(), after, limit, &filter).await })
        .await
}

#[server(endpoint = "get_stream")]
pub async fn get_stream(stream: String) -> Result<StreamView, AppError> {
    serve::<GetStream>()
        .dis(|dis| async move { streams::view(dis, &stream).await })
        .await
}

#[server(endpoint = "get_dump_task")]
pub async fn get_dump_task(stream: String, task: String) -> Result<TaskDetails, AppError> {
    serve::<GetDumpTask>()
        .dis(|dis| async move { streams::task(dis.as_ref(), &stream, &task).await })
        .await
}

/// Puts the operator's lines into a stream as records, or five generated ones when there are
/// none. Returns how many DIS accepted.
#[server(endpoint = "send_test_records")]
pub async fn send_test_records(stream: String, lines: String) -> Result<u64, AppError> {
    serve::<SendTestRecords>()
        .audit(AuditAction::SendTestRecords, &stream)
        .dis(|dis| async move { streams::put_test_records(dis.as_ref(), &stream, &lines).await })
        .await
}

/// The stream's own records, for the wizard's preview (see [`sample::read`]). Their contents
/// are data: operators and admins only, never logged.
#[server(endpoint = "sample_records", input = server_fn::codec::Json)]
pub async fn sample_records(stream: String, from: SampleFrom) -> Result<StreamSample, AppError> {
    serve::<SampleRecords>()
        .dis(|dis| async move {
            sample::read(dis.as_ref(), &stream, from, crate::clock::now_ms()).await
        })
        .await
}
