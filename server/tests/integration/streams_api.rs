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
