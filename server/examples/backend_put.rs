//! Embedded backend put cost (`bench/backend-put.sh`): a put appends to the partition's log, so
//! it should cost the same with 10,000 records stored as with 1,000,000. The backend runs
//! in-process; puts of 10 records go through the signed DIS client over loopback, one after the
//! other, after the stream has been filled to each size. Throughput, p50 and p99.

mod common;

use app::domain::dis::{CreateStreamRequest, PutRecord, PutRecordsRequest};
use base64::Engine;
use server::dis::DisClient;
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PUTS: usize = 2_000;
const PER_PUT: usize = 10;
const FILL_BATCH: usize = 500;

fn batch(stream: &str, n: usize, seq: usize) -> PutRecordsRequest {
    PutRecordsRequest {
        stream_name: stream.to_owned(),
        stream_id: None,
        records: (0..n)
            .map(|i| PutRecord {
                data: base64::engine::general_purpose::STANDARD.encode(format!(
                    r#"{{"ts": 1700000000000, "n": {}, "device": "pump-1", "value": 42.5}}"#,
                    seq + i
                )),
                partition_key: None,
                partition_id: Some("0".into()),
                explicit_hash_key: None,
                timestamp: None,
            })
            .collect(),
    }
}

/// Fills `stream` to `stored` records, then times [`PUTS`] puts.
async fn measure(
    client: &DisClient,
    stream: &str,
    stored: usize,
    have: &mut usize,
) -> (f64, f64, f64) {
    while *have < stored {
        let n = FILL_BATCH.min(stored - *have);
        client
            .put_records(&batch(stream, n, *have))
            .await
            .expect("fill");
        *have += n;
    }
    let mut times = Vec::with_capacity(PUTS);
    let start = Instant::now();
    for i in 0..PUTS {
        let t = Instant::now();
        let answer = client
            .put_records(&batch(stream, PER_PUT, *have + i * PER_PUT))
            .await
            .expect("put");
        assert_eq!(answer.failed_record_count, 0);
        times.push(t.elapsed());
    }
    *have += PUTS * PER_PUT;
    let total = start.elapsed();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (
        (PUTS * PER_PUT) as f64 / total.as_secs_f64(),
        ms(times[PUTS / 2]),
        ms(times[PUTS * 99 / 100]),
    )
}

#[tokio::main]
async fn main() {
    let data = tempfile::tempdir().expect("temporary directory");
    let (_backend, client) = common::backend(data.path().to_path_buf()).await;
    let stream = "bench-put";
    client
        .create_stream(&CreateStreamRequest {
            stream_name: stream.into(),
            partition_count: 1,
            stream_type: None,
            data_type: Some("JSON".into()),
            data_duration: None,
            ..Default::default()
        })
        .await
        .expect("stream");
    let mut have = 0;
    println!(
        "{:<28} {:>14} {:>10} {:>10}",
        "records stored", "records/s", "p50 ms", "p99 ms"
    );
    let mut rows = Vec::new();
    for stored in [10_000, 1_000_000] {
        let (rate, p50, p99) = measure(&client, stream, stored, &mut have).await;
        println!("{stored:<28} {rate:>14.0} {p50:>10.3} {p99:>10.3}");
        rows.push((rate, p99));
    }
    let rate_change = (rows[1].0 / rows[0].0 - 1.0) * 100.0;
    let p99_change = (rows[1].1 / rows[0].1 - 1.0) * 100.0;
    println!(
        "1M against 10k: throughput {rate_change:+.1} %, p99 {p99_change:+.1} % (target: within 20 %); \
         {PUTS} sequential puts of {PER_PUT} records each"
    );
    let log_bytes: u64 = walk(&data.path().join("records"));
    println!("partition log on disk: {} MiB", log_bytes / (1 << 20));
}

fn walk(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() {
                        walk(&p)
                    } else {
                        e.metadata().map(|m| m.len()).unwrap_or(0)
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}
