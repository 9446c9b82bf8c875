//! Each DIS fault during a create and during a start or pause, through the server functions as
//! the browser calls them: a clear message with a request id and never a 500; a create whose
//! answer was lost but which happened upstream is reported as created, and exists once.

use crate::common;

use common::TestApp;
use dis_backend::faults::Fault;
use std::time::Duration;

/// The console's DIS timeout in these tests; latency faults go beyond it.
const TIMEOUT: Duration = Duration::from_secs(1);

fn faults() -> Vec<(&'static str, Fault)> {
    vec![
        (
            "latency beyond the timeout",
            Fault::Latency(TIMEOUT + Duration::from_millis(700)),
        ),
        ("DIS.5000", Fault::SystemError),
        ("a dropped connection", Fault::DropConnection),
        ("malformed JSON", Fault::MalformedJson),
        ("441", Fault::Reject441),
    ]
}

fn create_form(stream: &str, name: &str) -> String {
    format!(
        "stream={stream}&draft[task_name]={name}&draft[obs_bucket_path]=fault-bucket\
         &draft[destination_file_type]=text&draft[deliver_time_interval]=300"
    )
}

async fn task_count(app: &TestApp, stream: &str, name: &str) -> usize {
    let (_, view) = app
        .post_form("/api/get_stream", format!("stream={stream}"))
        .await;
    view["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["summary"]["task_name"] == name)
        .count()
}

fn assert_clear(what: &str, status: u16, body: &serde_json::Value) {
    assert!(status != 500 && status >= 400, "{what}: {status} {body}");
    let text = body.to_string();
    assert!(
        text.contains("request id") || text.contains("request_id"),
        "{what}: {text}"
    );
}

#[tokio::test]
async fn each_fault_in_a_create_and_an_action_ends_in_a_clear_answer() {
    let app = TestApp::spawn_with(|c| c.dis_timeout = TIMEOUT).await;
    let backend = app.backend.as_ref().unwrap();
    let stream = "demo-json-events";
    for (i, (what, fault)) in faults().into_iter().enumerate() {
        // A create: only its POST meets the fault (the describe before it is a GET).
        let name = format!("fault-create-{i}");
        backend
            .faults()
            .inject_scoped(fault, 1, Some("POST".into()));
        let (status, body) = app
            .post_form("/api/create_dump_task", create_form(stream, &name))
            .await;
        match fault {
            // The task was made; only the answer was late. It is reported as created, once.
            Fault::Latency(_) => {
                assert_eq!(status, 200, "create with {what}: {body}");
                assert_eq!(body["confirmed_after_timeout"], true, "{body}");
                assert_eq!(task_count(&app, stream, &name).await, 1);
            }
            _ => {
                assert_clear(&format!("create with {what}"), status, &body);
                assert_eq!(
                    task_count(&app, stream, &name).await,
                    0,
                    "create with {what}"
                );
            }
        }
        backend.faults().clear();

        // A start or pause of an existing task.
        let target = format!("fault-action-{i}");
        let (status, _) = app
            .post_form("/api/create_dump_task", create_form(stream, &target))
            .await;
        assert_eq!(status, 200);
        let (_, shown) = app
            .post_form(
                "/api/get_dump_task",
                format!("stream={stream}&task={target}"),
            )
            .await;
        let id = shown["task_id"].as_str().unwrap().to_owned();
        backend
            .faults()
            .inject_scoped(fault, 1, Some("action".into()));
        let (status, body) = app
            .post_form(
                "/api/set_task_state",
                format!("stream={stream}&task_ids[0]={id}&action=stop"),
            )
            .await;
        assert_clear(&format!("pause with {what}"), status, &body);
        backend.faults().clear();
        if let Fault::Latency(_) = fault {
            // The pause happened upstream; the message says to look before trying again.
            assert!(body.to_string().contains("refresh to see"), "{body}");
        }

        // Delete both so the stream keeps room under its five-task quota.
        for name in [&name, &target] {
            app.post_form(
                "/api/delete_dump_task",
                format!("stream={stream}&task={name}&confirm={name}"),
            )
            .await;
        }
    }
}
