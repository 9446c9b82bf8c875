//! Sampling cost (`bench/sampling.sh`): a JSON stream of 4 partitions holding 200 records each
//! (about 300 B a record) in the embedded backend, the console in-process in front of it. Times
//! the `sample_records` server function end to end (session, guard, describe, every partition's
//! cursor and reads in parallel, the answer's JSON), and the preview part that reuses one read
//! as the draft changes (no DIS call).

mod common;

use app::domain::dis::{CreateStreamRequest, PutRecord, PutRecordsRequest};
use app::domain::sample::StreamSample;
use base64::Engine;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PARTITIONS: usize = 4;
const PER_PARTITION: usize = 200;
const RUNS: usize = 100;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (_backend, dis) = common::backend(dir.path().join("dis")).await;
    let stream = "bench-sample";
    dis.create_stream(&CreateStreamRequest {
        stream_name: stream.into(),
        partition_count: PARTITIONS as u32,
        stream_type: None,
        data_type: Some("JSON".into()),
        data_duration: None,
        ..Default::default()
    })
    .await
    .expect("stream");
    let now = app::clock::now_ms();
    for p in 0..PARTITIONS {
        let records = (0..PER_PARTITION)
            .map(|n| PutRecord {
                data: base64::engine::general_purpose::STANDARD.encode(format!(
                    r#"{{"ts": {}, "device": "pump-{p}", "n": {n}, "reading": {{"pressure": 3.25, "flow": 118.5, "state": "running"}}, "site": "plant-north", "note": "{}"}}"#,
                    now - n as i64 * 1000,
                    "x".repeat(160)
                )),
                partition_key: None,
                partition_id: Some(p.to_string()),
                explicit_hash_key: None,
                timestamp: None,
            })
            .collect();
        dis.put_records(&PutRecordsRequest {
            stream_name: stream.into(),
            stream_id: None,
            records,
        })
        .await
        .expect("records");
    }

    let (base, http) = common::console(dir.path().join("console"), Arc::new(dis), |_| {}).await;

    let mut times = Vec::with_capacity(RUNS);
    let mut bytes = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let answer = http
            .post(format!("{base}/api/sample_records"))
            .json(&serde_json::json!({ "stream": stream, "from": "Recent" }))
            .send()
            .await
            .expect("sample");
        assert!(answer.status().is_success(), "{}", answer.status());
        let body = answer.bytes().await.expect("body");
        times.push(t.elapsed());
        bytes = body.len();
        let sample: StreamSample = serde_json::from_slice(&body).expect("a sample");
        assert_eq!(sample.records.len(), PARTITIONS * PER_PARTITION);
    }
    times.sort();
    println!(
        "sample_records, {PARTITIONS} partitions × {PER_PARTITION} records ({} KiB answered), {RUNS} runs: p50 {:.1} ms, p99 {:.1} ms",
        bytes / 1024,
        common::percentile(&times, 50),
        common::percentile(&times, 99)
    );

    // The preview part: one read, then the draft changing (a new field each time).
    let part = |field: String| {
        serde_json::json!({"part": {"Records": {
            "stream": stream, "from": "Recent", "read": 1, "suggest": true,
            "draft": {"obs_bucket_path": "bench", "partition_format": "yyyy/MM/dd/HH",
                      "use_processing_schema": true, "timestamp_name": field,
                      "timestamp_type": "Timestamp", "timestamp_format": ""}}}})
    };
    let mut first = Duration::ZERO;
    let mut again = Vec::with_capacity(RUNS);
    for i in 0..=RUNS {
        let t = Instant::now();
        let answer = http
            .post(format!("{base}/api/get_part"))
            .json(&part(if i % 2 == 0 {
                "ts".into()
            } else {
                format!("f{i}")
            }))
            .send()
            .await
            .expect("part");
        assert!(answer.status().is_success(), "{}", answer.status());
        answer.text().await.expect("html");
        if i == 0 {
            first = t.elapsed();
        } else {
            again.push(t.elapsed());
        }
    }
    again.sort();
    println!(
        "preview part: first (reads DIS) {:.1} ms; the draft changed, same read: p50 {:.1} ms, p99 {:.1} ms",
        first.as_secs_f64() * 1000.0,
        common::percentile(&again, 50),
        common::percentile(&again, 99)
    );
}
