//! What landed in OBS: a task's recent files (read once for every operator for a few seconds),
//! the clock they show DIS writes with, a file's first lines, and a stream's last hour.
//! File contents are data: they are shown, never logged.

use super::shared;
use crate::api::envelope::upstream_error;
use crate::domain::clock::ClockFinding;
use crate::domain::dis::TaskDetails;
use crate::domain::files::{self, FirstLines, Recent, StoredObject, FIRST_BYTES};
use crate::domain::task::{BucketName, FileType};
use crate::domain::DumpTask;
use crate::error::AppError;
use crate::ports::{DisPort, Obs, ObsPort, UpstreamError, UpstreamKind};
use std::sync::Arc;

/// The window the Files panel and the clock read: the last day.
pub const WINDOW_MS: i64 = 24 * 3_600_000;

/// How long one read of a task's files serves every operator.
const SHARED_FOR_MS: i64 = 15_000;

/// Whether a read this many ms old still serves.
fn fresh(age_ms: i64) -> bool {
    age_ms < SHARED_FOR_MS
}

/// The most listing pages one directory prefix is read to (1,000 files each).
const MAX_PAGES: usize = 10;

/// OBS's refusal in words that say what to do, with its code and request id; logged for the
/// administrator with OBS's request id (never a file's contents).
pub fn refusal_words(e: &UpstreamError, bucket: &str) -> String {
    tracing::warn!(
        bucket,
        kind = ?e.kind,
        code = e.code.as_deref().unwrap_or(""),
        obs_request_id = e.dis_request_id.as_deref().unwrap_or(""),
        detail = %e.detail,
        "OBS call failed"
    );
    let tail = match (&e.code, &e.dis_request_id) {
        (Some(code), Some(id)) => format!(" ({code}; request id {id})"),
        (Some(code), None) => format!(" ({code})"),
        (None, Some(id)) => format!(" (request id {id})"),
        (None, None) => String::new(),
    };
    match (e.kind, e.code.as_deref()) {
        (_, Some("AccessDenied")) => format!(
            "The console's key cannot read bucket {bucket}{tail}. Grant the key's IAM user read access to it: the OBS permissions obs:bucket:ListBucket and obs:object:GetObject (the OBS ReadOnlyAccess policy, or a bucket policy that grants that user read access)."
        ),
        (_, Some("NoSuchBucket")) => format!(
            "Bucket {bucket} does not exist in this region's OBS{tail}. Check the task's bucket: DIS cannot write files to a bucket that does not exist."
        ),
        (_, Some("NoSuchKey")) => format!("The file is no longer in bucket {bucket}{tail}."),
        (_, Some("SignatureDoesNotMatch" | "InvalidAccessKeyId")) => format!(
            "OBS refused the console's key{tail}. An administrator must check DIS_AK and DIS_SK (and OBS_ENDPOINT)."
        ),
        (_, Some("RequestTimeTooSkewed")) => format!(
            "OBS refused the request because this server's clock is wrong{tail}. Set the server's clock right (NTP)."
        ),
        (UpstreamKind::Timeout, _) => format!("OBS did not answer in time while reading bucket {bucket}. Try again in a moment."),
        (UpstreamKind::Unreachable, _) => "The console cannot reach OBS. An administrator must check OBS_ENDPOINT and the network.".to_owned(),
        (UpstreamKind::Malformed, _) => format!("OBS answered something the console cannot read{tail}. An administrator must check OBS_ENDPOINT."),
        (_, Some(code)) => format!("OBS refused to read bucket {bucket}: {code}{tail}."),
        (_, None) => format!("OBS refused to read bucket {bucket}{tail}."),
    }
}

/// Why a task's files are not listed, when they are not.
pub enum Unlisted {
    /// The console cannot read OBS at all (it signs in to DIS with a token).
    Unavailable(String),
    /// OBS refused or failed: the words say what to do.
    Refused(String),
}

/// How many day directories the Files panel offers.
pub const DAYS_OFFERED: usize = 14;

