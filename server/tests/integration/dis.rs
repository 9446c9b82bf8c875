//! The DIS client against the embedded backend, over real HTTP on loopback: every operation,
//! every documented error, the signature and token checks, faults, dumping and persistence.

use crate::common::put_request;
use app::domain::dis::*;
use app::domain::{DataType, DumpTask, PartitionId, StreamName, TaskDraft, TaskName, ZoneOffset};
use app::ports::{CreateOutcome, UpdateOutcome};
use base64::Engine;
use dis_backend::{faults::Fault, BackendConfig, BackendHandle, IamUser};
use secrecy::SecretString;
use server::dis::token::{IamTokens, TokenSource};
use server::dis::{Auth, ClientConfig, DisClient, DisError, Limits};
use std::time::Duration;
use tempfile::TempDir;

const AK: &str = "AKTESTBACKEND0000001";
const SK: &str = "sk-for-the-embedded-backend-tests-0123";
const PROJECT: &str = "0123456789abcdef0123456789abcdef";

struct Env {
    backend: BackendHandle,
    data: TempDir,
}

async fn backend_in(data: TempDir, seed: bool) -> Env {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let backend = dis_backend::start(
        BackendConfig {
            access_key: AK.into(),
            secret_key: SecretString::from(SK),
            project_id: PROJECT.into(),
            tokens: vec![SecretString::from("fixed-token-123")],
            iam_users: vec![IamUser {
                domain: "acme".into(),
                name: "ops".into(),
                password: SecretString::from("iam-password"),
            }],
            data_dir: data.path().to_path_buf(),
            time_zone: ZoneOffset::UTC_PLUS_8,
            seed_demo: seed,
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
    Env { backend, data }
}

async fn backend() -> Env {
    backend_in(tempfile::tempdir().unwrap(), true).await
}

fn limits() -> Limits {
    Limits {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(2),
        attempts: 3,
        backoff: Duration::from_millis(10),
    }
}

fn client_with(env: &Env, auth: Auth, limits: Limits) -> DisClient {
    DisClient::new(ClientConfig {
        endpoint: env.backend.endpoint(),
        project_id: PROJECT.into(),
        auth,
        limits,
    })
    .unwrap()
}

fn signed(env: &Env) -> DisClient {
    client_with(
        env,
        Auth::AkSk {
            ak: SecretString::from(AK),
            sk: SecretString::from(SK),
        },
        limits(),
    )
}

fn stream(name: &str) -> StreamName {
    StreamName::parse(name).unwrap()
}

fn task(name: &str, edit: impl FnOnce(&mut TaskDraft)) -> DumpTask {
    let mut d = TaskDraft {
        task_name: name.into(),
        obs_bucket_path: "dumps".into(),
        file_prefix: "app".into(),
        deliver_time_interval: "30".into(),
        consumer_strategy: "TRIM_HORIZON".into(),
        ..TaskDraft::default()
    };
    edit(&mut d);
    DumpTask::parse(&d, DataType::Json).unwrap()
}

fn api_code(e: &DisError) -> (u16, &str) {
    match e {
        DisError::Api { status, code, .. } => (*status, code.as_str()),
        other => panic!("expected a DIS error, got {other:?}"),
    }
}

#[tokio::test]
async fn streams_list_page_and_describe() {
    let env = backend().await;
    let dis = signed(&env);
    let page = dis.stream_page(2, None).await.unwrap();
    assert_eq!(page.total_number, 4);
    assert_eq!(
        page.stream_names,
        vec!["demo-blob-logs", "demo-csv-metrics"]
    );
    assert!(page.has_more_streams);
    let rest = dis
        .stream_page(2, Some(&stream("demo-csv-metrics")))
        .await
        .unwrap();
    assert_eq!(rest.stream_names, vec!["demo-json-events", "demo-orders"]);
    assert!(!rest.has_more_streams);
    assert_eq!(app::services::streams::all(&dis).await.unwrap().len(), 4);

    let json = dis
        .describe_stream(&stream("demo-json-events"))
        .await
        .unwrap();
    assert_eq!(json.data_type(), DataType::Json);
    assert_eq!(json.partitions.len(), 2);
    let e = dis.describe_stream(&stream("nope")).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4301"));
    assert!(e.request_id().is_some(), "DIS answers carry X-Request-Id");

    dis.create_stream(&CreateStreamRequest {
        stream_name: "fresh".into(),
        partition_count: 3,
        stream_type: None,
        data_type: Some("CSV".into()),
        data_duration: None,
        ..Default::default()
    })
    .await
    .unwrap();
    let e = dis
        .create_stream(&CreateStreamRequest {
            stream_name: "fresh".into(),
            partition_count: 1,
            stream_type: None,
            data_type: None,
            data_duration: None,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4307"));
    assert_eq!(
        dis.describe_stream(&stream("fresh"))
            .await
            .unwrap()
            .data_type(),
        DataType::Csv
    );
}

#[tokio::test]
async fn dump_task_lifecycle_with_documented_errors() {
    let env = backend().await;
    let dis = signed(&env);
    let s = stream("demo-json-events");
    assert_eq!(
        dis.add_dump_task(&s, &task("t1", |_| {})).await.unwrap(),
        CreateOutcome::Created
    );
    let e = dis
        .add_dump_task(&s, &task("t1", |_| {}))
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4355"));
    for i in 2..=5 {
        dis.add_dump_task(&s, &task(&format!("t{i}"), |_| {}))
            .await
            .unwrap();
    }
    let e = dis
        .add_dump_task(&s, &task("t6", |_| {}))
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4357"));
    let e = dis
        .add_dump_task(&stream("nope"), &task("x", |_| {}))
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4301"));

    let list = dis.list_dump_tasks(&s).await.unwrap();
    assert_eq!((list.total_number, list.quota), (5, 5));
    assert!(list
        .tasks
        .iter()
        .all(|t| t.state == TaskState::Running && !t.task_id.is_empty()));

    let t1 = TaskName::parse("t1").unwrap();
    let shown = dis.show_dump_task(&s, &t1).await.unwrap();
    assert_eq!(shown.stream_name, "demo-json-events");
    assert_eq!(shown.partitions.len(), 2);
    assert_eq!(shown.partitions[0].partition_id, "shardId-0000000000");
    let d = shown.obs_destination_description.unwrap();
    assert_eq!(
        d,
        task("t1", |_| {}).descriptor(),
        "show returns what was sent"
    );

    dis.task_action(&s, TaskAction::Stop, std::slice::from_ref(&shown.task_id))
        .await
        .unwrap();
    assert_eq!(
        dis.show_dump_task(&s, &t1).await.unwrap().state,
        TaskState::Paused
    );
    dis.task_action(&s, TaskAction::Start, std::slice::from_ref(&shown.task_id))
        .await
        .unwrap();
    assert_eq!(
        dis.show_dump_task(&s, &t1).await.unwrap().state,
        TaskState::Running
    );
    let e = dis
        .task_action(&s, TaskAction::Start, &["no-such-id".to_string()])
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4354"));

    dis.delete_dump_task(&s, &t1).await.unwrap();
    let e = dis.show_dump_task(&s, &t1).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4354"));
    let e = dis.delete_dump_task(&s, &t1).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4354"));
}

/// The backend judges a raw request with the domain's rules, whatever a client sends.
#[tokio::test]
async fn the_backend_applies_every_dump_task_rule() {
    let env = backend().await;
    let http = reqwest::Client::new();
    let dis = signed(&env);
    // Parquet on a BLOB stream: refused with the same message the console shows.
    let parquet = task("pq", |d| d.destination_file_type = "parquet".into());
    let e = dis
        .add_dump_task(&stream("demo-blob-logs"), &parquet)
        .await
        .unwrap_err();
    let DisError::Api { code, message, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(code, "DIS.4200");
    assert!(
        message.contains("need a stream whose data type is JSON"),
        "{message}"
    );
    dis.add_dump_task(&stream("demo-json-events"), &parquet)
        .await
        .unwrap();
    // An unsigned raw request is refused before any rule.
    let r = http
        .post(format!(
            "{}/v2/{PROJECT}/streams/demo-json-events/transfer-tasks",
            env.backend.endpoint()
        ))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 441);
}

#[tokio::test]
async fn signatures_dates_keys_and_projects_are_checked() {
    let env = backend().await;
    let wrong_sk = client_with(
        &env,
        Auth::AkSk {
            ak: SecretString::from(AK),
            sk: SecretString::from("not-the-secret"),
        },
        limits(),
    );
    let e = wrong_sk.stream_page(1, None).await.unwrap_err();
    assert_eq!(api_code(&e), (441, "DIS.4100"));
    let wrong_ak = client_with(
        &env,
        Auth::AkSk {
            ak: SecretString::from("AKOTHER"),
            sk: SecretString::from(SK),
        },
        limits(),
    );
    assert_eq!(
        api_code(&wrong_ak.stream_page(1, None).await.unwrap_err()),
        (441, "DIS.4107")
    );

    let http = reqwest::Client::new();
    let url = format!("{}/v2/{PROJECT}/streams", env.backend.endpoint());
    let r = http.get(&url).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 441);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["errorCode"],
        "DIS.4101"
    );
    let r = http
        .get(&url)
        .header("authorization", "Basic abc")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["errorCode"],
        "DIS.4102"
    );
    // A correct signature with a date 20 minutes off is refused with DIS.4105.
    let old = dis_protocol::signer::sdk_date(app::clock::now_ms() - 20 * 60 * 1000);
    let headers = vec![
        ("Host".to_string(), env.backend.addr().to_string()),
        ("X-Sdk-Date".to_string(), old.clone()),
    ];
    let sig = dis_protocol::signer::sign(
        &dis_protocol::signer::SigningInput {
            method: "GET",
            path: &format!("/v2/{PROJECT}/streams"),
            query: &[],
            headers: &headers,
            body: b"",
        },
        SK.as_bytes(),
    )
    .unwrap();
    let r = http
        .get(&url)
        .header("X-Sdk-Date", old)
        .header("Authorization", sig.authorization(AK))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["errorCode"],
        "DIS.4105"
    );

    // Another project id in the path.
    let other = DisClient::new(ClientConfig {
        endpoint: env.backend.endpoint(),
        project_id: "ffffffffffffffffffffffffffffffff".into(),
        auth: Auth::AkSk {
            ak: SecretString::from(AK),
            sk: SecretString::from(SK),
        },
        limits: limits(),
    })
    .unwrap();
    assert_eq!(
        api_code(&other.stream_page(1, None).await.unwrap_err()),
        (400, "DIS.4117")
    );
}

