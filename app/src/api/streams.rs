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
    crate::services::{sample, stream_changes, streams},
};

/// Every stream, for choosing one.
#[server(endpoint = "list_streams", output = crate::api::codec::PageJson)]
pub async fn list_streams() -> Result<Vec<StreamInfo>, AppError> {
    serve::<ListStreams>()
        .dis(|dis| async move { streams::all(dis.as_ref()).await })
        .await
}

/// A page of streams after `after`, of at most `limit`, whose names contain `filter`.
#[server(endpoint = "list_stream_page", output = crate::api::codec::PageJson)]
pub async fn list_stream_page(
    after: Option<String>,
    limit: u32,
    filter: String,
) -> Result<StreamPage, AppError> {
    serve::<ListStreamPage>()
        .dis(|dis| async move { streams::page(dis.as_ref(), after, limit, &filter).await })
        .await
}

#[server(endpoint = "get_stream", output = crate::api::codec::PageJson)]
pub async fn get_stream(stream: String) -> Result<StreamView, AppError> {
    serve::<GetStream>()
        .dis(|dis| async move {
            let consumers = crate::api::envelope::consumers()?;
            streams::view(dis, &consumers, &stream).await
        })
        .await
}

#[server(endpoint = "get_dump_task", output = crate::api::codec::PageJson)]
pub async fn get_dump_task(stream: String, task: String) -> Result<TaskDetails, AppError> {
    serve::<GetDumpTask>()
        .dis(|dis| async move { streams::task(dis.as_ref(), &stream, &task).await })
        .await
}

/// Puts the operator's lines into a stream as records, or five generated ones when there are
/// none. Returns how many DIS accepted.
#[server(endpoint = "send_test_records", output = crate::api::codec::PageJson)]
pub async fn send_test_records(stream: String, lines: String) -> Result<u64, AppError> {
    serve::<SendTestRecords>()
        .audit(AuditAction::SendTestRecords, &stream)
        .dis(|dis| async move {
            let sent = streams::put_test_records(dis.as_ref(), &stream, &lines).await?;
            // Its consumer applications are now further behind: the next page reads them.
            // (Only a stream DIS took records into is counted: the names stay few.)
            crate::api::envelope::consumers()?.forget(&stream);
            Ok(sent)
        })
        .await
}

/// The stream's own records, for the wizard's preview (see [`sample::read`]). Their contents
/// are data: operators and admins only, never logged.
#[server(endpoint = "sample_records", input = server_fn::codec::Json, output = crate::api::codec::PageJson)]
pub async fn sample_records(stream: String, from: SampleFrom) -> Result<StreamSample, AppError> {
    serve::<SampleRecords>()
        .dis(|dis| async move {
            sample::read(dis.as_ref(), &stream, from, crate::clock::now_ms()).await
        })
        .await
}

/// Creates a stream with DIS's rules checked first (`domain::stream`).
#[server(endpoint = "create_stream", input = server_fn::codec::Json, output = crate::api::codec::PageJson)]
pub async fn create_stream(
    request: crate::domain::stream::CreateStreamRequest,
) -> Result<(), AppError> {
    serve::<CreateStream>()
        .audit(AuditAction::CreateStream, request.stream_name.trim())
        .dis(|dis| async move { stream_changes::create(dis.as_ref(), &request).await })
        .await
}

/// Scales a stream to `target` partitions.
#[server(endpoint = "scale_stream", output = crate::api::codec::PageJson)]
pub async fn scale_stream(stream: String, target: u32) -> Result<(), AppError> {
    serve::<ScaleStream>()
        .audit(
            AuditAction::ScaleStream,
            format!("{stream}: {target} partitions"),
        )
        .dis(|dis| async move { stream_changes::scale(dis.as_ref(), &stream, target).await })
        .await
}

/// Changes a stream's retention, data type, schema or auto-scaling; what is absent stays.
#[server(endpoint = "change_stream", input = server_fn::codec::Json, output = crate::api::codec::PageJson)]
pub async fn change_stream(
    stream: String,
    change: crate::domain::stream::UpdateStreamRequest,
) -> Result<(), AppError> {
    let asked: Vec<&str> = [
        ("retention", change.data_duration.is_some()),
        ("data type", change.data_type.is_some()),
        ("schema", change.data_schema.is_some()),
        ("auto-scaling", change.auto_scale_enabled.is_some()),
    ]
    .into_iter()
    .filter_map(|(what, asked)| asked.then_some(what))
    .collect();
    serve::<ChangeStream>()
        .audit(
            AuditAction::ChangeStream,
            format!("{stream}: {}", asked.join(", ")),
        )
        .dis(|dis| async move { stream_changes::change(dis.as_ref(), &stream, &change).await })
        .await
}

/// Deletes a stream. The admin confirms by typing its name; a stream with dump tasks is refused
/// unless `with_tasks`, and then its tasks are deleted first, each with its own audit line.
#[server(endpoint = "delete_stream", output = crate::api::codec::PageJson)]
pub async fn delete_stream(
    stream: String,
    confirm: String,
    with_tasks: bool,
) -> Result<(), AppError> {
    use super::serve::record;
    serve::<DeleteStream>()
        .audit(AuditAction::DeleteStream, stream.clone())
        .run_as(|me| async move {
            let dis = super::envelope::dis()?;
            let (name, tasks) =
                stream_changes::plan_delete(dis.as_ref(), &stream, &confirm, with_tasks).await?;
            for task in tasks {
                let deleted = dis
                    .delete_dump_task(&name, &task)
                    .await
                    .map_err(super::envelope::upstream_error);
                if let Some(me) = &me {
                    record(
                        &me.name,
                        AuditAction::DeleteTask,
                        &format!("{name}/{task}"),
                        &deleted,
                    )
                    .await;
                }
                deleted?;
            }
            stream_changes::delete(dis.as_ref(), &name).await
        })
        .await
}