/// A task's recent files (the last day's directories on any clock), newest first, read
/// through the shared cache.
pub async fn recent(obs: &Obs, task: &DumpTask, now_ms: i64) -> Result<Arc<Recent>, Unlisted> {
    let prefixes = files::listing_prefixes(
        task.file_prefix.as_str(),
        task.partition_format,
        now_ms,
        WINDOW_MS,
    );
    let key = format!("recent|{}|{:?}", task.obs_bucket_path.as_str(), prefixes);
    cached_listing(obs, &task.obs_bucket_path, key, &prefixes, now_ms).await
}

/// The files of one of a task's day directories (checked first), newest first.
pub async fn day_files(
    obs: &Obs,
    task: &DumpTask,
    day: &str,
    now_ms: i64,
) -> Result<Arc<Recent>, Unlisted> {
    let key = format!("day|{}|{day}", task.obs_bucket_path.as_str());
    cached_listing(obs, &task.obs_bucket_path, key, &[day.to_owned()], now_ms).await
}

/// Everything under `prefixes`, newest first, read through the shared cache.
async fn cached_listing(
    obs: &Obs,
    bucket: &BucketName,
    cache_key: String,
    prefixes: &[String],
    now_ms: i64,
) -> Result<Arc<Recent>, Unlisted> {
    let reader = obs
        .reader
        .as_ref()
        .map_err(|why| Unlisted::Unavailable(why.clone()))?;
    shared(&obs.recent, cache_key, now_ms, fresh, usize::MAX, async {
        let reads = prefixes
            .iter()
            .map(|prefix| list_newest(reader.as_ref(), bucket, prefix));
        let pages = futures_util::future::try_join_all(reads)
            .await
            .map_err(|e| Unlisted::Refused(refusal_words(&e, bucket.as_str())))?;
        let mut objects: Vec<StoredObject> = Vec::new();
        let mut truncated = false;
        for (found, cut) in pages {
            objects.extend(found);
            truncated |= cut;
        }
        files::newest_first(&mut objects);
        Ok(Recent { objects, truncated })
    })
    .await
}

/// [`days`], through the shared cache; none when they cannot be read (the listing beside them
/// says why).
pub async fn offered_days(obs: &Obs, task: &DumpTask, now_ms: i64) -> Arc<Vec<String>> {
    let Ok(reader) = &obs.reader else {
        return Arc::default();
    };
    let key = format!(
        "{}/{}|{:?}",
        task.obs_bucket_path.as_str(),
        task.file_prefix.as_str(),
        task.partition_format
    );
    shared(
        &obs.days,
        key,
        now_ms,
        fresh,
        usize::MAX,
        days(reader.as_ref(), task),
    )
    .await
    .unwrap_or_default()
}

/// The task's day directories that hold files (days, or months or years for coarser
/// formats), newest first, at most [`DAYS_OFFERED`]: read one level at a time with a
/// delimiter, newest first, so the walk stops as soon as it has them.
pub async fn days(obs: &dyn ObsPort, task: &DumpTask) -> Result<Vec<String>, UpstreamError> {
    let depth = files::day_depth(task.partition_format);
    let mut out = Vec::new();
    if depth == 0 {
        return Ok(out);
    }
    let mut stack = vec![(files::key_prefix(task.file_prefix.as_str()), 0usize)];
    while let Some((prefix, level)) = stack.pop() {
        if out.len() >= DAYS_OFFERED {
            break;
        }
        if level == depth {
            out.push(prefix);
            continue;
        }
        let mut children = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let page = obs
                .list(&task.obs_bucket_path, &prefix, Some("/"), token.as_deref())
                .await?;
            children.extend(
                page.prefixes
                    .into_iter()
                    .filter(|c| files::is_time_directory(&prefix, c, level)),
            );
            match page.next {
                Some(next) => token = Some(next),
                None => break,
            }
        }
        // Oldest pushed first, so the newest is walked first.
        children.sort();
        stack.extend(children.into_iter().map(|c| (c, level + 1)));
    }
    Ok(out)
}

