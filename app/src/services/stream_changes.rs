//! A stream's own life cycle: create, scale, change and delete it, and the applications that
//! consume it. Each request meets `domain::stream`'s rules before DIS is asked, so a request
//! that bypasses the pages meets the same checks and words.

use crate::api::envelope::{request_id, upstream_error};
use crate::domain::stream::{
    check_create, check_retention, AppName, CreateStreamRequest, Lag, StreamField,
    UpdateStreamRequest,
};
use crate::domain::{StreamName, TaskName};
use crate::error::AppError;
use crate::ports::{Consumers, DisPort};
use std::sync::Arc;

/// Every rule broken, each after its field, in one line.
pub fn words(problems: &[(StreamField, String)]) -> String {
    problems
        .iter()
        .map(|(field, message)| format!("{field}: {message}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every rule broken, each with its field, in one refusal.
fn refused(problems: Vec<(StreamField, String)>) -> AppError {
    AppError::Rejected(words(&problems))
}

/// Creates a stream; every rule it breaks is named at once, with its field.
pub async fn create(dis: &dyn DisPort, request: &CreateStreamRequest) -> Result<(), AppError> {
    let mut request = request.clone();
    request.stream_name = request.stream_name.trim().to_owned();
    check_create(&request).map_err(refused)?;
    dis.create_stream(&request).await.map_err(upstream_error)?;
    tracing::info!(request_id = %request_id(), stream = %request.stream_name, "stream created");
    Ok(())
}

/// Scales a stream to `target` partitions. DIS checks the quota and how often the stream has
/// scaled; its refusal of the latter is put in words of its own.
pub async fn scale(dis: &dyn DisPort, stream: &str, target: u32) -> Result<(), AppError> {
    let (stream, described) = super::streams::describe(dis, stream).await?;
    let current = described.writable_partition_count;
    if target == current {
        return Err(AppError::Rejected(format!(
            "{stream} has {current} partitions already."
        )));
    }
    if target == 0 {
        return Err(AppError::Rejected(
            "A stream keeps at least 1 partition.".into(),
        ));
    }
    dis.scale_stream(&stream, target).await.map_err(|e| {
        let limited = e.code.as_deref() == Some("DIS.4305");
        match upstream_error(e) {
            AppError::Dis {
                code, request_id, ..
            } if limited => AppError::Dis {
                message: "DIS limits how often a stream's partitions may change, and refused this \
                          one: the stream's scaling history shows the recent changes. Try again \
                          later."
                    .into(),
                code,
                request_id,
            },
            other => other,
        }
    })?;
    tracing::info!(request_id = %request_id(), stream = %stream, from = current, to = target, "stream scaled");
    Ok(())
}

/// Changes a stream's retention, data type, schema or auto-scaling. The stream as it would be
/// is checked by the rules a new stream meets.
pub async fn change(
    dis: &dyn DisPort,
    stream: &str,
    request: &UpdateStreamRequest,
) -> Result<(), AppError> {
    let stream = StreamName::parse(stream).map_err(AppError::Rejected)?;
    let described = dis
        .stream_description(&stream)
        .await
        .map_err(upstream_error)?;
    let mut request = request.clone();
    request.stream_name = stream.to_string();
    if let Some(hours) = request.data_duration {
        check_retention(hours).map_err(AppError::Rejected)?;
    }
    let auto = request
        .auto_scale_enabled
        .unwrap_or(described.auto_scale_enabled);
    let after = CreateStreamRequest {
        stream_name: stream.to_string(),
        partition_count: described.stream.writable_partition_count,
        stream_type: Some(described.stream.stream_type.clone()).filter(|t| !t.is_empty()),
        data_type: Some(
            request
                .data_type
                .clone()
                .unwrap_or_else(|| described.stream.data_type().as_str().into()),
        ),
        data_duration: request.data_duration,
        auto_scale_enabled: Some(auto),
        auto_scale_min_partition_count: request
            .auto_scale_min_partition_count
            .or(described.auto_scale_min_partition_count),
        auto_scale_max_partition_count: request
            .auto_scale_max_partition_count
            .or(described.auto_scale_max_partition_count),
        data_schema: request
            .data_schema
            .clone()
            .or(described.data_schema.clone()),
        csv_properties: described.csv_properties.clone(),
        compression_format: None,
        tags: Vec::new(),
    };
    if request
        == (UpdateStreamRequest {
            stream_name: stream.to_string(),
            ..Default::default()
        })
    {
        return Err(AppError::Rejected("Nothing to change.".into()));
    }
    check_create(&after).map_err(refused)?;
    dis.update_stream(&stream, &request)
        .await
        .map_err(upstream_error)?;
    tracing::info!(request_id = %request_id(), stream = %stream, "stream changed");
    Ok(())
}

/// What deleting a stream must also delete: its dump tasks, by name.
pub async fn dump_tasks(dis: &dyn DisPort, stream: &StreamName) -> Result<Vec<TaskName>, AppError> {
    let listed = dis.list_dump_tasks(stream).await.map_err(upstream_error)?;
    Ok(listed
        .tasks
        .into_iter()
        .filter_map(|t| TaskName::parse(&t.task_name).ok())
        .collect())
}

/// Checks a deletion before anything is deleted: the typed name, and the stream's dump tasks,
/// which go only when the admin said so. Answers the stream and the tasks to delete first.
pub async fn plan_delete(
    dis: &dyn DisPort,
    stream: &str,
    confirm: &str,
    with_tasks: bool,
) -> Result<(StreamName, Vec<TaskName>), AppError> {
    let stream = StreamName::parse(stream).map_err(AppError::Rejected)?;
    if confirm.trim() != stream.as_str() {
        return Err(AppError::Rejected(format!(
            "Type the stream name, {stream}, to confirm the deletion."
        )));
    }
    let tasks = dump_tasks(dis, &stream).await?;
    if !tasks.is_empty() && !with_tasks {
        let n = tasks.len();
        return Err(AppError::Rejected(format!(
            "{stream} has {n} dump task{}: delete {} first, or tick \"delete its {n} dump task{}\".",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" },
            if n == 1 { "" } else { "s" },
        )));
    }
    Ok((stream, tasks))
}

/// Deletes the stream, once its tasks are gone.
pub async fn delete(dis: &dyn DisPort, stream: &StreamName) -> Result<(), AppError> {
    dis.delete_stream(stream).await.map_err(upstream_error)?;
    tracing::info!(request_id = %request_id(), stream = %stream, "stream deleted");
    Ok(())
}

/// A consumer application of a stream and how far behind it is on each partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consumer {
    pub app: String,
    pub partitions: Vec<(String, Lag)>,
}

/// How long one read of a stream's consumer applications serves every operator's page: less
/// than the page's refresh, so one operator sees each refresh's own read.
pub const CONSUMERS_FRESH_MS: i64 = 4_000;

/// The streams whose consumer reads are kept at once.
const CONSUMER_READS_KEPT: usize = 256;

/// [`consumers`], read once for every operator's page of `stream` for [`CONSUMERS_FRESH_MS`]
/// (or until [`Consumers::forget`]).
pub async fn shared_consumers(
    kept: &Consumers,
    dis: &dyn DisPort,
    stream: &StreamName,
) -> Result<Arc<Vec<Consumer>>, AppError> {
    let fresh = |age_ms| (0..CONSUMERS_FRESH_MS).contains(&age_ms);
    let read = consumers(dis, stream.as_str());
    let now_ms = crate::clock::now_ms();
    let key = kept.key(stream.as_str());
    super::shared(&kept.reads, key, now_ms, fresh, CONSUMER_READS_KEPT, read).await
}

/// The applications a stream page lists at most.
pub const MAX_CONSUMERS: u32 = 20;

/// The applications that committed checkpoints on `stream` (the first [`MAX_CONSUMERS`] by
/// name), with their lag, their states read side by side.
pub async fn consumers(dis: &dyn DisPort, stream: &str) -> Result<Vec<Consumer>, AppError> {
    let stream = StreamName::parse(stream).map_err(AppError::Rejected)?;
    let page = dis
        .app_page(MAX_CONSUMERS, None, Some(&stream))
        .await
        .map_err(upstream_error)?;
    let names: Vec<AppName> = page
        .apps
        .iter()
        .filter_map(|a| AppName::parse(&a.app_name).ok())
        .collect();
    let states = futures_util::future::try_join_all(
        names.iter().map(|name| dis.consumer_state(name, &stream)),
    )
    .await
    .map_err(upstream_error)?;
    Ok(names
        .into_iter()
        .zip(states)
        .map(|(name, states)| Consumer {
            app: name.to_string(),
            partitions: states
                .iter()
                .map(|s| (s.partition_id.clone(), s.lag()))
                .collect(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::fakes::FakeDis;

    #[tokio::test]
    async fn the_pages_of_a_stream_share_one_read_of_its_consumers_for_a_few_seconds() {
        let dis = FakeDis::with_streams(["s".to_string(), "t".to_string()]);
        let kept = Consumers::default();
        let s = StreamName::parse("s").unwrap();
        let first = shared_consumers(&kept, &dis, &s).await.unwrap();
        assert_eq!(first[0].app, "reader");
        let one_read = dis.calls();
        assert!(one_read >= 2, "the applications, then each one's state");

        // Another operator's page of the same stream: nothing more is asked of DIS.
        let second = shared_consumers(&kept, &dis, &s).await.unwrap();
        assert_eq!((dis.calls(), &second), (one_read, &first));
        // Another stream is read for itself.
        let t = StreamName::parse("t").unwrap();
        shared_consumers(&kept, &dis, &t).await.unwrap();
        assert_eq!(dis.calls(), 2 * one_read);

        // Once the read is older than the freshness, the next page reads again.
        if let Some((at, _)) = kept.reads.lock().unwrap().get_mut(&kept.key("s")) {
            *at -= CONSUMERS_FRESH_MS;
        }
        shared_consumers(&kept, &dis, &s).await.unwrap();
        assert_eq!(dis.calls(), 3 * one_read);
        shared_consumers(&kept, &dis, &s).await.unwrap();
        assert_eq!(dis.calls(), 3 * one_read);
        // Records put into the stream change what its readers are behind on: read again.
        kept.forget("s");
        shared_consumers(&kept, &dis, &s).await.unwrap();
        assert_eq!(dis.calls(), 4 * one_read);
    }

    #[tokio::test]
    async fn refusals_name_what_to_fix_before_dis_is_asked() {
        let dis = FakeDis::with_streams(["s".to_string()]).with_tasks(2);
        let bad = CreateStreamRequest {
            stream_name: "a b".into(),
            partition_count: 0,
            data_duration: Some(100),
            ..Default::default()
        };
        let e = create(&dis, &bad).await.unwrap_err().to_string();
        for part in ["Stream name:", "Partitions:", "Retention (hours):"] {
            assert!(e.contains(part), "{e}");
        }
        assert_eq!(dis.calls(), 0);

        let e = plan_delete(&dis, "s", "x", true)
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains("Type the stream name, s,"), "{e}");
        let e = plan_delete(&dis, "s", "s", false)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("has 2 dump tasks") && e.contains("delete its 2 dump tasks"),
            "{e}"
        );
        let (_, tasks) = plan_delete(&dis, "s", "s", true).await.unwrap();
        assert_eq!(tasks.len(), 2);

        let e = change(&dis, "s", &UpdateStreamRequest::default())
            .await
            .unwrap_err();
        assert_eq!(e.to_string(), "Nothing to change.");
        let e = change(
            &dis,
            "s",
            &UpdateStreamRequest {
                data_duration: Some(12),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
        assert!(e.to_string().contains("24 to 72"), "{e}");
    }

    #[tokio::test]
    async fn consumers_come_with_their_lag_per_partition() {
        let dis = FakeDis::with_streams(["s".to_string()]);
        let found = consumers(&dis, "s").await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].app, "reader");
        assert_eq!(found[0].partitions[0].1.behind, 40);
        assert_eq!(found[0].partitions[0].1.checkpoint, Some(59));
        let e = consumers(&dis, "gone").await.unwrap_err();
        assert!(
            matches!(e, AppError::Dis { ref code, .. } if code == "DIS.4301"),
            "{e:?}"
        );
    }
}
