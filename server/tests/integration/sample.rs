//! The wizard's preview with a stream's own records, through its server function: what an
//! operator reads, how a partition that cannot be read says so, and who may read at all.

use crate::common::TestApp;
use app::domain::sample::{SampleFrom, StreamSample};
use app::domain::Role;

async fn stream_with(app: &TestApp, name: &str, partitions: u32, records: &[(&'static str, &str)]) {
    crate::common::json_stream(&app.dis, name, partitions).await;
    let records = records.iter().map(|(p, data)| (Some(*p), *data));
    app.dis
        .put_records(&crate::common::put_request(name, records))
        .await
        .unwrap();
}

async fn sample_as(
    app: &TestApp,
    client: &reqwest::Client,
    stream: &str,
    from: SampleFrom,
) -> (u16, String) {
    let answer = client
        .post(app.url("/api/sample_records"))
        .json(&serde_json::json!({ "stream": stream, "from": from }))
        .send()
        .await
        .unwrap();
    (answer.status().as_u16(), answer.text().await.unwrap())
}

#[tokio::test]
async fn operators_read_every_partitions_recent_records_and_viewers_are_refused() {
    let app = TestApp::spawn().await;
    stream_with(
        &app,
        "sample-mixed",
        3,
        &[
            ("0", r#"{"ts": 1796142600000, "n": 1}"#),
            ("1", r#"{"ts": 1796142600, "n": 2}"#),
            ("1", r#"{"n": 3}"#),
        ],
    )
    .await;
    let operator = app.client_as(Role::Operator).await;
    let (status, body) = sample_as(&app, &operator, "sample-mixed", SampleFrom::Recent).await;
    assert_eq!(status, 200, "{body}");
    let sample: StreamSample = serde_json::from_str(&body).unwrap();
    assert_eq!(sample.records.len(), 3);
    assert_eq!(
        sample
            .partitions
            .iter()
            .map(|p| (p.partition.as_str(), p.records, p.stopped.is_none()))
            .collect::<Vec<_>>(),
        [
            ("shardId-0000000000", 1, true),
            ("shardId-0000000001", 2, true),
            ("shardId-0000000002", 0, true),
        ]
    );
    assert_eq!(sample.records[2].data, br#"{"n": 3}"#);
    let words = sample.words(app::domain::ZoneOffset::UTC);
    assert!(
        words.starts_with("Read 3 records from 3 partitions (shardId-0000000000: 1, shardId-0000000001: 2, shardId-0000000002: 0), which arrived from "),
        "{words}"
    );

    for from in [SampleFrom::Newest, SampleFrom::Oldest] {
        let (status, body) = sample_as(&app, &operator, "sample-mixed", from).await;
        assert_eq!(status, 200, "{body}");
        let sample: StreamSample = serde_json::from_str(&body).unwrap();
        assert_eq!(sample.records.len(), 3, "{from:?}");
    }

    // Record contents are data: a viewer cannot read them.
    let viewer = app.client_as(Role::Viewer).await;
    let (status, body) = sample_as(&app, &viewer, "sample-mixed", SampleFrom::Recent).await;
    assert_eq!(status, 403, "{body}");
    assert!(!body.contains("\"n\""), "{body}");

    // A name outside DIS's rules never reaches DIS; an unknown stream says so.
    let (status, body) = sample_as(&app, &operator, "../streams", SampleFrom::Recent).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = sample_as(&app, &operator, "no-such-stream", SampleFrom::Recent).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("DIS.4301"), "{body}");
}

#[tokio::test]
async fn a_partition_that_cannot_be_read_says_why_and_the_others_still_count() {
    let app = TestApp::spawn().await;
    stream_with(&app, "sample-throttled", 2, &[("0", "{}"), ("1", "{}")]).await;
    let faults = app.backend.as_ref().unwrap().faults();
    // DIS fails every cursor of one partition (the client tries three times); the other
    // partition reads as usual.
    faults.inject_scoped(
        dis_backend::faults::Fault::SystemError,
        3,
        Some("partition-id=shardId-0000000001".into()),
    );
    let operator = app.client_as(Role::Operator).await;
    let (status, body) = sample_as(&app, &operator, "sample-throttled", SampleFrom::Oldest).await;
    assert_eq!(status, 200, "{body}");
    let sample: StreamSample = serde_json::from_str(&body).unwrap();
    let stopped: Vec<&str> = sample
        .partitions
        .iter()
        .filter_map(|p| p.stopped.as_deref())
        .collect();
    assert_eq!(stopped.len(), 1, "{:?}", sample.partitions);
    assert!(
        stopped[0].contains("DIS reported an internal error"),
        "{}",
        stopped[0]
    );
    assert_eq!(sample.records.len(), 1);
}

#[tokio::test]
async fn the_preview_part_follows_the_draft_on_one_read_and_is_for_operators_only() {
    let app = TestApp::spawn().await;
    stream_with(
        &app,
        "sample-part",
        1,
        &[("0", r#"{"ts": 1796142600000}"#), ("0", r#"{"id": 2}"#)],
    )
    .await;
    let part = |schema: bool| {
        serde_json::json!({ "Records": {
            "stream": "sample-part",
            "from": "Recent",
            "read": 42,
            "draft": {
                "obs_bucket_path": "b",
                "partition_format": "yyyy",
                "use_processing_schema": schema,
                "timestamp_name": "ts",
                "timestamp_type": "Timestamp",
                "timestamp_format": "",
            },
            "suggest": true,
        }})
    };
    let operator = app.client_as(Role::Operator).await;
    let (status, html) = app.part_as(&operator, part(false)).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("2 records → 1 directory; 0 discarded"),
        "{html}"
    );
    // The same read under a schema: no new read of DIS, the draft decides.
    let (status, html) = app.part_as(&operator, part(true)).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("2 records → 1 directory; 1 discarded"),
        "{html}"
    );
    assert!(html.contains("b/2026/"), "{html}");

    let viewer = app.client_as(Role::Viewer).await;
    let (status, html) = app.part_as(&viewer, part(false)).await;
    assert_eq!(status, 403, "{html}");
    assert!(!html.contains("\"id\""), "{html}");
}