/// The objects under `prefix`, the newest kept when there are too many: listings come in key
/// order, oldest time directory first, so a directory past [`MAX_PAGES`] pages is read again
/// one subdirectory at a time, newest first, until the same limit (files beside those
/// subdirectories are not time-filed and are left out then). Whether files were left out
/// comes with them.
async fn list_newest(
    obs: &dyn ObsPort,
    bucket: &BucketName,
    prefix: &str,
) -> Result<(Vec<StoredObject>, bool), UpstreamError> {
    let (all, cut) = list_all(obs, bucket, prefix).await?;
    if !cut {
        return Ok((all, false));
    }
    let mut children = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = obs
            .list(bucket, prefix, Some("/"), token.as_deref())
            .await?;
        children.extend(page.prefixes);
        match page.next {
            Some(next) => token = Some(next),
            None => break,
        }
    }
    if children.is_empty() {
        // No time directories below: the first pages are all there is to show.
        return Ok((all, true));
    }
    children.sort();
    let limit = MAX_PAGES * 1000;
    let mut newest = Vec::new();
    let mut left_out = false;
    while let Some(child) = children.pop() {
        if newest.len() >= limit {
            left_out = true;
            break;
        }
        let (found, cut) = Box::pin(list_newest(obs, bucket, &child)).await?;
        newest.extend(found);
        left_out |= cut;
    }
    Ok((newest, left_out))
}

/// Every object under `prefix`, up to [`MAX_PAGES`] pages; and whether it stopped there.
async fn list_all(
    obs: &dyn ObsPort,
    bucket: &BucketName,
    prefix: &str,
) -> Result<(Vec<StoredObject>, bool), UpstreamError> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let page = obs.list(bucket, prefix, None, token.as_deref()).await?;
        out.extend(page.objects);
        match page.next {
            Some(next) => token = Some(next),
            None => return Ok((out, false)),
        }
    }
    Ok((out, true))
}

/// What the Files panel shows of a task.
pub struct TaskFiles {
    pub task: DumpTask,
    /// The day directory shown, or `None` for the last day's files.
    pub day: Option<String>,
    pub listing: Result<Arc<Recent>, Unlisted>,
    /// The task's day directories, newest first (empty when they cannot be read).
    pub days: Arc<Vec<String>>,
    /// What the files say of DIS's clock, for a text task without a timestamp schema.
    pub finding: Option<ClockFinding>,
}

/// Whether a task's directories follow the dump's time, so its files can measure the clock.
fn measures_clock(task: &DumpTask) -> bool {
    task.destination_file_type == FileType::Text && task.processing_schema.is_none()
}

/// A task's settings as DIS reports them, or why the Files panel cannot read them.
fn settings_of(details: &TaskDetails) -> Result<DumpTask, AppError> {
    details.read_back().ok_or_else(|| {
        AppError::Rejected("This task does not write to OBS in a form the console reads.".into())
    })
}

/// A task's recent files (or those of one `day` directory) and what the recent ones say of
/// DIS's clock (kept for every page's previews).
pub async fn task_files(
    dis: &dyn DisPort,
    obs: &Obs,
    stream: &str,
    task: &str,
    day: Option<&str>,
    now_ms: i64,
) -> Result<TaskFiles, AppError> {
    let task = settings_of(&super::streams::task(dis, stream, task).await?)?;
    if let Some(day) = day {
        files::check_day(day, task.file_prefix.as_str(), task.partition_format)
            .map_err(AppError::Rejected)?;
    }
    let listing = async {
        match day {
            Some(day) => day_files(obs, &task, day, now_ms).await,
            None => recent(obs, &task, now_ms).await,
        }
    };
    let (listing, days) =
        futures_util::future::join(listing, offered_days(obs, &task, now_ms)).await;
    let finding = match (&listing, day.is_none() && measures_clock(&task)) {
        (Ok(recent), true) => {
            let finding = files::clock_from(
                &recent.objects,
                task.file_prefix.as_str(),
                task.partition_format,
            );
            obs.found(&finding);
            Some(finding)
        }
        _ => None,
    };
    Ok(TaskFiles {
        task,
        day: day.map(str::to_owned),
        listing,
        days,
        finding,
    })
}

