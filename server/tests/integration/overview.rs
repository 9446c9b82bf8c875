//! The overview and the traffic figures, end to end: the embedded backend's monitoring API and
//! partition ranges through the signed client, and the shared snapshot through the console's
//! HTTP API (one read for simultaneous Refresh presses, a stalled task listed first, an outage
//! shown as stale with DIS's code and request id).

use crate::common::TestApp;
use app::domain::dis::PutRecordsRequest;
use app::domain::metrics::{Measure, Window};
use app::domain::{DataType, DumpTask, PartitionId, StreamName, TaskDraft};
use base64::Engine;
use dis_backend::faults::Fault;
use server::dis::{DisClient, DisError};

fn records(stream: &StreamName, lines: &[&str]) -> PutRecordsRequest {
    crate::common::put_request(stream.as_str(), lines.iter().map(|l| (Some("0"), l)))
}

fn task(name: &str) -> DumpTask {
    DumpTask::parse(
        &TaskDraft {
            task_name: name.into(),
            obs_bucket_path: "bucket".into(),
            deliver_time_interval: "60".into(),
            ..TaskDraft::default()
        },
        DataType::Json,
    )
    .unwrap()
}

fn code(e: DisError) -> String {
    e.code().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn the_backend_reports_traffic_and_ranges_as_dis_does() {
    let app = TestApp::spawn().await;
    let dis = &app.dis;
    let s = app.json_stream("metered").await;
    dis.put_records(&records(&s, &["abc", "de", "f"]))
        .await
        .unwrap();
    let described = dis.describe_stream(&s).await.unwrap();
    assert_eq!(described.partitions[0].sequence_number_range, "[0 : 3]");

    let now = app::clock::now_ms();
    let period = Window::Hour.period(now);
    let labels = [
        Measure::PutRecords.stream_label(),
        Measure::PutBytes.stream_label(),
        Measure::ThrottledPut.stream_label(),
    ];
    let answer = dis.metrics(&s, None, &labels, period).await.unwrap();
    let total = |label: &str| -> f64 {
        answer
            .metrics_list
            .iter()
            .find(|m| m.label == label)
            .map(|m| m.data_points.iter().map(|p| p.value).sum())
            .unwrap()
    };
    assert_eq!(total("total_put_records_per_stream"), 3.0);
    assert_eq!(total("total_put_bytes_per_stream"), 6.0);
    assert_eq!(total("traffic_control_put"), 0.0);

    let p0 = PartitionId::parse("shardId-0000000000").unwrap();
    let one = dis
        .metrics(&s, Some(&p0), &["total_put_records_per_partition"], period)
        .await
        .unwrap();
    assert_eq!(one.series()[0].data_points.len(), 1);

    // DIS's refusals: a bad label, an empty period, one longer than seven days, no partition.
    let refused = |labels: &'static [&'static str], period: (i64, i64), p: Option<PartitionId>| {
        let s = s.clone();
        async move {
            code(
                dis.metrics(&s, p.as_ref(), labels, period)
                    .await
                    .unwrap_err(),
            )
        }
    };
    let (start, end) = period;
    assert_eq!(
        refused(&["total_put_records_per_partition"], period, None).await,
        "DIS.4209"
    );
    assert_eq!(
        refused(&["traffic_controll_put"], period, None).await,
        "DIS.4209"
    );
    assert_eq!(
        refused(&["total_put_records_per_stream"], (end, start), None).await,
        "DIS.4203"
    );
    assert_eq!(
        refused(
            &["total_put_records_per_stream"],
            (end - 8 * 86_400, end),
            None
        )
        .await,
        "DIS.4204"
    );
    assert_eq!(
        refused(
            &["total_put_records_per_partition"],
            period,
            Some(PartitionId::parse("7").unwrap())
        )
        .await,
        "DIS.4302"
    );
}

