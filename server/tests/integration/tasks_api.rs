//! The dump task server function, called the way a script would call it: bypassing the browser.

use crate::common;

use app::domain::{DataType, DumpTask, TaskDraft};
use common::{urlencode, TestApp};

/// `name[field]=value` pairs, the encoding server functions read.
fn draft_pairs(name: &str, draft: &TaskDraft) -> Vec<String> {
    let value = serde_json::to_value(draft).unwrap();
    value
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!("{name}[{k}]={}", urlencode(&text))
        })
        .collect()
}

/// The form of a create.
fn form(stream: &str, draft: &TaskDraft) -> String {
    let mut pairs = vec![format!("stream={}", urlencode(stream))];
    pairs.extend(draft_pairs("draft", draft));
    pairs.join("&")
}

/// The form of a modify of `task`, from the settings the form `started_from`.
fn modify_form(stream: &str, task: &str, draft: &TaskDraft, started_from: &TaskDraft) -> String {
    let mut pairs = vec![format!("stream={stream}&task={task}")];
    pairs.extend(draft_pairs("draft", draft));
    pairs.extend(draft_pairs("started_from", started_from));
    pairs.join("&")
}

async fn call(app: &TestApp, body: String) -> (u16, serde_json::Value) {
    app.post_form("/api/create_dump_task", body).await
}

#[tokio::test]
async fn the_server_refuses_bad_drafts_with_the_browsers_messages() {
    let app = TestApp::spawn().await;
    let draft = TaskDraft {
        task_name: "bad name".into(),
        deliver_time_interval: "10".into(),
        obs_bucket_path: "Bucket".into(),
        destination_file_type: "parquet".into(),
        ..TaskDraft::default()
    };
    let (status, body) = call(&app, form("demo-blob-logs", &draft)).await;
    assert_eq!(status, 400, "{body}");
    let expected = DumpTask::parse(&draft, DataType::Blob).unwrap_err();
    let got: app::domain::FieldErrors =
        serde_json::from_value(body["Invalid"]["fields"].clone()).unwrap();
    assert_eq!(got, expected, "same fields, same messages");
    assert!(got
        .message_for(app::domain::Field::DestinationFileType)
        .unwrap()
        .contains("JSON"));
}

#[tokio::test]
async fn a_valid_draft_creates_the_task_and_dis_errors_are_mapped() {
    let app = TestApp::spawn().await;
    let draft = TaskDraft {
        task_name: "to-obs".into(),
        obs_bucket_path: "dumps".into(),
        destination_file_type: "parquet".into(),
        ..TaskDraft::default()
    };
    let (status, body) = call(&app, form("demo-json-events", &draft)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["task_name"], "to-obs");
    // The same name again: DIS.4355, in the console's words, with a request id.
    let (status, body) = call(&app, form("demo-json-events", &draft)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["Dis"]["code"], "DIS.4355");
    assert!(body["Dis"]["message"]
        .as_str()
        .unwrap()
        .contains("already exists"));
    // An unknown stream and an impossible one.
    let (status, body) = call(&app, form("no-such-stream", &draft)).await;
    assert_eq!(
        (status, body["Dis"]["code"].as_str()),
        (422, Some("DIS.4301"))
    );
    let (status, body) = call(&app, form("../streams", &draft)).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["Rejected"]
        .as_str()
        .unwrap()
        .contains("'.' is not allowed"));
    // Garbage arguments are a 400, not a 500.
    let (status, body) = call(&app, "draft=%%%".into()).await;
    assert!(status < 500, "{status} {body}");
}

#[tokio::test]
async fn dis_outages_are_503_with_a_request_id() {
    let app = TestApp::spawn().await;
    let backend = app.backend.as_ref().unwrap();
    backend
        .faults()
        .inject(dis_backend::faults::Fault::DropConnection, 3);
    let draft = TaskDraft {
        task_name: "x".into(),
        obs_bucket_path: "dumps".into(),
        ..TaskDraft::default()
    };
    let (status, body) = call(&app, form("demo-json-events", &draft)).await;
    assert_eq!(status, 503, "{body}");
    let reason = body["Unavailable"]["reason"].as_str().unwrap();
    assert_eq!(reason, "The console cannot reach DIS.");
    assert!(
        !body.to_string().contains("127.0.0.1"),
        "no upstream address leaks: {body}"
    );
}