#[tokio::test]
async fn tokens_fixed_and_from_iam_renewed_once() {
    let env = backend().await;
    let fixed = client_with(
        &env,
        Auth::Token(TokenSource::Fixed(SecretString::from("fixed-token-123"))),
        limits(),
    );
    fixed.stream_page(1, None).await.unwrap();
    let bad = client_with(
        &env,
        Auth::Token(TokenSource::Fixed(SecretString::from("forged"))),
        limits(),
    );
    assert_eq!(
        api_code(&bad.stream_page(1, None).await.unwrap_err()),
        (441, "DIS.4114")
    );

    let iam = client_with(
        &env,
        Auth::Token(TokenSource::Iam(IamTokens::new(
            env.backend.endpoint(),
            "acme".into(),
            "ops".into(),
            SecretString::from("iam-password"),
            PROJECT.into(),
        ))),
        limits(),
    );
    iam.stream_page(1, None).await.unwrap();
    // The backend forgets its tokens: the client's cached one is refused, renewed once, and the
    // call succeeds.
    env.backend.expire_tokens();
    iam.stream_page(1, None).await.unwrap();

    let wrong = client_with(
        &env,
        Auth::Token(TokenSource::Iam(IamTokens::new(
            env.backend.endpoint(),
            "acme".into(),
            "ops".into(),
            SecretString::from("wrong"),
            PROJECT.into(),
        ))),
        limits(),
    );
    let e = wrong.stream_page(1, None).await.unwrap_err();
    assert!(matches!(e, DisError::Iam(_)), "{e:?}");
    assert!(!format!("{e:?} {e}").contains("wrong\""));
}

