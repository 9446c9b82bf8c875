//! Many operators at once: 200 logged-in sessions, each on a stream of its own, listing, showing,
//! adding and deleting dump tasks for a while, on loopback against the embedded DIS. No request
//! may fail, and every task added is accounted for (deleted, or still listed).
//!
//! `LOAD_SECONDS` sets how long (default 10 in `make test`; 60 for the full run).

use crate::common;

use common::TestApp;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SESSIONS: usize = 200;

#[derive(Default)]
struct Tally {
    requests: AtomicU64,
    added: AtomicU64,
    deleted: AtomicU64,
}

async fn post(
    client: &reqwest::Client,
    url: String,
    form: String,
    tally: &Tally,
) -> Result<serde_json::Value, String> {
    tally.requests.fetch_add(1, Ordering::Relaxed);
    let r = client
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    let status = r.status();
    let text = r.text().await.map_err(|e| format!("{url}: {e}"))?;
    if !status.is_success() {
        return Err(format!("{url}: {status} {text}"));
    }
    serde_json::from_str(&text).map_err(|e| format!("{url}: {e}: {text}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_sessions_list_show_add_and_delete_without_an_error() {
    let seconds: u64 = std::env::var("LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    // A stream each is more partitions than DIS's default quota: raised, as a ticket would.
    let app = Arc::new(
        TestApp::spawn_with(|c| {
            c.partition_quota = app::domain::stream::PartitionQuota {
                common: 1_000,
                advanced: 10,
            }
        })
        .await,
    );
    // A stream each, so no session meets another's five-task quota.
    for i in 0..SESSIONS {
        app.json_stream(&format!("load-{i:03}")).await;
    }
    // Deleting tasks is for admins.
    let (name, password) = app.add_operator(app::domain::Role::Admin).await;
    let mut clients = Vec::new();
    for _ in 0..SESSIONS {
        clients.push(app.login(&name, &password).await);
    }

    let tally = Arc::new(Tally::default());
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let workers: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(i, client)| {
            let (app, tally) = (app.clone(), tally.clone());
            tokio::spawn(async move {
                let stream = format!("load-{i:03}");
                let mut round = 0;
                while Instant::now() < deadline {
                    let task = format!("load-task-{round}");
                    round += 1;
                    post(
                        &client,
                        app.url("/api/list_stream_page"),
                        "limit=20&filter=load-1".into(),
                        &tally,
                    )
                    .await?;
                    post(
                        &client,
                        app.url("/api/get_stream"),
                        format!("stream={stream}"),
                        &tally,
                    )
                    .await?;
                    let form = format!(
                        "stream={stream}&draft[task_name]={task}&draft[obs_bucket_path]=load-bucket\
                         &draft[destination_file_type]=text"
                    );
                    post(&client, app.url("/api/create_dump_task"), form, &tally).await?;
                    tally.added.fetch_add(1, Ordering::Relaxed);
                    post(
                        &client,
                        app.url("/api/get_dump_task"),
                        format!("stream={stream}&task={task}"),
                        &tally,
                    )
                    .await?;
                    // Every other task stays, so the end state holds some of each.
                    if round % 2 == 1 || round > 3 {
                        post(
                            &client,
                            app.url("/api/delete_dump_task"),
                            format!("stream={stream}&task={task}&confirm={task}"),
                            &tally,
                        )
                        .await
                        .map_err(|e| format!("delete: {e}"))?;
                        tally.deleted.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Ok::<(), String>(())
            })
        })
        .collect();
    let mut errors = Vec::new();
    for w in workers {
        if let Err(e) = w.await.unwrap() {
            errors.push(e);
        }
    }
    assert!(
        errors.is_empty(),
        "{} sessions failed, e.g. {}",
        errors.len(),
        errors[0]
    );

    // Every task added is deleted or still there.
    let mut remaining = 0;
    for i in 0..SESSIONS {
        remaining += app
            .dis
            .list_dump_tasks(&app::domain::StreamName::parse(&format!("load-{i:03}")).unwrap())
            .await
            .unwrap()
            .tasks
            .len() as u64;
    }
    let (added, deleted) = (
        tally.added.load(Ordering::Relaxed),
        tally.deleted.load(Ordering::Relaxed),
    );
    assert_eq!(
        added,
        deleted + remaining,
        "added {added}, deleted {deleted}, listed {remaining}"
    );
    assert!(
        added >= SESSIONS as u64,
        "each session added at least one task: {added}"
    );
    println!(
        "{SESSIONS} sessions, {seconds} s: {} requests, {added} tasks added, {deleted} deleted, {remaining} left",
        tally.requests.load(Ordering::Relaxed)
    );
}