#[tokio::test]
async fn readyz_reports_whether_dis_answers() {
    let app = TestApp::spawn().await;
    common::write_site_assets(app.site_root.path());
    let report: serde_json::Value = app.get("/readyz").await.json().await.unwrap();
    let dis = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "dis")
        .cloned()
        .unwrap();
    assert_eq!(dis["ok"], true, "{report}");

    // DIS answering 500s (through every retry) makes the console not ready, with the code.
    app.backend
        .as_ref()
        .unwrap()
        .faults()
        .inject(dis_backend::faults::Fault::SystemError, 3);
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    let report: serde_json::Value = response.json().await.unwrap();
    let text = report.to_string();
    assert!(
        text.contains("DIS answered with an error (DIS.5000)"),
        "{text}"
    );
    assert!(
        !text.contains("127.0.0.1"),
        "no endpoint in the reason: {text}"
    );
}

#[tokio::test]
async fn deleting_needs_the_typed_name() {
    let app = TestApp::spawn().await;
    let draft = TaskDraft {
        task_name: "to-delete".into(),
        obs_bucket_path: "dumps".into(),
        ..TaskDraft::default()
    };
    let (status, _) = call(&app, form("demo-blob-logs", &draft)).await;
    assert_eq!(status, 200);
    let delete = |confirm: &str| {
        let body = format!(
            "stream=demo-blob-logs&task=to-delete&confirm={}",
            urlencode(confirm)
        );
        let app = &app;
        async move {
            let r = app
                .client
                .post(app.url("/api/delete_dump_task"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, body) = delete("to-delet").await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("Type the task name, to-delete, to confirm"),
        "{body}"
    );
    let (status, body) = delete("to-delete").await;
    assert_eq!(status, 200, "{body}");
    // Gone from DIS: deleting again is DIS.4354 in the console's words.
    let (status, body) = delete("to-delete").await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("DIS.4354"), "{body}");
}

#[tokio::test]
async fn a_modify_keeps_the_task_asks_before_overwriting_and_is_audited() {
    let app = TestApp::spawn().await;
    let created = TaskDraft {
        task_name: "to-modify".into(),
        obs_bucket_path: "dumps".into(),
        file_prefix: "v1".into(),
        consumer_strategy: "TRIM_HORIZON".into(),
        ..TaskDraft::default()
    };
    let (status, _) = call(&app, form("demo-blob-logs", &created)).await;
    assert_eq!(status, 200);
    let modify = |draft: &TaskDraft, base: &TaskDraft| {
        app.post_form(
            "/api/update_dump_task",
            modify_form("demo-blob-logs", "to-modify", draft, base),
        )
    };
    // The start position is fixed: what the request says of it is not sent.
    let mine = TaskDraft {
        file_prefix: "v2".into(),
        deliver_time_interval: "120".into(),
        consumer_strategy: "LATEST".into(),
        ..created.clone()
    };
    let (status, body) = modify(&mine, &created).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["changed"],
        serde_json::json!(["Directory prefix", "Dump interval"])
    );
    let (_, task) = app
        .post_form(
            "/api/get_dump_task",
            "stream=demo-blob-logs&task=to-modify".into(),
        )
        .await;
    let d = &task["obs_destination_description"];
    assert_eq!(
        (
            &d["file_prefix"],
            &d["deliver_time_interval"],
            &d["consumer_strategy"]
        ),
        (&"v2".into(), &120.into(), &"TRIM_HORIZON".into()),
        "{task}"
    );

    // A form filled before that change: a conflict that names it, and nothing sent.
    let stale = TaskDraft {
        deliver_size_interval: "64".into(),
        ..created.clone()
    };
    let (status, body) = modify(&stale, &created).await;
    assert_eq!(status, 409, "{body}");
    let message = body["Conflict"].as_str().unwrap();
    assert!(
        message.contains("Directory prefix is now v2 (was v1)"),
        "{message}"
    );
    // The same, nothing changed, and a bad interval: refused with what to fix.
    let (status, body) = modify(&mine, &mine).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["Rejected"]
        .as_str()
        .unwrap()
        .starts_with("Nothing to save"));
    let bad = TaskDraft {
        deliver_time_interval: "10".into(),
        ..mine.clone()
    };
    let (status, body) = modify(&bad, &mine).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["Invalid"]["fields"]
        .to_string()
        .contains("deliver_time_interval"));

    let r = app
        .client
        .post(app.url("/api/list_audit"))
        .form(&[
            ("filter[operator]", ""),
            ("filter[action]", "modify task"),
            ("filter[outcome]", ""),
            ("filter[before_ms]", "0"),
        ])
        .send()
        .await
        .unwrap();
    let lines: Vec<serde_json::Value> = r.json().await.unwrap();
    let seen: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| {
            (
                l["target"].as_str().unwrap(),
                l["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("demo-blob-logs/to-modify", "refused"),
            ("demo-blob-logs/to-modify", "refused"),
            ("demo-blob-logs/to-modify: deliver_size_interval", "refused"),
            (
                "demo-blob-logs/to-modify: file_prefix, deliver_time_interval",
                "ok"
            ),
        ]
    );
}