#[tokio::test]
async fn faults_become_typed_errors_and_gets_retry() {
    let env = backend().await;
    let dis = signed(&env);
    let once = Limits {
        attempts: 1,
        ..limits()
    };
    let single = client_with(
        &env,
        Auth::AkSk {
            ak: SecretString::from(AK),
            sk: SecretString::from(SK),
        },
        once.clone(),
    );
    env.backend.faults().inject(Fault::SystemError, 1);
    assert_eq!(
        api_code(&single.stream_page(1, None).await.unwrap_err()),
        (500, "DIS.5000")
    );
    env.backend.faults().inject(Fault::MalformedJson, 1);
    assert!(matches!(
        single.stream_page(1, None).await.unwrap_err(),
        DisError::Malformed { status: 200, .. }
    ));
    env.backend.faults().inject(Fault::Reject441, 1);
    assert_eq!(
        api_code(&single.stream_page(1, None).await.unwrap_err()),
        (441, "DIS.4100")
    );
    env.backend.faults().inject(Fault::DropConnection, 1);
    assert_eq!(
        single.stream_page(1, None).await.unwrap_err(),
        DisError::Transport
    );
    env.backend
        .faults()
        .inject(Fault::Latency(Duration::from_secs(3)), 1);
    assert!(matches!(
        single.stream_page(1, None).await.unwrap_err(),
        DisError::Timeout(_)
    ));

    // A GET retries through two server errors; a create does not.
    env.backend.faults().inject(Fault::SystemError, 2);
    dis.stream_page(1, None).await.unwrap();
    env.backend.faults().inject(Fault::SystemError, 1);
    let s = stream("demo-json-events");
    let e = dis
        .add_dump_task(&s, &task("once", |_| {}))
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (500, "DIS.5000"));
    assert_eq!(dis.list_dump_tasks(&s).await.unwrap().total_number, 0);

    // Refused connections are their own variant.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = closed.local_addr().unwrap();
    drop(closed);
    let nowhere = DisClient::new(ClientConfig {
        endpoint: format!("http://{addr}"),
        project_id: PROJECT.into(),
        auth: Auth::AkSk {
            ak: SecretString::from(AK),
            sk: SecretString::from(SK),
        },
        limits: once,
    })
    .unwrap();
    assert_eq!(
        nowhere.stream_page(1, None).await.unwrap_err(),
        DisError::Connect
    );
}