/// The first lines of one of a task's files (at most 4 KB), or why not.
pub async fn first_lines(
    dis: &dyn DisPort,
    obs: &Obs,
    stream: &str,
    task: &str,
    key: &str,
) -> Result<(StoredObject, Result<FirstLines, String>), AppError> {
    let task = settings_of(&super::streams::task(dis, stream, task).await?)?;
    files::check_task_key(key, task.file_prefix.as_str()).map_err(AppError::Rejected)?;
    let unknown = StoredObject {
        key: key.to_owned(),
        size: 0,
        last_modified_ms: 0,
    };
    if task.destination_file_type != FileType::Text {
        return Ok((
            unknown,
            Err(format!(
                "This task writes {} files, which are not text: open them with a {} reader.",
                task.destination_file_type.as_wire(),
                task.destination_file_type.as_wire()
            )),
        ));
    }
    let reader = match &obs.reader {
        Ok(reader) => reader.clone(),
        Err(why) => return Ok((unknown, Err(why.clone()))),
    };
    let bucket = &task.obs_bucket_path;
    let words = |e: UpstreamError| refusal_words(&e, bucket.as_str());
    let object = match reader.head(bucket, key).await {
        Ok(object) => object,
        Err(e) => return Ok((unknown, Err(words(e)))),
    };
    let lines = reader
        .first_bytes(bucket, key, FIRST_BYTES)
        .await
        .map(|bytes| files::first_lines(&bytes, object.size))
        .map_err(words);
    Ok((object, lines))
}

/// A stream's tasks with the files and bytes each wrote in the last hour, or why not.
pub struct TaskHour {
    pub task: String,
    pub written: Result<(usize, u64, Option<i64>), String>,
}

