//! Overview cost (`bench/overview.sh`): 200 streams with 5 dump tasks each in the embedded
//! backend, the console in-process in front of it. Prints the DIS calls and the time of one
//! read of the overview, how many reads ten simultaneous Refresh presses make, and `/` rendered
//! for a logged-in operator under 32 connections (it reads the shared snapshot, never DIS).

mod common;

use app::domain::dis::CreateStreamRequest;
use app::domain::{DataType, DumpTask, StreamName, TaskDraft};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const STREAMS: usize = 200;
const TASKS: usize = 5;
const CONNECTIONS: usize = 32;
const LOAD: Duration = Duration::from_secs(10);

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (_backend, dis) = common::backend(dir.path().join("dis")).await;
    let dis = Arc::new(dis);
    let fill = Instant::now();
    for s in 0..STREAMS {
        let name = format!("bench-{s:03}");
        dis.create_stream(&CreateStreamRequest {
            stream_name: name.clone(),
            partition_count: 2,
            stream_type: None,
            data_type: Some("JSON".into()),
            data_duration: None,
            ..Default::default()
        })
        .await
        .expect("stream");
        let stream = StreamName::parse(&name).expect("name");
        for t in 0..TASKS {
            let draft = TaskDraft {
                task_name: format!("task-{t}"),
                obs_bucket_path: "bench".into(),
                deliver_time_interval: "300".into(),
                ..TaskDraft::default()
            };
            let task = DumpTask::parse(&draft, DataType::Json).expect("task");
            dis.add_dump_task(&stream, &task).await.expect("task");
        }
    }
    println!(
        "set up {STREAMS} streams × {TASKS} tasks in {:.1} s",
        fill.elapsed().as_secs_f64()
    );

    // Only the reads this bench asks for (and the one at start-up).
    let (base, http) = common::console(dir.path().join("console"), dis, |config| {
        config.overview_refresh = Duration::from_secs(3600);
    })
    .await;

    // A Refresh answers with the number of the read it waited for.
    let refresh = || async {
        let r = http
            .post(format!("{base}/api/refresh_overview"))
            .send()
            .await
            .expect("refresh");
        assert!(r.status().is_success(), "refresh failed: {}", r.status());
        r.json::<u64>().await.expect("read number")
    };
    let mut times = Vec::new();
    let mut before = 0;
    for _ in 0..5 {
        let t = Instant::now();
        before = refresh().await;
        times.push(t.elapsed());
    }
    times.sort();
    let page: String = http
        .post(format!("{base}/api/get_part"))
        .json(&serde_json::json!({"part": {"Overview": {"state": "All", "name": ""}}}))
        .send()
        .await
        .expect("overview")
        .json()
        .await
        .expect("overview HTML");
    let calls = page
        .split(" calls;")
        .next()
        .and_then(|head| head.rsplit(' ').next())
        .unwrap_or("?")
        .to_owned();
    println!(
        "one read: {calls} DIS calls for {STREAMS} streams and {} tasks; {:.0} ms median of 5 (at most 8 calls in flight)",
        STREAMS * TASKS,
        times[2].as_secs_f64() * 1000.0
    );

    let presses = futures_util::future::join_all((0..10).map(|_| refresh())).await;
    let mut reads: Vec<u64> = presses;
    reads.sort_unstable();
    reads.dedup();
    println!(
        "ten simultaneous Refresh presses: {} read(s) of DIS ({:?}, after read {before})",
        reads.len(),
        reads
    );

    let cookie_client = http.clone();
    let deadline = Instant::now() + LOAD;
    let workers = (0..CONNECTIONS).map(|_| {
        let client = cookie_client.clone();
        let url = format!("{base}/");
        tokio::spawn(async move {
            let mut times = Vec::new();
            while Instant::now() < deadline {
                let t = Instant::now();
                let r = client.get(&url).send().await.expect("page");
                assert!(r.status().is_success(), "/ answered {}", r.status());
                r.bytes().await.expect("body");
                times.push(t.elapsed());
            }
            times
        })
    });
    let mut all: Vec<Duration> = futures_util::future::join_all(workers)
        .await
        .into_iter()
        .flat_map(|r| r.expect("worker"))
        .collect();
    all.sort();
    let after = refresh().await;
    println!(
        "/ rendered under {CONNECTIONS} connections for {} s: {:.0} pages/s, p50 {:.1} ms, p99 {:.1} ms; \
         DIS reads meanwhile: {} (the page reads the shared snapshot)",
        LOAD.as_secs(),
        all.len() as f64 / LOAD.as_secs_f64(),
        common::percentile(&all, 50),
        common::percentile(&all, 99),
        after.saturating_sub(reads.last().copied().unwrap_or(before) + 1),
    );
}
