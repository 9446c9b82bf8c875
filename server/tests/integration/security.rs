//! The security envelope: who may call what, where changes may come from, logins and sessions,
//! response headers, and the audit log.

use crate::common;

use app::api::access::{required_role, SERVER_FN_ACCESS};
use app::domain::Role;
use common::{TestApp, ADMIN_PASSWORD};
use std::collections::BTreeSet;
use std::time::Duration;

/// The registered server functions, as the router serves them.
fn registered() -> BTreeSet<&'static str> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect()
}

#[tokio::test]
async fn every_server_function_answers_401_without_a_session_and_403_below_its_role() {
    let app = TestApp::spawn().await;
    let paths = registered();
    let table: BTreeSet<&str> = SERVER_FN_ACCESS.iter().map(|(p, _)| *p).collect();
    // A new server function cannot slip through: it must be in the access table.
    assert_eq!(
        paths, table,
        "registered server functions vs the access table"
    );
    let viewer = app.client_as(Role::Viewer).await;
    let operator = app.client_as(Role::Operator).await;
    for path in paths {
        let Some(required) = required_role(path).unwrap() else {
            continue;
        };
        let anonymous = app
            .anonymous
            .post(app.url(path))
            .body("")
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), 401, "{path} without a session");
        assert!(anonymous.text().await.unwrap().contains("Log in"), "{path}");
        let below = match required.below() {
            None => continue,
            Some(Role::Viewer) => &viewer,
            Some(_) => &operator,
        };
        let refused = below.post(app.url(path)).body("").send().await.unwrap();
        assert_eq!(
            refused.status(),
            403,
            "{path} for the role below {required:?}"
        );
        assert!(
            refused.text().await.unwrap().contains("cannot do this"),
            "{path}"
        );
    }
    // An unknown path under /api is refused, not passed on.
    let unknown = app
        .client
        .post(app.url("/api/no_such_fn"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn a_cross_site_post_is_refused_and_a_same_origin_one_is_not() {
    let app = TestApp::spawn().await;
    let form = "stream=demo-orders&lines=x";
    let send = |headers: &'static [(&'static str, &'static str)]| {
        let mut request = app
            .client
            .post(app.url("/api/send_test_records"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send()
    };
    for headers in [
        &[("origin", "https://evil.example")][..],
        &[("origin", "null")][..],
        &[("sec-fetch-site", "cross-site")][..],
        &[
            ("sec-fetch-site", "same-site"),
            ("origin", "http://sub.localhost"),
        ][..],
    ] {
        let r = send(headers).await.unwrap();
        assert_eq!(r.status(), 403, "{headers:?}");
        assert!(r.text().await.unwrap().contains("console's own pages"));
    }
    let own = app.base.clone();
    let r = app
        .client
        .post(app.url("/api/send_test_records"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", own)
        .header("sec-fetch-site", "same-origin")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

#[tokio::test]
async fn logins_are_generic_throttled_and_rotate_the_session() {
    let app = TestApp::spawn().await;
    let client = app.anonymous.clone();
    let wrong = app.try_login(&client, "admin", "wrong password").await;
    assert_eq!(wrong.status(), 401);
    let wrong_text = wrong.text().await.unwrap();
    let unknown = app.try_login(&client, "nobody", "wrong password").await;
    assert_eq!(unknown.status(), 401);
    assert_eq!(
        unknown.text().await.unwrap(),
        wrong_text,
        "one message for every failure"
    );

    for _ in 0..4 {
        app.try_login(&client, "admin", "wrong password").await;
    }
    let throttled = app.try_login(&client, "admin", ADMIN_PASSWORD).await;
    assert_eq!(throttled.status(), 429);
    let retry: u64 = throttled.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 15 * 60, "{retry}");

    // A new id at each login; the old one is worth nothing.
    let (name, password) = app.add_operator(Role::Viewer).await;
    let viewer_a = app.anonymous.clone();
    let cookie = |r: &reqwest::Response| {
        r.headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|c| c.starts_with("dis-console="))
    };
    let first = app.try_login(&viewer_a, &name, &password).await;
    let first_cookie = cookie(&first).expect("a session cookie");
    assert!(
        first_cookie.contains("HttpOnly") && first_cookie.contains("SameSite=Strict"),
        "{first_cookie}"
    );
    let second = app.try_login(&viewer_a, &name, &password).await;
    let second_cookie = cookie(&second).expect("a session cookie");
    let id = |c: &str| c.split(';').next().unwrap().to_owned();
    assert_ne!(id(&first_cookie), id(&second_cookie));
    let stale = app
        .anonymous
        .post(app.url("/api/console_status"))
        .header("cookie", id(&first_cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 401, "the id before the second login");
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    let client = app.anonymous.clone();
    let r = app.try_login(&client, "admin", ADMIN_PASSWORD).await;
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let r = client.post(app.url("/api/logout")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    // The cookie a thief copied before the logout no longer works.
    let r = app
        .anonymous
        .post(app.url("/api/console_status"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // Pages send a visitor without a session to the login page, and back after.
    let r = app
        .anonymous
        .get(app.url("/streams/demo-orders?x=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        "/login?next=/streams/demo-orders%3Fx%3D1"
    );
}

#[tokio::test]
async fn sessions_end_when_idle_and_at_their_absolute_limit() {
    let status = "/api/console_status";
    let idle = TestApp::spawn_with(|c| c.session_idle = Duration::from_secs(1)).await;
    assert_eq!(idle.post_form(status, String::new()).await.0, 200);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let (code, _) = idle.post_form(status, String::new()).await;
    assert_eq!(code, 401, "idle past the limit");

    let max = TestApp::spawn_with(|c| c.session_max = Duration::from_secs(1)).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (code, body) = max.post_form(status, String::new()).await;
    assert_eq!(code, 401);
    assert!(body.to_string().contains("time limit"), "{body}");
}

/// The idle limit counts from the last request, not from the login: an operator who keeps
/// working past it stays logged in.
#[tokio::test]
async fn an_active_session_outlives_the_idle_limit() {
    let app = TestApp::spawn_with(|c| c.session_idle = Duration::from_secs(2)).await;
    for _ in 0..8 {
        let (code, _) = app.post_form("/api/console_status", String::new()).await;
        assert_eq!(code, 200, "still active");
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
}

#[tokio::test]
async fn pages_carry_the_security_headers_and_a_fresh_nonce() {
    let app = TestApp::spawn().await;
    let r = app.get("/streams").await;
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap().to_owned();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["cache-control"], "private, no-store");
    assert!(
        h.get("strict-transport-security").is_none(),
        "no HSTS over http"
    );
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap()
        .to_owned();
    let html = r.text().await.unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the nonce"
    );
    let again = app.get("/streams").await;
    assert!(!again.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains(&nonce));

    let https = TestApp::spawn_with(|c| {
        c.public_url = Some("https://console.example".parse().unwrap());
    })
    .await;
    let r = https
        .anonymous
        .get(https.url("/healthz"))
        .send()
        .await
        .unwrap();
    // Behind an https proxy the cookie is Secure and host-bound.
    assert_https_envelope(&https, &r).await;
    // Its origin is the only one changes may come from.
    let r = https
        .client
        .post(https.url("/api/logout"))
        .header("origin", https.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn the_audit_log_records_each_action_and_survives_a_restart() {
    use app::domain::AuditFilter;
    use app::ports::Accounts;
    let app = TestApp::spawn().await;
    let r = app
        .client
        .post(app.url("/api/send_test_records"))
        .form(&[("stream", "demo-orders"), ("lines", "one")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let request_id = r.headers()["x-request-id"].to_str().unwrap().to_owned();
    let r = app
        .client
        .post(app.url("/api/delete_dump_task"))
        .form(&[
            ("stream", "demo-orders"),
            ("task", "missing"),
            ("confirm", "missing"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    app.try_login(&app.anonymous, "admin", "wrong password")
        .await;
    let r = app
        .client
        .post(app.url("/api/list_audit"))
        .form(&[
            ("filter[operator]", "admin"),
            ("filter[action]", ""),
            ("filter[outcome]", ""),
            ("filter[before_ms]", "0"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let lines: Vec<serde_json::Value> = r.json().await.unwrap();
    let actions: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| {
            (
                l["action"].as_str().unwrap(),
                l["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        actions[..4],
        [
            ("login", "refused"),
            ("delete task", "failed"),
            ("send test records", "ok"),
            ("login", "ok")
        ],
        "{lines:#?}"
    );
    assert_eq!(lines[1]["dis_code"], "DIS.4354");
    assert_eq!(lines[2]["request_id"], request_id.as_str());
    assert_eq!(lines[2]["target"], "demo-orders");

    // A new store on the same database file (as after a restart) reads the same lines.
    let dir = app.data_dir.path().to_owned();
    let reopened = server::accounts::open_all(&dir, None).await.unwrap();
    let again = reopened
        .store
        .audit(&AuditFilter::default().check().unwrap(), 100)
        .await
        .unwrap();
    assert!(again
        .iter()
        .any(|l| l.action.as_str() == "send test records" && l.request_id == request_id));
}

/// A self-signed certificate for 127.0.0.1, written as PEM files.
fn test_certificate(dir: &std::path::Path) -> server::config::TlsFiles {
    let cert =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()]).unwrap();
    let files = server::config::TlsFiles {
        cert: dir.join("cert.pem"),
        key: dir.join("key.pem"),
    };
    std::fs::write(&files.cert, cert.cert.pem()).unwrap();
    std::fs::write(&files.key, cert.key_pair.serialize_pem()).unwrap();
    files
}

/// Over https: `r` carries HSTS, and a login sets a Secure cookie bound to this host.
async fn assert_https_envelope(app: &TestApp, r: &reqwest::Response) {
    assert!(r.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .contains("max-age="));
    let client = app.anonymous.clone();
    let login = app.try_login(&client, "admin", ADMIN_PASSWORD).await;
    let cookie = login.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with("__Host-dis-console=") && cookie.contains("Secure"),
        "{cookie}"
    );
}

#[tokio::test]
async fn the_console_serves_https_itself_with_secure_cookies_and_hsts() {
    let dir = tempfile::tempdir().unwrap();
    let files = test_certificate(dir.path());
    let app = TestApp::spawn_with(|c| c.tls = Some(files.clone())).await;
    assert!(app.base.starts_with("https://"));
    // TestApp has logged in over https; the session works.
    let r = app
        .client
        .post(app.url("/api/console_status"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_https_envelope(&app, &r).await;
    // Plain http to the same port is not answered as a page.
    let plain = reqwest::Client::new()
        .get(app.url("/healthz").replace("https://", "http://"))
        .send()
        .await;
    assert!(plain.map(|r| r.status() != 200).unwrap_or(true));

    // Bad files are named in the error.
    std::fs::write(&files.key, "not a key").unwrap();
    let why = server::http::tls_config(&files).unwrap_err();
    assert!(why.starts_with("CONSOLE_TLS_KEY"), "{why}");
}
