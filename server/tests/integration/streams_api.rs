//! The streams list's server function: DIS's paging, the name filter, and what it refuses.

use crate::common;

use common::TestApp;

async fn page(app: &TestApp, query: &str) -> (u16, serde_json::Value) {
    app.post_form("/api/list_stream_page", query.to_owned())
        .await
}

fn names(body: &serde_json::Value) -> Vec<&str> {
    body["streams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stream_name"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn pages_follow_start_stream_name_with_and_without_a_filter() {
    let app = TestApp::spawn().await;
    let (status, first) = page(&app, "limit=2&filter=").await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(names(&first), ["demo-blob-logs", "demo-csv-metrics"]);
    assert_eq!(first["next"], "demo-csv-metrics");
    assert_eq!(first["total"], 4);
    let (_, second) = page(&app, "after=demo-csv-metrics&limit=2&filter=").await;
    assert_eq!(names(&second), ["demo-json-events", "demo-orders"]);
    assert!(second["next"].is_null(), "{second}");

    // The filter ignores case and reads on through DIS's pages.
    let (_, orders) = page(&app, "limit=10&filter=%20ORDERS%20").await;
    assert_eq!(names(&orders), ["demo-orders"]);
    assert!(orders["next"].is_null());
    let (_, some) = page(&app, "limit=3&filter=demo").await;
    assert_eq!(
        names(&some),
        ["demo-blob-logs", "demo-csv-metrics", "demo-json-events"]
    );
    assert_eq!(some["next"], "demo-json-events");
    let (_, rest) = page(&app, "after=demo-json-events&limit=3&filter=demo").await;
    assert_eq!(names(&rest), ["demo-orders"]);
    assert!(rest["next"].is_null());
    let (_, none) = page(&app, "limit=10&filter=nothing-like-it").await;
    assert_eq!(names(&none), Vec::<&str>::new());
}

#[tokio::test]
async fn bad_pages_are_refused_with_what_to_fix() {
    let app = TestApp::spawn().await;
    for (query, expect) in [
        ("limit=0&filter=", "1 to 100"),
        ("limit=101&filter=", "1 to 100"),
        ("after=..%2Fx&limit=10&filter=", "not allowed"),
        ("after=a%2Fb&limit=10&filter=", "not allowed"),
    ] {
        let (status, body) = page(&app, query).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert!(body.to_string().contains(expect), "{query}: {body}");
    }
    let long = "x".repeat(65);
    let (status, body) = page(&app, &format!("limit=10&filter={long}")).await;
    assert_eq!(status, 400);
    assert!(body.to_string().contains("at most 64"), "{body}");
}

/// Posts `body` to a server function with `client` (a session of some role).
async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    json: bool,
    body: String,
) -> (u16, String) {
    let r = client
        .post(app.url(path))
        .header(
            "content-type",
            if json {
                "application/json"
            } else {
                "application/x-www-form-urlencoded"
            },
        )
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn operators_create_scale_and_change_streams_and_admins_delete_them_with_their_tasks() {
    use app::domain::audit::AuditQuery;
    use app::domain::{AuditAction, AuditOutcome, Role};
    let app = TestApp::spawn().await;
    let operator = app.client_as(Role::Operator).await;
    let viewer = app.client_as(Role::Viewer).await;
    let schema = r#"{"type":"record","name":"order","fields":[{"name":"id","type":"string"}]}"#;
    let create = serde_json::json!({ "request": {
        "stream_name": "orders-json", "partition_count": 2, "data_type": "JSON",
        "data_duration": 48, "data_schema": schema,
    }})
    .to_string();

    // A viewer is refused each change, and nothing happens.
    for (path, json, body) in [
        ("/api/create_stream", true, create.clone()),
        (
            "/api/scale_stream",
            false,
            "stream=demo-orders&target=3".to_owned(),
        ),
        (
            "/api/change_stream",
            true,
            serde_json::json!({ "stream": "demo-orders", "change": {
                "stream_name": "demo-orders", "data_duration": 72 }})
            .to_string(),
        ),
        (
            "/api/delete_stream",
            false,
            "stream=demo-orders&confirm=demo-orders&with_tasks=true".to_owned(),
        ),
    ] {
        let (status, body) = post(&app, &viewer, path, json, body).await;
        assert_eq!(status, 403, "{path}: {body}");
    }
    let (status, _) = post(
        &app,
        &operator,
        "/api/delete_stream",
        false,
        "stream=demo-orders&confirm=demo-orders&with_tasks=true".into(),
    )
    .await;
    assert_eq!(status, 403, "deleting is for admins");

    // The operator's create meets the rules first, then DIS.
    let bad = serde_json::json!({ "request": {
        "stream_name": "orders json", "partition_count": 0, "data_duration": 100,
    }})
    .to_string();
    let (status, body) = post(&app, &operator, "/api/create_stream", true, bad).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("Stream name:") && body.contains("Retention (hours):"),
        "{body}"
    );
    let (status, body) = post(&app, &operator, "/api/create_stream", true, create.clone()).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = post(&app, &operator, "/api/create_stream", true, create).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("DIS.4307") && body.contains("already exists"),
        "{body}"
    );
    let s = app::domain::StreamName::parse("orders-json").unwrap();
    let made = app.dis.describe_stream(&s).await.unwrap();
    assert_eq!(
        (made.retention_period, made.writable_partition_count),
        (48, 2)
    );

    let (status, body) = post(
        &app,
        &operator,
        "/api/scale_stream",
        false,
        "stream=orders-json&target=2".into(),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("has 2 partitions already"), "{body}");
    for target in [3, 4, 3, 4, 3] {
        let (status, body) = post(
            &app,
            &operator,
            "/api/scale_stream",
            false,
            format!("stream=orders-json&target={target}"),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = post(
        &app,
        &operator,
        "/api/scale_stream",
        false,
        "stream=orders-json&target=4".into(),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("DIS.4305") && body.contains("scaling history"),
        "{body}"
    );

    let change = serde_json::json!({ "stream": "orders-json", "change": {
        "stream_name": "orders-json", "data_duration": 72 }})
    .to_string();
    let (status, body) = post(&app, &operator, "/api/change_stream", true, change).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        app.dis.describe_stream(&s).await.unwrap().retention_period,
        72
    );
    let blob = serde_json::json!({ "stream": "orders-json", "change": {
        "stream_name": "orders-json", "data_type": "BLOB" }})
    .to_string();
    let (status, body) = post(&app, &operator, "/api/change_stream", true, blob).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("BLOB stream has no schema"), "{body}");

    // An admin deletes it: not while it has a task, unless told to; then the task goes first.
    let task = app::domain::DumpTask::parse(
        &app::domain::TaskDraft {
            task_name: "to-obs".into(),
            obs_bucket_path: "dumps".into(),
            file_prefix: "orders".into(),
            ..Default::default()
        },
        app::domain::DataType::Json,
    )
    .unwrap();
    app.dis.add_dump_task(&s, &task).await.unwrap();
    let (status, body) = app
        .post_form(
            "/api/delete_stream",
            "stream=orders-json&confirm=orders&with_tasks=true".into(),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.to_string()
            .contains("Type the stream name, orders-json,"),
        "{body}"
    );
    let (status, body) = app
        .post_form(
            "/api/delete_stream",
            "stream=orders-json&confirm=orders-json&with_tasks=false".into(),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.to_string().contains("delete its 1 dump task"),
        "{body}"
    );
    assert!(app.dis.describe_stream(&s).await.is_ok(), "nothing deleted");
    let (status, body) = app
        .post_form(
            "/api/delete_stream",
            "stream=orders-json&confirm=orders-json&with_tasks=true".into(),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(app.dis.describe_stream(&s).await.is_err());

    // Every step is in the audit log: the task's deletion on its own line before the stream's.
    let lines = app.accounts_audit(&AuditQuery::newest("admin")).await;
    let recent: Vec<(AuditAction, &str, AuditOutcome)> = lines
        .iter()
        .take(4)
        .map(|l| (l.action, l.target.as_str(), l.outcome))
        .collect();
    assert_eq!(
        recent[..2],
        [
            (AuditAction::DeleteStream, "orders-json", AuditOutcome::Ok),
            (
                AuditAction::DeleteTask,
                "orders-json/to-obs",
                AuditOutcome::Ok
            ),
        ]
    );
    assert!(recent[2..]
        .iter()
        .all(|l| l.0 == AuditAction::DeleteStream && l.2 == AuditOutcome::Refused));
    let operator_lines = app.accounts_audit(&AuditQuery::newest("")).await;
    assert!(
        operator_lines
            .iter()
            .any(|l| l.action == AuditAction::ChangeStream
                && l.target == "orders-json: data type"
                && l.outcome == AuditOutcome::Refused),
        "{operator_lines:?}"
    );
}

#[tokio::test]
async fn the_create_review_and_the_stream_page_show_a_stream_s_settings() {
    use app::domain::stream_form::StreamDraft;
    use app::domain::Role;
    let app = TestApp::spawn().await;
    let operator = app.client_as(Role::Operator).await;

    // The review renders the stream a draft makes, its request and the code that sends it.
    let draft = StreamDraft {
        stream_name: "orders-json".into(),
        data_type: "JSON".into(),
        partition_count: "2".into(),
        retention: "48".into(),
        tags: "team=orders".into(),
        ..Default::default()
    };
    let part = |d: &StreamDraft| serde_json::json!({ "part": { "NewStream": { "draft": d } } });
    let (status, body) = post(
        &app,
        &operator,
        "/api/get_part",
        true,
        part(&draft).to_string(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let html: String = serde_json::from_str(&body).unwrap();
    assert!(
        html.contains("<dt>Retention</dt><dd>48 hours</dd>"),
        "{html}"
    );
    assert!(
        html.contains("data_duration") && html.contains("client.create_stream(request)"),
        "{html}"
    );
    assert!(html.contains("/v2/") && html.contains("/streams"), "{html}");
    // A draft the rules refuse names each problem after its field.
    let bad = StreamDraft {
        retention: "12".into(),
        ..draft.clone()
    };
    let (status, body) = post(
        &app,
        &operator,
        "/api/get_part",
        true,
        part(&bad).to_string(),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("Retention (hours): Keep records 24 to 72 hours (12 asked)."),
        "{body}"
    );

    // The stream page: its settings, its scaling history, and the draft its change form
    // starts from.
    let request = draft.parse().unwrap();
    app.dis.create_stream(&request).await.unwrap();
    let s = app::domain::StreamName::parse("orders-json").unwrap();
    app.dis.scale_stream(&s, 3).await.unwrap();
    let (status, view) = app
        .post_form("/api/get_stream", "stream=orders-json".into())
        .await;
    assert_eq!(status, 200, "{view}");
    let settings = view["settings"].as_str().unwrap();
    assert!(
        settings.contains("<dd>48 hours</dd>") && settings.contains("team=orders"),
        "{settings}"
    );
    assert!(
        settings.contains("2 → 3") && settings.contains("a request"),
        "{settings}"
    );
    let reported: StreamDraft = serde_json::from_value(view["draft"].clone()).unwrap();
    assert_eq!(
        (
            reported.stream_name.as_str(),
            reported.retention.as_str(),
            reported.partition_count.as_str()
        ),
        ("orders-json", "48", "3")
    );
    assert_eq!(reported.tags, "team=orders");
}
