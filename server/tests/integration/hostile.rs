//! Every server function fed malformed, oversized and hostile input: a 4xx with a message that
//! says what is wrong, never a 500 or a panic, and never a call to DIS with a name the allowlist
//! refuses.

use crate::common;

use app::api::access::SERVER_FN_ACCESS;
use common::{urlencode, TestApp};

/// Values that must never reach a DIS URL or break a handler.
fn hostile() -> Vec<String> {
    vec![
        "..".into(),
        "../demo-orders".into(),
        "demo/orders".into(),
        "demo%2Forders".into(),
        "demo%252Forders".into(),
        "流-数据".into(),
        "demo\u{0}orders".into(),
        "demo orders".into(),
        "x".repeat(1024 * 1024),
    ]
}

/// A form body for `path` with every text argument set to `v`.
fn form_for(path: &str, v: &str) -> Option<String> {
    let v = urlencode(v);
    Some(match path {
        "/api/login" => format!("name={v}&password={v}&next={v}"),
        "/api/list_stream_page" => format!("after={v}&limit=10&filter={v}"),
        "/api/get_stream" => format!("stream={v}"),
        "/api/get_dump_task" => format!("stream={v}&task={v}"),
        "/api/send_test_records" => format!("stream={v}&lines=x"),
        "/api/create_dump_task" => {
            format!("stream={v}&draft[task_name]={v}&draft[obs_bucket_path]={v}")
        }
        "/api/update_dump_task" => format!(
            "stream={v}&task={v}&draft[task_name]={v}&draft[file_prefix]={v}&started_from[task_name]={v}"
        ),
        "/api/set_task_state" => format!("stream={v}&task_ids[0]={v}&action=start"),
        "/api/delete_dump_task" => format!("stream={v}&task={v}&confirm={v}"),
        "/api/scale_stream" => format!("stream={v}&target=2"),
        "/api/delete_stream" => format!("stream={v}&confirm={v}&with_tasks=false"),
        // The operator filter is free text (failed logins record what was typed); the action
        // and outcome must be known ones.
        "/api/list_audit" => {
            format!("filter[operator]=&filter[action]={v}&filter[outcome]={v}&filter[before_ms]=0")
        }
        _ => return None,
    })
}

fn assert_clear_4xx(path: &str, what: &str, status: u16, body: &serde_json::Value) {
    assert!(
        (400..500).contains(&status),
        "{path} with {what}: {status} {body}"
    );
    let text = body.to_string();
    assert!(
        text.len() > 10 && text.len() < 4096,
        "{path} with {what}: a short message: {text:.200}"
    );
}

#[tokio::test]
async fn hostile_names_and_oversized_values_get_a_clear_4xx_from_every_function() {
    let app = TestApp::spawn().await;
    let mut covered = 0;
    for (path, _) in SERVER_FN_ACCESS {
        for value in hostile() {
            let what = format!("{:.20}… ({} bytes)", value, value.len());
            let body = match (*path, form_for(path, &value)) {
                (_, Some(body)) => body,
                ("/api/create_stream", None) => serde_json::json!({
                    "request": { "stream_name": value, "partition_count": 1, "data_schema": value }
                })
                .to_string(),
                ("/api/change_stream", None) => serde_json::json!({
                    "stream": value, "change": { "stream_name": value, "data_schema": value }
                })
                .to_string(),
                ("/api/save_operator", None) => serde_json::json!({
                    "edit": { "Add": { "name": value, "role": "Viewer", "password": value } }
                })
                .to_string(),
                // Every part that names something in DIS, and the audit filter's words.
                ("/api/get_part", None) => {
                    let parts = [
                        serde_json::json!({"Traffic": {"stream": value, "partition": value, "window": value}}),
                        serde_json::json!({"TaskProgress": {"stream": value, "task": value}}),
                        serde_json::json!({"Streams": {"after": value, "limit": 10, "filter": value}}),
                        serde_json::json!({"Audit": {"operator": "", "action": value, "outcome": value, "before_ms": 0}}),
                        serde_json::json!({"TaskSettings": {"draft": {"task_name": value, "file_prefix": value}, "before": {"obs_bucket_path": value}}}),
                        serde_json::json!({"Export": {"stream": value, "draft": {"task_name": value}, "modify": true}}),
                    ];
                    for part in parts {
                        let body = serde_json::json!({ "part": part }).to_string();
                        let (status, body) = app.post_as("application/json", path, body).await;
                        assert_clear_4xx(path, &what, status, &body);
                    }
                    continue;
                }
                // No arguments to abuse: logout, whoami, console_status, list_streams,
                // list_operators, refresh_overview take none.
                _ => continue,
            };
            let content_type = if [
                "/api/save_operator",
                "/api/create_stream",
                "/api/change_stream",
            ]
            .contains(path)
            {
                "application/json"
            } else {
                "application/x-www-form-urlencoded"
            };
            let (status, body) = app.post_as(content_type, path, body).await;
            assert_clear_4xx(path, &what, status, &body);
            covered += 1;
        }
    }
    assert!(covered >= 10 * hostile().len(), "{covered}");
    // The overview's name filter is free text: any of it narrows the list to nothing (a body
    // over the size limit is refused whole).
    for value in hostile() {
        let body = serde_json::json!({"part": {"Overview": {"state": value, "name": value}}});
        let (status, html) = app
            .post_as("application/json", "/api/get_part", body.to_string())
            .await;
        if value.len() > 64 * 1024 {
            assert_clear_4xx("/api/get_part", "a megabyte", status, &html);
        } else {
            assert_eq!(status, 200, "{html:.200}");
        }
    }

    // Malformed bodies: not a form, wrong types, missing arguments.
    for (path, _) in SERVER_FN_ACCESS {
        for (ctype, body) in [
            (
                "application/x-www-form-urlencoded",
                "limit=ten&task_ids=%ZZ&&&=",
            ),
            ("application/json", "{not json"),
            ("application/x-www-form-urlencoded", ""),
        ] {
            let (status, _) = app.post_as(ctype, path, body.to_owned()).await;
            assert!(status < 500, "{path} with {body:?}: {status}");
        }
    }

    // Still serving (the loop above logged the admin client out), and the embedded DIS never
    // saw a refused name.
    let admin = app.login("admin", common::ADMIN_PASSWORD).await;
    let r = admin
        .post(app.url("/api/list_streams"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let backend = app.backend.as_ref().unwrap();
    let state = backend.obs_root().parent().unwrap().join("state.json");
    let streams = std::fs::read_to_string(state).unwrap();
    assert!(
        !streams.contains(".."),
        "no stream or task was made from hostile input"
    );
}