/// Files and bytes each of a stream's tasks wrote in the hour before `now_ms`.
pub async fn stream_hour(
    dis: &dyn DisPort,
    obs: &Obs,
    stream: &str,
    now_ms: i64,
) -> Result<Vec<TaskHour>, AppError> {
    let name = crate::domain::StreamName::parse(stream).map_err(AppError::Rejected)?;
    let tasks = dis.list_dump_tasks(&name).await.map_err(upstream_error)?;
    let reads = tasks.tasks.iter().map(|summary| async {
        let written = match crate::domain::TaskName::parse(&summary.task_name) {
            Err(why) => Err(why),
            Ok(task_name) => match dis.show_dump_task(&name, &task_name).await {
                Err(e) => Err(upstream_error(e).to_string()),
                Ok(details) => match details.read_back() {
                    None => Err("Not an OBS task the console reads.".to_owned()),
                    Some(task) => match recent(obs, &task, now_ms).await {
                        Ok(recent) => {
                            let (n, bytes) =
                                files::written_since(&recent.objects, now_ms - 3_600_000);
                            Ok((n, bytes, recent.objects.first().map(|o| o.last_modified_ms)))
                        }
                        Err(Unlisted::Unavailable(why) | Unlisted::Refused(why)) => Err(why),
                    },
                },
            },
        };
        TaskHour {
            task: summary.task_name.clone(),
            written,
        }
    });
    Ok(futures_util::future::join_all(reads).await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::fakes::{FakeDis, FakeObs};
    use std::sync::atomic::Ordering;

    fn obs(fake: FakeObs) -> (Arc<FakeObs>, Obs) {
        let fake = Arc::new(fake);
        (fake.clone(), Obs::new(Ok(fake)))
    }

    fn object(key: &str, at: i64) -> StoredObject {
        StoredObject {
            key: key.into(),
            size: 10,
            last_modified_ms: at,
        }
    }

    #[tokio::test]
    async fn operators_asking_together_share_one_read_of_obs() {
        let dis = FakeDis::with_streams(["s".to_owned()]).with_tasks(1);
        let now = crate::clock::now_ms();
        let (fake, obs) = obs(FakeObs {
            objects: vec![object("a.txt", now - 1_000), object("b.txt", now - 500)],
            ..FakeObs::default()
        });
        for _ in 0..5 {
            let files = task_files(&dis, &obs, "s", "t0", None, now).await.unwrap();
            let listed = files.listing.as_ref().ok().unwrap();
            assert_eq!(listed.objects[0].key, "b.txt", "newest first");
        }
        assert_eq!(fake.lists.load(Ordering::SeqCst), 1);
        // A read older than its sharing time is made again.
        task_files(&dis, &obs, "s", "t0", None, now + SHARED_FOR_MS)
            .await
            .unwrap();
        assert_eq!(fake.lists.load(Ordering::SeqCst), 2);
        // The stream's last hour reads through the same cache.
        let hour = stream_hour(&dis, &obs, "s", now + SHARED_FOR_MS)
            .await
            .unwrap();
        assert_eq!(hour[0].written, Ok((2, 20, Some(now - 500))));
        assert_eq!(fake.lists.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn days_are_walked_newest_first_one_level_at_a_time() {
        let task = DumpTask::parse(
            &crate::domain::TaskDraft {
                task_name: "t".into(),
                obs_bucket_path: "bucket".into(),
                file_prefix: "p".into(),
                partition_format: "yyyy/MM/dd/HH".into(),
                ..crate::domain::TaskDraft::default()
            },
            crate::domain::DataType::Json,
        )
        .unwrap();
        let mut keys = vec![
            "p/2025/01/01/00/c".to_owned(),
            "p/2026/11/30/23/a".to_owned(),
            "p/2026/12/01/00/b".to_owned(),
            "p/tmp/x".to_owned(),
            "p/2026/xx/01/00/y".to_owned(),
        ];
        // Twenty more days in January 2024: only the newest fourteen days in all are offered.
        keys.extend((1..=20).map(|d| format!("p/2024/01/{d:02}/00/f")));
        let fake = FakeObs {
            objects: keys.iter().map(|k| object(k, 0)).collect(),
            ..FakeObs::default()
        };
        let found = days(&fake, &task).await.unwrap();
        assert_eq!(found.len(), DAYS_OFFERED);
        assert_eq!(
            found[..4],
            [
                "p/2026/12/01/",
                "p/2026/11/30/",
                "p/2025/01/01/",
                "p/2024/01/20/"
            ]
        );
        assert_eq!(found[13], "p/2024/01/10/");
        // The walk stopped once it had them: 2024's January was read, and nothing older.
        assert!(fake.lists.load(Ordering::SeqCst) <= 8, "{:?}", fake.lists);
    }

    #[tokio::test]
    async fn a_directory_of_more_than_ten_thousand_files_keeps_its_newest() {
        // 24 hours of 500 files: 12,000 in one day directory.
        let objects = (0..24)
            .flat_map(|h| (0..500).map(move |i| object(&format!("p/2026/12/01/{h:02}/f{i:03}"), h)))
            .collect();
        let fake = FakeObs {
            objects,
            ..FakeObs::default()
        };
        let bucket = BucketName::parse("bucket").unwrap();
        let (found, left_out) = list_newest(&fake, &bucket, "p/2026/12/01/").await.unwrap();
        assert!(left_out);
        assert_eq!(found.len(), 10_000);
        assert!(
            found.iter().any(|o| o.key.starts_with("p/2026/12/01/23/")),
            "the newest hour"
        );
        assert!(
            !found.iter().any(|o| o.key.starts_with("p/2026/12/01/03/")),
            "the oldest left out"
        );
        // Fewer than the limit: one read in key order, nothing left out.
        let (found, left_out) = list_newest(&fake, &bucket, "p/2026/12/01/05/")
            .await
            .unwrap();
        assert_eq!((found.len(), left_out), (500, false));
    }

    #[tokio::test]
    async fn without_a_reader_or_with_a_refusal_the_panel_says_why() {
        let dis = FakeDis::with_streams(["s".to_owned()]).with_tasks(1);
        let token_mode = Obs::new(Err("Listing files needs an access key.".into()));
        let files = task_files(&dis, &token_mode, "s", "t0", None, 0)
            .await
            .unwrap();
        assert!(
            matches!(files.listing, Err(Unlisted::Unavailable(ref why)) if why.contains("access key"))
        );
        let (_, denied) = obs(FakeObs {
            refusal: Some("AccessDenied"),
            ..FakeObs::default()
        });
        let files = task_files(&dis, &denied, "s", "t0", None, 0).await.unwrap();
        match files.listing {
            Err(Unlisted::Refused(words)) => assert!(
                words.starts_with("The console's key cannot read bucket bucket (AccessDenied; request id obs-request-1)."),
                "{words}"
            ),
            _ => panic!("a refusal"),
        }
        // First lines are only ever read of the task's own files.
        let e = first_lines(&dis, &denied, "s", "t0", "../state.json").await;
        assert!(matches!(e, Err(AppError::Rejected(_))));
    }
}