#[tokio::test]
async fn the_traffic_function_charts_what_was_put() {
    let app = TestApp::spawn().await;
    let s = app.json_stream("charted").await;
    app.dis
        .put_records(&records(&s, &["{}", "{}"]))
        .await
        .unwrap();
    let traffic = |window: &str, partition: Option<&str>| {
        part(
            &app,
            serde_json::json!({"Traffic": {"stream": "charted", "partition": partition, "window": window}}),
        )
    };
    let (status, html) = traffic("1 h", None).await;
    assert_eq!(status, 200, "{html}");
    let html = html.as_str().unwrap();
    assert_eq!(html.matches("<svg").count(), 3, "{html}");
    assert!(html.contains("Records in: 2"), "{html}");
    assert!(html.contains("<caption>Traffic of stream charted, last 1 h</caption>"));
    let (status, body) = traffic("2 h", None).await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = traffic("1 h", Some("../x")).await;
    assert_eq!(status, 400);
    let (status, html) = traffic("7 d", Some("shardId-0000000000")).await;
    assert_eq!(status, 200, "{html}");
    assert_eq!(html.as_str().unwrap().matches("<svg").count(), 2);
}

/// A part of a page, as the browser asks for it.
async fn part(app: &TestApp, part: serde_json::Value) -> (u16, serde_json::Value) {
    app.post_as(
        "application/json",
        "/api/get_part",
        serde_json::json!({ "part": part }).to_string(),
    )
    .await
}

/// The overview's HTML for a filter.
async fn overview(app: &TestApp, state: &str, name: &str) -> String {
    let (status, html) = part(
        app,
        serde_json::json!({"Overview": {"state": state, "name": name}}),
    )
    .await;
    assert_eq!(status, 200, "{html}");
    html.as_str().unwrap().to_owned()
}

#[tokio::test]
async fn simultaneous_refreshes_share_one_read_and_a_stalled_task_comes_first() {
    let app = TestApp::spawn().await;
    let s = app.json_stream("stalling").await;
    for name in ["healthy", "stuck"] {
        app.dis.add_dump_task(&s, &task(name)).await.unwrap();
    }
    let backend = app.backend.as_ref().unwrap();
    backend.faults().stall_dumps("stuck", 60);
    app.dis
        .put_records(&records(&s, &["{}", "{}", "{}"]))
        .await
        .unwrap();
    // The stall takes effect at the backend's next tick.
    backend.dump_at(app::clock::now_ms()).unwrap();

    let presses = futures_util::future::join_all(
        (0..10).map(|_| app.post_form("/api/refresh_overview", String::new())),
    )
    .await;
    let mut reads: Vec<u64> = presses
        .iter()
        .map(|(status, read)| {
            assert_eq!(*status, 200, "{read}");
            read.as_u64().unwrap()
        })
        .collect();
    reads.dedup();
    assert_eq!(reads.len(), 1, "ten presses, one read: {reads:?}");

    let html = overview(&app, "All", "").await;
    let (stuck, healthy) = (
        html.find(">stuck<").unwrap(),
        html.find(">healthy<").unwrap(),
    );
    assert!(stuck < healthy, "the late task comes first: {html}");
    assert!(
        html.contains("no dump yet, created 1 h ago, interval 1 min, 3 records waiting"),
        "{html}"
    );
    assert!(html.contains(">Late</span>"), "{html}");
    // Every demo stream is listed too; they have no tasks.
    for demo in [
        "demo-blob-logs",
        "demo-csv-metrics",
        "demo-json-events",
        "demo-orders",
    ] {
        assert!(html.contains(&format!(">{demo}<")), "{demo}");
    }
    // The filter narrows the list on the server.
    let late = overview(&app, "Late", "").await;
    assert!(late.contains(">stuck<") && !late.contains(">healthy<"));
    let none = overview(&app, "All", "nothing-like-this").await;
    assert!(none.contains("No dump task matches the filter."));
    // An admin sees the latest audit lines.
    assert!(html.contains("Recent changes"));
    let viewer = app.client_as(app::domain::Role::Viewer).await;
    let (_, as_viewer) = app
        .part_as(
            &viewer,
            serde_json::json!({"Overview": {"state": "All", "name": ""}}),
        )
        .await;
    assert!(as_viewer.contains(">stuck<") && !as_viewer.contains("Recent changes"));
    // The audit log is an admin's part, whoever asks.
    let (refused, _) = app
        .part_as(
            &viewer,
            serde_json::json!({"Audit": {"operator": "", "action": "", "outcome": "", "before_ms": 0}}),
        )
        .await;
    assert_eq!(refused, 403);

    // Reading the overview costs DIS nothing: the read number stays.
    let backend_calls_before = html.clone();
    let again = overview(&app, "All", "").await;
    let calls = |h: &str| h.split(" calls;").next().map(str::to_owned);
    assert_eq!(calls(&again), calls(&backend_calls_before));
}