/// A create that times out after DIS carried it out is confirmed by asking, not retried.
#[tokio::test]
async fn a_timed_out_create_is_checked_before_reporting() {
    let env = backend().await;
    let dis = signed(&env);
    let s = stream("demo-json-events");
    env.backend
        .faults()
        .inject(Fault::Latency(Duration::from_secs(3)), 1);
    let outcome = dis.add_dump_task(&s, &task("slow", |_| {})).await.unwrap();
    assert_eq!(outcome, CreateOutcome::ConfirmedAfterTimeout);
    assert_eq!(dis.list_dump_tasks(&s).await.unwrap().total_number, 1);
}

/// An update replaces the settings and keeps the task's id, state, offsets and start position;
/// the next dump writes under the new prefix.
#[tokio::test]
async fn an_update_keeps_the_tasks_position_in_the_stream() {
    let env = backend().await;
    let dis = signed(&env);
    let s = stream("demo-orders");
    dis.add_dump_task(&s, &task("moving", |_| {}))
        .await
        .unwrap();
    let put = |n: usize| {
        put_request(
            s.as_str(),
            (0..n).map(|i| (None, format!(r#"{{"n":{i}}}"#))),
        )
    };
    dis.put_records(&put(3)).await.unwrap();
    let now = app::clock::now_ms();
    env.backend.dump_at(now + 31_000).unwrap();
    let name = TaskName::parse("moving").unwrap();
    let before = dis.show_dump_task(&s, &name).await.unwrap();
    assert_eq!(before.partitions[0].last_transfer_offset, 3);

    // Latest sent, but the start position is the creation's (Trim horizon).
    let changed = task("moving", |d| {
        d.file_prefix = "moved".into();
        d.deliver_time_interval = "60".into();
        d.consumer_strategy = "LATEST".into();
    });
    assert_eq!(
        dis.update_dump_task(&s, &changed).await.unwrap(),
        UpdateOutcome::Updated
    );
    let after = dis.show_dump_task(&s, &name).await.unwrap();
    assert_eq!(after.task_id, before.task_id);
    assert_eq!(after.state, before.state);
    assert_eq!(after.partitions, before.partitions);
    let d = after.obs_destination_description.unwrap();
    assert_eq!(d.file_prefix.as_deref(), Some("moved"));
    assert_eq!(d.deliver_time_interval, Some(60));
    assert_eq!(d.consumer_strategy.as_deref(), Some("TRIM_HORIZON"));

    dis.put_records(&put(2)).await.unwrap();
    let report = env.backend.dump_at(now + 100_000).unwrap();
    assert_eq!(report.records, 2);
    assert!(report
        .files
        .iter()
        .all(|f| f.starts_with(env.backend.obs_root().join("dumps/moved"))));
}

#[tokio::test]
async fn an_update_is_refused_for_an_unknown_task_and_for_broken_rules() {
    let env = backend().await;
    let dis = signed(&env);
    let e = dis
        .update_dump_task(&stream("demo-orders"), &task("nobody", |_| {}))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("DIS.4354"));
    // Parquet passes the rules of a JSON stream, not of a BLOB one.
    let blob = stream("demo-blob-logs");
    let text = DumpTask::parse(
        &TaskDraft {
            task_name: "logs".into(),
            obs_bucket_path: "dumps".into(),
            deliver_time_interval: "30".into(),
            ..TaskDraft::default()
        },
        DataType::Blob,
    )
    .unwrap();
    dis.add_dump_task(&blob, &text).await.unwrap();
    let e = dis
        .update_dump_task(
            &blob,
            &task("logs", |d| d.destination_file_type = "parquet".into()),
        )
        .await
        .unwrap_err();
    match e {
        DisError::Api { code, message, .. } => {
            assert_eq!(code, "DIS.4200");
            assert!(message.to_lowercase().contains("parquet"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

/// An update whose answer is lost is read back: applied (the answer was late) or not (the
/// connection dropped before DIS saw it).
#[tokio::test]
async fn a_lost_update_answer_is_read_back_before_reporting() {
    let env = backend().await;
    let dis = signed(&env);
    let s = stream("demo-orders");
    dis.add_dump_task(&s, &task("slowed", |_| {}))
        .await
        .unwrap();
    env.backend
        .faults()
        .inject(Fault::Latency(Duration::from_secs(3)), 1);
    let moved = task("slowed", |d| d.file_prefix = "late".into());
    assert_eq!(
        dis.update_dump_task(&s, &moved).await.unwrap(),
        UpdateOutcome::ConfirmedAfterTimeout
    );
    env.backend.faults().inject(Fault::DropConnection, 1);
    let again = task("slowed", |d| d.file_prefix = "dropped".into());
    assert!(dis.update_dump_task(&s, &again).await.is_err());
    let shown = dis
        .show_dump_task(&s, &TaskName::parse("slowed").unwrap())
        .await
        .unwrap();
    assert_eq!(
        shown
            .obs_destination_description
            .unwrap()
            .file_prefix
            .as_deref(),
        Some("late")
    );
}

#[tokio::test]
async fn records_are_dumped_into_files_and_state_survives_a_restart() {
    let env = backend().await;
    let dis = signed(&env);
    let s = stream("demo-json-events");
    dis.add_dump_task(
        &s,
        &task("files", |d| {
            d.record_delimiter = "|".into();
            d.partition_format = "yyyy/MM/dd/HH".into();
            d.use_processing_schema = true;
            d.timestamp_name = "ts".into();
            d.timestamp_type = "String".into();
            d.timestamp_format = "yyyy-MM-dd HH:mm:ss".into();
        }),
    )
    .await
    .unwrap();
    let records = [
        r#"{"ts":"2024-02-29 23:10:00","n":1}"#,
        r#"{"ts":"2024-02-29 23:50:00","n":2}"#,
        r#"{"ts":"2024-03-01 00:05:00","n":3}"#,
        r#"{"no_ts":true}"#,
    ];
    let put = dis
        .put_records(&put_request(
            s.as_str(),
            records.iter().map(|r| (Some("shardId-0000000000"), r)),
        ))
        .await
        .unwrap();
    assert_eq!(put.failed_record_count, 0);
    assert_eq!(put.records[3].sequence_number.as_deref(), Some("3"));

    // Nothing is due yet; 31 seconds later the task dumps.
    let now = app::clock::now_ms();
    assert!(env.backend.dump_at(now).unwrap().files.is_empty());
    let report = env.backend.dump_at(now + 31_000).unwrap();
    assert_eq!(report.files.len(), 2, "{report:?}");
    let root = env.backend.obs_root();
    let first = std::fs::read_dir(root.join("dumps/app/2024/02/29/23"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(first.path()).unwrap(),
        r#"{"ts":"2024-02-29 23:10:00","n":1}|{"ts":"2024-02-29 23:50:00","n":2}"#
    );
    assert!(root.join("dumps/app/2024/03/01/00").is_dir());

    let shown = dis
        .show_dump_task(&s, &TaskName::parse("files").unwrap())
        .await
        .unwrap();
    assert_eq!(shown.partitions[0].last_transfer_offset, 4);
    assert_eq!(
        shown.partitions[0].discard, 1,
        "the record without a time is discarded"
    );
    assert_eq!(shown.last_transfer_timestamp, now + 31_000);

    // Restart on the same directory: streams, tasks and offsets are still there.
    let Env { backend, data } = env;
    drop(backend);
    let env = backend_in(data, true).await;
    let dis = signed(&env);
    let again = dis
        .show_dump_task(&s, &TaskName::parse("files").unwrap())
        .await
        .unwrap();
    assert_eq!(again.partitions[0].last_transfer_offset, 4);
    assert_eq!(again.task_id, shown.task_id);
    assert_eq!(app::services::streams::all(&dis).await.unwrap().len(), 4);
}

/// A redirect is reported, never followed: the signed request must not travel elsewhere.
#[tokio::test]
async fn redirects_are_not_followed() {
    use axum::{http::StatusCode, response::IntoResponse, routing::get, Router};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new().fallback(get(|| async {
        (
            StatusCode::FOUND,
            [("location", "http://198.51.100.7/steal")],
        )
            .into_response()
    }));
    tokio::spawn(async move { axum::serve(listener, app).await });
    let dis = DisClient::new(ClientConfig {
        endpoint: format!("http://{addr}"),
        project_id: PROJECT.into(),
        auth: Auth::AkSk {
            ak: SecretString::from(AK),
            sk: SecretString::from(SK),
        },
        limits: limits(),
    })
    .unwrap();
    assert_eq!(
        dis.stream_page(1, None).await.unwrap_err(),
        DisError::Redirect(302)
    );
}

/// A stream of `partitions` with `records` JSON records put into partition 0.
async fn stream_with_records(dis: &DisClient, name: &str, partitions: u32, records: usize) {
    crate::common::json_stream(dis, name, partitions).await;
    let put = dis
        .put_records(&put_request(
            name,
            (0..records).map(|n| (Some("0"), format!(r#"{{"n":{n}}}"#))),
        ))
        .await
        .unwrap();
    assert_eq!(put.failed_record_count, 0);
}

fn numbers(read: &RecordsResponse) -> Vec<u64> {
    read.records
        .iter()
        .map(|r| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(&r.data)
                .unwrap();
            serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()["n"]
                .as_u64()
                .unwrap()
        })
        .collect()
}

#[tokio::test]
async fn cursors_of_every_type_read_records_and_go_on() {
    let env = backend().await;
    let dis = signed(&env);
    stream_with_records(&dis, "consume-types", 2, 5).await;
    let s = stream("consume-types");
    let p0 = PartitionId::parse("shardId-0000000000").unwrap();
    let read_from = |position| {
        let (dis, s, p0) = (&dis, &s, &p0);
        async move {
            let cursor = dis.cursor(s, p0, position).await.unwrap();
            dis.records(&cursor, 0).await.unwrap()
        }
    };
    assert_eq!(
        numbers(&read_from(CursorPosition::TrimHorizon).await),
        [0, 1, 2, 3, 4]
    );
    assert_eq!(
        numbers(&read_from(CursorPosition::AtSequence(3)).await),
        [3, 4]
    );
    assert_eq!(
        numbers(&read_from(CursorPosition::AfterSequence(3)).await),
        [4]
    );
    assert!(read_from(CursorPosition::Latest).await.records.is_empty());
    let now = app::clock::now_ms();
    assert_eq!(
        numbers(&read_from(CursorPosition::AtTimestamp(now - 60_000)).await).len(),
        5
    );
    assert!(read_from(CursorPosition::AtTimestamp(now + 60_000))
        .await
        .records
        .is_empty());

    // A record's arrival comes back as its timestamp, and its sequence number as text.
    let all = read_from(CursorPosition::TrimHorizon).await;
    assert_eq!(all.records[2].sequence_number, "2");
    assert!((now - 60_000..=now + 1_000).contains(&all.records[2].timestamp));

    // The next cursor goes on from the last record, and sees records put after it was given.
    let next = all.next_partition_cursor.clone().unwrap();
    assert!(dis.records(&next, 0).await.unwrap().records.is_empty());
    dis.put_records(&put_request("consume-types", [(Some("0"), r#"{"n":5}"#)]))
        .await
        .unwrap();
    let later = dis.records(&next, 0).await.unwrap();
    assert_eq!(numbers(&later), [5]);

    // The other partition is empty; a third does not exist.
    let p1 = PartitionId::parse("1").unwrap();
    let c1 = dis
        .cursor(&s, &p1, CursorPosition::TrimHorizon)
        .await
        .unwrap();
    assert!(dis.records(&c1, 0).await.unwrap().records.is_empty());
    let e = dis
        .cursor(
            &s,
            &PartitionId::parse("2").unwrap(),
            CursorPosition::TrimHorizon,
        )
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4302"));
    let e = dis
        .cursor(&s, &p0, CursorPosition::AtSequence(99))
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4224"));
    let e = dis
        .cursor(&stream("no-such-stream"), &p0, CursorPosition::Latest)
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4301"));
}

#[tokio::test]
async fn cursors_expire_after_five_minutes_and_reads_below_a_record_are_never_sent() {
    let env = backend().await;
    let dis = signed(&env);
    stream_with_records(&dis, "consume-expiry", 1, 3).await;
    let s = stream("consume-expiry");
    let p0 = PartitionId::parse("0").unwrap();
    let cursor = dis
        .cursor(&s, &p0, CursorPosition::TrimHorizon)
        .await
        .unwrap();
    // Four minutes on, the cursor still reads; six minutes on, DIS.4225.
    env.backend.age_cursors(4 * 60_000);
    assert_eq!(dis.records(&cursor, 0).await.unwrap().records.len(), 3);
    env.backend.age_cursors(2 * 60_000);
    let e = dis.records(&cursor, 0).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4225"));
    let e = dis.records("not-a-cursor", 0).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4217"));

    // A limit of 0 would read nothing, forever; the client sends 1 MB at least.
    let fresh = dis
        .cursor(&s, &p0, CursorPosition::TrimHorizon)
        .await
        .unwrap();
    assert_eq!(dis.records(&fresh, 1).await.unwrap().records.len(), 3);
}

#[tokio::test]
async fn a_throttled_read_backs_off_and_is_tried_again() {
    let env = backend().await;
    let dis = signed(&env);
    stream_with_records(&dis, "consume-throttle", 1, 2).await;
    let s = stream("consume-throttle");
    let cursor = dis
        .cursor(
            &s,
            &PartitionId::parse("0").unwrap(),
            CursorPosition::TrimHorizon,
        )
        .await
        .unwrap();
    env.backend
        .faults()
        .inject_scoped(Fault::Throttled, 2, Some("/records".into()));
    assert_eq!(dis.records(&cursor, 0).await.unwrap().records.len(), 2);
    env.backend
        .faults()
        .inject_scoped(Fault::Throttled, 3, Some("/records".into()));
    let e = dis.records(&cursor, 0).await.unwrap_err();
    assert_eq!(
        api_code(&e),
        (400, "DIS.4303"),
        "three attempts, then the refusal"
    );
}

/// A JSON stream request with a schema, tags and auto-scaling, as the create form sends it.
fn full_stream(name: &str, partitions: u32) -> app::domain::stream::CreateStreamRequest {
    use app::domain::stream::{CreateStreamRequest, Tag};
    CreateStreamRequest {
        stream_name: name.into(),
        partition_count: partitions,
        stream_type: Some("COMMON".into()),
        data_type: Some("JSON".into()),
        data_duration: Some(48),
        auto_scale_enabled: Some(true),
        auto_scale_min_partition_count: Some(1),
        auto_scale_max_partition_count: Some(8),
        data_schema: Some(
            r#"{"type":"record","name":"event","fields":[{"name":"id","type":"string"}]}"#.into(),
        ),
        compression_format: Some("gzip".into()),
        tags: vec![Tag {
            key: "team".into(),
            value: "data platform".into(),
        }],
        ..Default::default()
    }
}

#[tokio::test]
async fn a_stream_is_created_scaled_changed_and_deleted_with_dis_refusals() {
    use app::domain::stream::{UpdateStreamRequest, COMMON_PARTITION_QUOTA};
    let env = backend_in(tempfile::tempdir().unwrap(), false).await;
    let dis = signed(&env);
    let s = stream("orders");
    dis.create_stream(&full_stream("orders", 3)).await.unwrap();
    let shown = dis.stream_description(&s).await.unwrap();
    assert_eq!(
        (
            shown.stream.retention_period,
            shown.stream.writable_partition_count
        ),
        (48, 3)
    );
    assert!(shown.data_schema.as_deref().unwrap().contains("\"event\""));
    assert_eq!(shown.compression_format.as_deref(), Some("gzip"));
    assert_eq!(shown.tags[0].key, "team");
    assert!(shown.auto_scale_enabled);
    assert_eq!(
        (
            shown.auto_scale_min_partition_count,
            shown.auto_scale_max_partition_count
        ),
        (Some(1), Some(8))
    );

    // What DIS refuses at create: its words, its codes.
    let e = dis
        .create_stream(&full_stream("orders", 1))
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4307"));
    let mut short = full_stream("short", 1);
    short.data_duration = Some(12);
    let e = dis.create_stream(&short).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4200"));
    assert!(e.to_string().contains("Retention"), "{e}");
    let mut huge = full_stream("huge", COMMON_PARTITION_QUOTA - 2);
    huge.auto_scale_enabled = None;
    let e = dis.create_stream(&huge).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4308"));
    let mut advanced = full_stream("fast", 11);
    advanced.stream_type = Some("ADVANCED".into());
    let e = dis.create_stream(&advanced).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4200"));

    // Scaling up adds partitions that take records; down closes the newest, still readable.
    dis.scale_stream(&s, 5).await.unwrap();
    dis.put_records(&put_request(
        "orders",
        (0..10).map(|i| (None, format!("{i}"))),
    ))
    .await
    .unwrap();
    let up = dis.describe_stream(&s).await.unwrap();
    assert_eq!((up.writable_partition_count, up.partitions.len()), (5, 5));
    assert_eq!(up.partitions[4].sequence_number_range, "[0 : 2]");
    dis.scale_stream(&s, 2).await.unwrap();
    let down = dis.stream_description(&s).await.unwrap();
    assert_eq!(
        (
            down.stream.writable_partition_count,
            down.stream.readable_partition_count
        ),
        (2, 5)
    );
    assert_eq!(down.stream.partitions[4].status, "CLOSED");
    assert_eq!(down.stream.partitions[1].status, "ACTIVE");
    let history: Vec<(u32, u32)> = down
        .update_partition_counts
        .iter()
        .map(|c| (c.src_partition_count, c.target_partition_count))
        .collect();
    assert_eq!(history, [(3, 5), (5, 2)]);
    let into_closed = dis
        .put_records(&put_request(
            "orders",
            [(Some("shardId-0000000004"), "late")],
        ))
        .await
        .unwrap();
    assert_eq!(into_closed.failed_record_count, 1);
    let e = dis.scale_stream(&s, 2).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4200"));
    let e = dis
        .scale_stream(&s, COMMON_PARTITION_QUOTA + 1)
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4308"));
    // Five scalings an hour, then DIS says no.
    for target in [3, 4, 3] {
        dis.scale_stream(&s, target).await.unwrap();
    }
    let e = dis.scale_stream(&s, 4).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4305"));
    assert!(e.to_string().contains("past hour"), "{e}");

    // A change of retention and schema; a bad one is refused and changes nothing.
    dis.update_stream(
        &s,
        &UpdateStreamRequest {
            stream_name: "orders".into(),
            data_duration: Some(72),
            data_schema: Some(
                r#"{"type":"record","name":"event","fields":[{"name":"id","type":"string"},{"name":"ts","type":"long"}]}"#
                    .into(),
            ),
            auto_scale_enabled: Some(false),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let changed = dis.stream_description(&s).await.unwrap();
    assert_eq!(changed.stream.retention_period, 72);
    assert!(changed.data_schema.as_deref().unwrap().contains("\"ts\""));
    assert!(!changed.auto_scale_enabled);
    let e = dis
        .update_stream(
            &s,
            &UpdateStreamRequest {
                stream_name: "orders".into(),
                data_type: Some("BLOB".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4200"));
    assert!(e.to_string().contains("schema"), "{e}");
    let e = dis
        .update_stream(
            &s,
            &UpdateStreamRequest {
                stream_name: "other".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4200"));

    // Deleting takes its tasks and records; a second delete finds nothing.
    dis.add_dump_task(&s, &task("t1", |_| {})).await.unwrap();
    let records = env
        .data
        .path()
        .join("records")
        .join(&changed.stream.stream_id);
    assert!(records.is_dir(), "{}", records.display());
    dis.delete_stream(&s).await.unwrap();
    assert!(!records.exists(), "the stream's records are gone");
    let e = dis.describe_stream(&s).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4301"));
    let e = dis.delete_stream(&s).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4301"));
    // Its name is free again.
    dis.create_stream(&full_stream("orders", 1)).await.unwrap();
}

#[tokio::test]
async fn consumer_applications_report_their_checkpoints_and_lag() {
    use app::domain::stream::{AppName, CommitCheckpointRequest, LAST_READ};
    let env = backend().await;
    let dis = signed(&env);
    let s = stream("demo-json-events");
    let app = AppName::parse("billing-reader").unwrap();
    dis.create_app(&app).await.unwrap();
    let e = dis.create_app(&app).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4200"));
    dis.create_app(&AppName::parse("audit-reader").unwrap())
        .await
        .unwrap();
    dis.put_records(&put_request(
        "demo-json-events",
        (0..6).map(|i| (Some("shardId-0000000000"), format!("{{\"n\":{i}}}"))),
    ))
    .await
    .unwrap();

    // Before any checkpoint every record kept is behind.
    let states = dis.consumer_state(&app, &s).await.unwrap();
    assert_eq!(states.len(), 2);
    assert_eq!(states[0].lag().behind, 6);
    assert_eq!(states[0].lag().checkpoint, None);

    let commit = |sequence: &str| CommitCheckpointRequest {
        app_name: "billing-reader".into(),
        checkpoint_type: LAST_READ.into(),
        stream_name: "demo-json-events".into(),
        partition_id: "shardId-0000000000".into(),
        sequence_number: sequence.into(),
        metadata: None,
    };
    dis.commit_checkpoint(&commit("3")).await.unwrap();
    let e = dis.commit_checkpoint(&commit("99")).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4224"));
    let states = dis.consumer_state(&app, &s).await.unwrap();
    assert_eq!(states[0].lag().behind, 2, "records 4 and 5");
    assert_eq!(states[0].lag().checkpoint, Some(3));

    // Listed by name; with a stream, only those that read it.
    let all = dis.app_page(10, None, None).await.unwrap();
    let names: Vec<&str> = all.apps.iter().map(|a| a.app_name.as_str()).collect();
    assert_eq!(names, ["audit-reader", "billing-reader", "demo-analytics"]);
    let first = dis.app_page(1, None, None).await.unwrap();
    assert!(first.has_more_app);
    // The demo application reads the stream too, with no checkpoint yet.
    let reading = dis.app_page(10, None, Some(&s)).await.unwrap();
    let readers: Vec<&str> = reading.apps.iter().map(|a| a.app_name.as_str()).collect();
    assert_eq!(readers, ["billing-reader", "demo-analytics"]);
    assert_eq!(
        reading.apps[0].commit_checkpoint_stream_names,
        ["demo-json-events"]
    );
    let empty = CommitCheckpointRequest {
        partition_id: "shardId-0000000001".into(),
        ..commit("0")
    };
    let e = dis.commit_checkpoint(&empty).await.unwrap_err();
    assert_eq!(
        api_code(&e),
        (400, "DIS.4224"),
        "an empty partition has no record 0"
    );

    dis.delete_app(&app).await.unwrap();
    let e = dis.consumer_state(&app, &s).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4200"));
    let e = dis.delete_app(&app).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "DIS.4200"));
}
