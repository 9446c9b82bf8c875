//! The router, served for real on a loopback port.

use crate::common;

use common::{write_site_assets, TestApp};
use std::time::Duration;

fn request_id(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("x-request-id")
        .expect("every response carries X-Request-Id")
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn healthz_answers_ok_with_a_request_id() {
    let app = TestApp::spawn().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    let id = request_id(&response);
    assert_eq!(id.len(), 36, "a UUID: {id}");
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn every_request_gets_its_own_id_and_a_client_cannot_choose_it() {
    let app = TestApp::spawn().await;
    let first = request_id(&app.get("/healthz").await);
    let second = request_id(&app.get("/healthz").await);
    assert_ne!(first, second);

    let chosen = app.get_with("/healthz", "x-request-id", "forged-id").await;
    assert_ne!(request_id(&chosen), "forged-id");

    // Pages and 404s carry one too.
    request_id(&app.get("/").await);
    request_id(&app.get("/no/such/page").await);
}

#[tokio::test]
async fn readyz_reports_each_check_and_turns_ready_when_assets_exist() {
    let app = TestApp::spawn().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["ready"], false);
    assert_eq!(body["checks"][0]["name"], "site_assets");
    assert_eq!(body["checks"][0]["ok"], false);
    assert_eq!(body["checks"][1]["name"], "data_dir");
    assert_eq!(body["checks"][1]["ok"], true);

    write_site_assets(app.site_root.path());
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["ready"], true);
}

#[tokio::test]
async fn the_shell_renders_header_navigation_and_the_overview() {
    let app = TestApp::spawn().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = common::page_text(response).await;
    assert!(html.contains("DIS Dump Console"), "{html}");
    assert!(html.contains(r#"<nav aria-label="Main""#), "{html}");
    assert!(html.contains(r#"href="/streams""#) && html.contains(r#"href="/audit""#));
    assert!(html.contains("<h1>Overview</h1>"));
    assert!(html.contains("Embedded DIS-compatible backend"), "{html}");
    assert!(html.contains(r#"aria-label="Notifications""#));
    assert!(html.contains("/pkg/dis-console.js") && html.contains("/pkg/dis-console.css"));
}

#[tokio::test]
async fn each_navigation_target_renders() {
    let app = TestApp::spawn().await;
    for (path, heading) in [
        ("/streams", "<h1>Streams</h1>"),
        ("/audit", "<h1>Audit</h1>"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(
            common::page_text(response).await.contains(heading),
            "{path}"
        );
    }
}

#[tokio::test]
async fn unknown_paths_get_the_404_page() {
    let app = TestApp::spawn().await;
    for path in ["/no/such/page", "/streams/x/y/z", "/favicon.ico"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        let html = common::page_text(response).await;
        assert!(html.contains("Page not found"), "{path}: {html}");
    }
}

#[tokio::test]
async fn compiled_assets_are_served_from_the_site_root() {
    let app = TestApp::spawn().await;
    write_site_assets(app.site_root.path());
    let response = app.get("/pkg/dis-console.wasm").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/wasm");
    assert_eq!(response.headers()["cache-control"], "no-cache");
    let modified = response.headers()["last-modified"]
        .to_str()
        .unwrap()
        .to_owned();

    // A browser revalidating its copy gets a 304 without the body.
    let again = app
        .get_with("/pkg/dis-console.wasm", "if-modified-since", &modified)
        .await;
    assert_eq!(again.status(), 304);

    assert_eq!(app.get("/pkg/missing.wasm").await.status(), 404);
}

#[tokio::test]
async fn precompressed_bundle_files_are_served_when_the_browser_accepts_them() {
    let app = TestApp::spawn().await;
    write_site_assets(app.site_root.path());
    let pkg = app.site_root.path().join("pkg");
    std::fs::write(pkg.join("dis-console.wasm.br"), b"brotli bytes").unwrap();

    let response = app
        .get_with("/pkg/dis-console.wasm", "accept-encoding", "br, gzip")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(response.headers()["content-type"], "application/wasm");
    assert_eq!(&response.bytes().await.unwrap()[..], b"brotli bytes");
}

#[tokio::test]
async fn the_status_server_function_answers_json_and_hides_credentials() {
    // A remote DIS on a loopback port nobody listens on: refused at once, with no name to look
    // up on a network the tests do not have.
    let endpoint = {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("https://{}", closed.local_addr().unwrap())
    };
    let shown = endpoint.clone();
    let app = TestApp::spawn_with(move |config| {
        config.dis = Some(server::config::RemoteDis {
            endpoint,
            region: "cn-north-4".into(),
            project_id: "0123456789abcdef".into(),
            credentials: server::config::Credentials::AkSk(server::config::AkSk {
                ak: "AKINTEST".to_string().into(),
                sk: "the-secret-key".to_string().into(),
            }),
        });
    })
    .await;
    let response = app
        .client
        .post(app.url("/api/console_status"))
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(
        !text.contains("the-secret-key") && !text.contains("AKINTEST"),
        "{text}"
    );
    let body: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["dis"]["Remote"]["region"], "cn-north-4");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));

    let page = common::page_text(app.get("/").await).await;
    assert!(page.contains(&shown), "the endpoint is named");
    assert!(!page.contains("the-secret-key") && !page.contains("AKINTEST"));
}

#[tokio::test]
async fn compression_is_negotiated() {
    let app = TestApp::spawn().await;
    let response = app.get_with("/", "accept-encoding", "gzip").await;
    assert_eq!(response.headers()["content-encoding"], "gzip");
}

#[tokio::test]
async fn shutdown_finishes_requests_in_flight_then_stops_accepting() {
    use axum::{routing::get, Router};
    use server::http::{self as web, AppState};
    use tokio::sync::{mpsc, oneshot};

    // A route that holds its request open until the test lets it go.
    let (entered_tx, mut entered_rx) = mpsc::channel::<()>(1);
    let (release_tx, release_rx) = oneshot::channel::<()>();
    let release_rx = std::sync::Arc::new(tokio::sync::Mutex::new(Some(release_rx)));
    let slow = Router::new().route(
        "/slow",
        get(move || {
            let entered_tx = entered_tx.clone();
            let release_rx = release_rx.clone();
            async move {
                entered_tx.send(()).await.unwrap();
                if let Some(rx) = release_rx.lock().await.take() {
                    let _ = rx.await;
                }
                "finished"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut config = server::config::Config::from_lookup(|_| Ok(None)).unwrap();
    let data = tempfile::tempdir().unwrap();
    config.data_dir = data.path().into();
    config.site_addr = addr;
    let connection = server::connect::connect(&config).await.unwrap();
    let accounts = server::accounts::open_all(&config.data_dir, None)
        .await
        .unwrap();
    let router = slow.merge(web::router(AppState::new(
        &config,
        connection.client,
        &accounts,
    )));

    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let served = tokio::spawn(web::serve(listener, router, async {
        let _ = stop_rx.await;
    }));

    let in_flight = tokio::spawn(reqwest::get(format!("http://{addr}/slow")));
    entered_rx.recv().await.unwrap();
    stop_tx.send(()).unwrap();

    // The server is draining: it does not return while the request is open.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!served.is_finished());

    release_tx.send(()).unwrap();
    let response = in_flight.await.unwrap().unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "finished");

    tokio::time::timeout(Duration::from_secs(5), served)
        .await
        .expect("serve returns once the request is answered")
        .unwrap()
        .unwrap();
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}
