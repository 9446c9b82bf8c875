//! The dump task server function, called the way a script would call it: bypassing the browser.

use crate::common;

use app::domain::{DataType, DumpTask, TaskDraft};
use common::{urlencode, TestApp};

/// `draft[field]=value` pairs, the encoding server functions read.
fn form(stream: &str, draft: &TaskDraft) -> String {
    let value = serde_json::to_value(draft).unwrap();
    let mut pairs = vec![format!("stream={}", urlencode(stream))];
    for (k, v) in value.as_object().unwrap() {
        let text = match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        pairs.push(format!("draft[{k}]={}", urlencode(&text)));
    }
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