#[tokio::test]
async fn an_outage_keeps_the_last_snapshot_marked_with_dis_code_and_request_id() {
    let app = TestApp::spawn().await;
    let (status, _) = app.post_form("/api/refresh_overview", String::new()).await;
    assert_eq!(status, 200);
    assert!(!overview(&app, "All", "").await.contains("role=\"alert\""));
    // Every attempt at the list of streams fails (a GET is tried three times).
    app.backend
        .as_ref()
        .unwrap()
        .faults()
        .inject(Fault::SystemError, 3);
    let (status, _) = app.post_form("/api/refresh_overview", String::new()).await;
    assert_eq!(status, 200);
    let stale = overview(&app, "All", "").await;
    assert!(stale.contains("Reading DIS failed: "), "{stale}");
    assert!(stale.contains("(DIS.5000; DIS request id "), "{stale}");
    assert!(
        stale.contains(">demo-orders<"),
        "the last snapshot is still shown"
    );

    // The next read that works clears it.
    app.post_form("/api/refresh_overview", String::new()).await;
    assert!(!overview(&app, "All", "")
        .await
        .contains("Reading DIS failed"));
}

#[tokio::test]
async fn records_survive_a_backend_restart_in_their_logs() {
    let app = TestApp::spawn().await;
    let s = app.json_stream("kept").await;
    app.dis
        .put_records(&records(&s, &["one", "two"]))
        .await
        .unwrap();
    let logs = app.data_dir.path().join("dis").join("records");
    assert!(logs.is_dir(), "records are kept in per-partition logs");
    let state = std::fs::read_to_string(app.data_dir.path().join("dis/state.json")).unwrap();
    assert!(!state.contains(&base64::engine::general_purpose::STANDARD.encode("one")));
    let data = app.data_dir.path().join("dis");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let again = dis_backend::start(
        dis_backend::BackendConfig {
            access_key: "AKRESTART0000000001".into(),
            secret_key: secrecy::SecretString::from("restart-secret"),
            project_id: "0123456789abcdef0123456789abcdef".into(),
            tokens: Vec::new(),
            iam_users: Vec::new(),
            data_dir: data,
            time_zone: app::domain::ZoneOffset::UTC_PLUS_8,
            seed_demo: true,
            demo_traffic: false,
            fault_dir: None,
            partition_quota: Default::default(),
        },
        listener,
        tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind"),
    )
    .await
    .unwrap();
    let client = DisClient::new(server::dis::ClientConfig {
        endpoint: again.endpoint(),
        project_id: "0123456789abcdef0123456789abcdef".into(),
        auth: server::dis::Auth::AkSk {
            ak: secrecy::SecretString::from("AKRESTART0000000001"),
            sk: secrecy::SecretString::from("restart-secret"),
        },
        limits: server::dis::Limits::default(),
    })
    .unwrap();
    let described = client.describe_stream(&s).await.unwrap();
    assert_eq!(described.partitions[0].sequence_number_range, "[0 : 2]");
}
