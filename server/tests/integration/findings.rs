//! What an attacker found in the login, audit and session paths, each closed: concurrent logins
//! meet the limits, typed text reaches the audit log bounded, a new password ends the old
//! sessions, unknown hosts are refused, proxies are believed only when named, and one address
//! cannot lock an operator out everywhere. (The database's file modes are tested beside
//! `server::accounts::open`.)

use crate::common::{self, TestApp, ADMIN_PASSWORD};
use app::domain::Role;
use futures_util::future::join_all;

/// A login attempt's status, from `client`, with an `X-Forwarded-For` when given.
async fn attempt(
    app: &TestApp,
    client: &reqwest::Client,
    name: &str,
    password: &str,
    forwarded_for: Option<&str>,
) -> u16 {
    let mut request = client.post(app.url("/api/login")).form(&[
        ("name", name),
        ("password", password),
        ("next", "/"),
    ]);
    if let Some(ip) = forwarded_for {
        request = request.header("x-forwarded-for", ip);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn a_burst_of_logins_is_counted_as_it_arrives() {
    let app = TestApp::spawn().await;
    let client = app.new_client();
    let (first_429_tx, first_429_rx) = tokio::sync::oneshot::channel::<()>();
    let burst = {
        // Only the burst's attempts hold the sender: once they have all answered it is gone,
        // and the right password goes anyway (on a console that never throttles).
        let first_429 = std::sync::Arc::new(std::sync::Mutex::new(Some(first_429_tx)));
        join_all((0..50).map(|_| {
            let (first_429, client, app) = (first_429.clone(), &client, &app);
            async move {
                let status = attempt(app, client, "admin", "a wrong password", None).await;
                if status == 429 {
                    if let Some(tx) = first_429.lock().unwrap().take() {
                        let _ = tx.send(());
                    }
                }
                status
            }
        }))
    };
    // The right password, sent once the burst has locked the name (the first 429 says so),
    // while the attempts that locked it may still be under way.
    let right = async {
        let _ = first_429_rx.await;
        attempt(&app, &client, "admin", ADMIN_PASSWORD, None).await
    };
    let (statuses, right) = tokio::join!(burst, right);
    let answered = statuses.iter().filter(|s| **s != 429).count();
    assert!(
        answered <= 5,
        "{answered} attempts were not throttled: {statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 429),
        "{statuses:?}"
    );
    assert_eq!(right, 429, "the right password inside the burst waits too");
}

#[tokio::test]
async fn typed_text_reaches_the_audit_log_bounded() {
    let app = TestApp::spawn().await;
    let huge = "x".repeat(1024 * 1024);
    let body = format!(
        "stream={}&draft[task_name]=t&draft[obs_bucket_path]=b",
        common::urlencode(&huge)
    );
    for chunk in 0..10 {
        let calls = (0..10).map(|_| app.post_form("/api/create_dump_task", body.clone()));
        for (status, _) in join_all(calls).await {
            assert_eq!(status, 400, "chunk {chunk}");
        }
    }
    // What the lines hold, not the write-ahead log's churn: fold the log into the file first.
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(app.accounts.pool())
        .await
        .unwrap();
    let db = std::fs::metadata(app.data_dir.path().join("console.db"))
        .unwrap()
        .len();
    assert!(db < 1024 * 1024, "the database grew to {db} bytes");
    let page = app.get("/audit?action=add%20task").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.len() < 200_000,
        "the audit page is {} bytes",
        html.len()
    );
    assert!(html.contains("characters]"), "the cut is visible");
}

#[tokio::test]
async fn a_new_password_ends_the_operator_s_other_sessions() {
    let app = TestApp::spawn().await;
    let (ann, password) = app.add_operator(Role::Operator).await;
    let ann_client = app.login(&ann, &password).await;
    let list = |client: &reqwest::Client| {
        let request = client.post(app.url("/api/list_streams")).send();
        async move { request.await.unwrap().status().as_u16() }
    };
    assert_eq!(list(&ann_client).await, 200);
    let set_password = |name: &str| {
        serde_json::json!({"edit": {"SetPassword": {"name": name, "password": "another long password"}}})
            .to_string()
    };
    // An admin sets Ann's password: her session ends.
    let (status, body) = app
        .post_as("application/json", "/api/save_operator", set_password(&ann))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(list(&ann_client).await, 401);
    app.login(&ann, "another long password").await;

    // An admin who sets their own password keeps this session and loses the others.
    let elsewhere = app.login("admin", ADMIN_PASSWORD).await;
    assert_eq!(list(&elsewhere).await, 200);
    let (status, body) = app
        .post_as(
            "application/json",
            "/api/save_operator",
            set_password("admin"),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        list(&app.client).await,
        200,
        "the session that changed it stays"
    );
    assert_eq!(list(&elsewhere).await, 401, "the other session ended");
}

#[tokio::test]
async fn a_name_the_console_does_not_answer_to_is_refused() {
    let app = TestApp::spawn_with(|c| c.allowed_hosts = vec!["console.internal".into()]).await;
    let client = app.new_client();
    let port = app.base.rsplit(':').next().unwrap().to_owned();
    // A login as a rebound page would send it: its own name in `Host` and `Origin`.
    let login_via = |host: String| {
        client
            .post(app.url("/api/login"))
            .header("host", host.clone())
            .header("origin", format!("http://{host}"))
            .form(&[
                ("name", "admin"),
                ("password", ADMIN_PASSWORD),
                ("next", "/"),
            ])
            .send()
    };
    let refused = login_via(format!("evil.example:{port}")).await.unwrap();
    assert_eq!(refused.status(), 421);
    let why = refused.text().await.unwrap();
    assert!(why.contains("CONSOLE_ALLOWED_HOSTS"), "{why}");
    let page = client.get(app.url("/login")).header("host", "evil.example");
    assert_eq!(page.send().await.unwrap().status(), 421);
    for host in [
        format!("console.internal:{port}"),
        format!("localhost:{port}"),
    ] {
        assert_eq!(
            login_via(host.clone()).await.unwrap().status(),
            200,
            "{host}"
        );
    }
}

#[tokio::test]
async fn forwarded_addresses_count_only_from_a_trusted_proxy() {
    // Without CONSOLE_TRUSTED_PROXIES the header is ignored: every attempt is the peer's.
    let app = TestApp::spawn().await;
    let client = app.new_client();
    for i in 0..20 {
        let ip = format!("10.0.0.{i}");
        let name = format!("nobody{i}");
        assert_eq!(attempt(&app, &client, &name, "wrong", Some(&ip)).await, 401);
    }
    assert_eq!(
        attempt(&app, &client, "nobody", "wrong", Some("10.9.9.9")).await,
        429,
        "a client cannot pick its own address"
    );

    // Behind a named proxy each forwarded client has its own limits...
    let app = TestApp::spawn_with(|c| c.trusted_proxies = "127.0.0.1".parse_proxies()).await;
    let client = app.new_client();
    for i in 0..20 {
        let name = format!("nobody{i}");
        assert_eq!(
            attempt(&app, &client, &name, "wrong", Some("10.0.0.1")).await,
            401
        );
    }
    assert_eq!(
        attempt(&app, &client, "nobody", "wrong", Some("10.0.0.1")).await,
        429
    );
    assert_eq!(
        attempt(&app, &client, "nobody", "wrong", Some("10.0.0.2")).await,
        401
    );
    // ...and one address failing on purpose does not lock `admin` out for the others.
    for _ in 0..5 {
        assert_eq!(
            attempt(&app, &client, "admin", "wrong", Some("10.0.0.3")).await,
            401
        );
    }
    assert_eq!(
        attempt(&app, &client, "admin", ADMIN_PASSWORD, Some("10.0.0.3")).await,
        429
    );
    assert_eq!(
        attempt(&app, &client, "admin", ADMIN_PASSWORD, Some("10.0.0.4")).await,
        200
    );
}

/// Test shorthand: a proxy list from text.
trait ParseProxies {
    fn parse_proxies(&self) -> server::http::proxies::TrustedProxies;
}

impl ParseProxies for str {
    fn parse_proxies(&self) -> server::http::proxies::TrustedProxies {
        server::http::proxies::TrustedProxies::parse(self).unwrap()
    }
}
