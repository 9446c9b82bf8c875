//! Sign-on through an identity provider: the console's `/auth/login` and `/auth/callback`
//! against a provider on loopback that this test scripts. It serves discovery, its keys, a
//! token endpoint (checking PKCE and taking each code once), user info and an end-session
//! endpoint, and signs the ID token the test asks for with a key the test controls.

use crate::common::TestApp;
use app::domain::audit::AuditQuery;
use axum::{extract::State, routing::get, routing::post, Form, Json, Router};
use openidconnect::core::{
    CoreGenderClaim, CoreJsonWebKeySet, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreRsaPrivateSigningKey,
};
use openidconnect::{
    AdditionalClaims, Audience, EndUserName, EndUserUsername, IdToken, IdTokenClaims, IssuerUrl,
    JsonWebKeyId, Nonce, PrivateSigningKey, StandardClaims, SubjectIdentifier,
};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const CLIENT_ID: &str = "dis-console";
const CLIENT_SECRET: &str = "oidc-client-secret-for-tests";

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Groups {
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<Vec<String>>,
}
impl AdditionalClaims for Groups {}

type TestIdToken =
    IdToken<Groups, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>;

fn key(file: &str) -> CoreRsaPrivateSigningKey {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(file);
    let pem = std::fs::read_to_string(path).unwrap();
    CoreRsaPrivateSigningKey::from_pem(&pem, Some(JsonWebKeyId::new(file.into()))).unwrap()
}

/// What the provider has been told and has seen.
#[derive(Default)]
struct Script {
    /// The ID token the next code is exchanged for, with the code it is for.
    code: Option<(String, String)>,
    /// The PKCE challenge of the authorization request the test read.
    challenge: Option<String>,
    /// The groups user info gives.
    user_info_groups: Option<Vec<String>>,
    /// Whether the last token request authenticated with the client secret.
    client_authenticated: bool,
}

#[derive(Clone)]
struct Idp {
    base: String,
    script: Arc<Mutex<Script>>,
}

async fn discovery(State(idp): State<Idp>) -> Json<Value> {
    let b = &idp.base;
    Json(json!({
        "issuer": b,
        "authorization_endpoint": format!("{b}/authorize"),
        "token_endpoint": format!("{b}/token"),
        "userinfo_endpoint": format!("{b}/userinfo"),
        "end_session_endpoint": format!("{b}/logout"),
        "jwks_uri": format!("{b}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }))
}

async fn jwks() -> Json<CoreJsonWebKeySet> {
    let public = key("oidc-test-signing-key.pem").as_verification_key();
    Json(CoreJsonWebKeySet::new(vec![public]))
}

async fn token(
    State(idp): State<Idp>,
    headers: axum::http::HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use base64::Engine;
    use sha2::Digest;
    let mut script = idp.script.lock().unwrap();
    let expected_auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    script.client_authenticated =
        headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(expected_auth.as_str());
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    let pkce = script.challenge.as_deref() == Some(challenge.as_str());
    // Each code is exchanged once.
    match script.code.take() {
        Some((code, id_token)) if pkce && form.get("code") == Some(&code) => Json(json!({
            "access_token": "access-token-for-tests",
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }))
        .into_response(),
        _ => (
            axum::http::StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_grant"})),
        )
            .into_response(),
    }
}

async fn user_info(State(idp): State<Idp>) -> Json<Value> {
    let groups = idp.script.lock().unwrap().user_info_groups.clone();
    Json(json!({"sub": "sub-ada", "groups": groups}))
}

impl Idp {
    async fn start() -> Idp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let idp = Idp {
            base: format!("http://{}", listener.local_addr().unwrap()),
            script: Arc::default(),
        };
        let router = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/token", post(token))
            .route("/userinfo", get(user_info))
            .with_state(idp.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
        idp
    }
}

/// What the console put in the authorization request.
struct Authorize {
    state: String,
    nonce: String,
    params: HashMap<String, String>,
}

/// A token as the provider would sign it, for the sign-on `auth` started; `adjust` makes it
/// wrong in one way.
struct Token {
    issuer: String,
    audience: String,
    subject: String,
    nonce: String,
    expires_in: i64,
    issued_in: i64,
    groups: Option<Vec<String>>,
    key: &'static str,
}

impl Token {
    fn new(idp: &Idp, auth: &Authorize, groups: &[&str]) -> Token {
        Token {
            issuer: idp.base.clone(),
            audience: CLIENT_ID.into(),
            subject: "sub-ada".into(),
            nonce: auth.nonce.clone(),
            expires_in: 300,
            issued_in: 0,
            groups: Some(groups.iter().map(|g| (*g).to_owned()).collect()),
            key: "oidc-test-signing-key.pem",
        }
    }

    fn sign(&self) -> String {
        let now = chrono::Utc::now();
        let claims = IdTokenClaims::new(
            IssuerUrl::new(self.issuer.clone()).unwrap(),
            vec![Audience::new(self.audience.clone())],
            now + chrono::Duration::seconds(self.expires_in),
            now + chrono::Duration::seconds(self.issued_in),
            StandardClaims::new(SubjectIdentifier::new(self.subject.clone()))
                .set_name(Some(EndUserName::new("Ada Lovelace".into()).into()))
                .set_preferred_username(Some(EndUserUsername::new("ada".into()))),
            Groups {
                groups: self.groups.clone(),
            },
        )
        .set_nonce(Some(Nonce::new(self.nonce.clone())));
        TestIdToken::new(
            claims,
            &key(self.key),
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            None,
            None,
        )
        .unwrap()
        .to_string()
    }
}

async fn console(idp: &Idp, local_login: bool) -> TestApp {
    let issuer = idp.base.clone();
    TestApp::spawn_with(move |config| {
        let vars: HashMap<&str, String> = HashMap::from([
            ("CONSOLE_PUBLIC_URL", "http://127.0.0.1:1".to_owned()),
            ("CONSOLE_OIDC_ISSUER", issuer),
            ("CONSOLE_OIDC_CLIENT_ID", CLIENT_ID.into()),
            ("CONSOLE_OIDC_CLIENT_SECRET", CLIENT_SECRET.into()),
            ("CONSOLE_OIDC_SCOPES", "groups".into()),
            ("CONSOLE_OIDC_ADMIN_GROUPS", "dis-admins".into()),
            ("CONSOLE_OIDC_OPERATOR_GROUPS", "dis-operators".into()),
            ("CONSOLE_OIDC_VIEWER_GROUPS", "everyone".into()),
            ("CONSOLE_OIDC_DISPLAY_NAME", "Corp SSO".into()),
            (
                "CONSOLE_LOCAL_LOGIN",
                if local_login { "on" } else { "off" }.into(),
            ),
        ]);
        let signing_on = server::config::Config::from_lookup(|v| Ok(vars.get(v).cloned())).unwrap();
        config.sign_on = signing_on.sign_on;
        config.local_login = signing_on.local_login;
    })
    .await
}

/// Starts a sign-on with `client`: the provider's authorization request, read from the
/// redirect.
async fn start(app: &TestApp, idp: &Idp, client: &reqwest::Client, next: &str) -> Authorize {
    let r = client
        .get(app.url(&format!(
            "/auth/login?next={}",
            crate::common::urlencode(next)
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let location = url::Url::parse(r.headers()["location"].to_str().unwrap()).unwrap();
    assert!(
        location
            .as_str()
            .starts_with(&format!("{}/authorize?", idp.base)),
        "{location}"
    );
    let params: HashMap<String, String> = location.query_pairs().into_owned().collect();
    idp.script.lock().unwrap().challenge = params.get("code_challenge").cloned();
    Authorize {
        state: params["state"].clone(),
        nonce: params["nonce"].clone(),
        params,
    }
}

/// The browser's return from the provider with `code` and `state`, after the provider was
/// told to answer that code with `token`.
async fn come_back(
    app: &TestApp,
    idp: &Idp,
    client: &reqwest::Client,
    state: &str,
    token: Option<String>,
) -> reqwest::Response {
    if let Some(token) = token {
        idp.script.lock().unwrap().code = Some(("the-code".into(), token));
    }
    client
        .get(app.url(&format!(
            "/auth/callback?code=the-code&state={}",
            crate::common::urlencode(state)
        )))
        .send()
        .await
        .unwrap()
}

/// The refusal code and request id a refused sign-on sends the browser to the login page with.
fn refusal(r: &reqwest::Response) -> (String, String) {
    assert_eq!(r.status(), 303, "a refusal goes to the login page");
    let location = r.headers()["location"].to_str().unwrap();
    let url = url::Url::parse(&format!("http://x{location}")).unwrap();
    assert_eq!(url.path(), "/login");
    let q: HashMap<String, String> = url.query_pairs().into_owned().collect();
    (q["sso"].clone(), q["request"].clone())
}

/// What the server function `name`, without arguments, answers `client`.
async fn call(app: &TestApp, client: &reqwest::Client, name: &str) -> Value {
    let r = client
        .post(app.url(&format!("/api/{name}")))
        .send()
        .await
        .unwrap();
    r.json().await.unwrap()
}

/// What `whoami` answers `client`: who its session is for, and how to log in.
async fn session_of(app: &TestApp, client: &reqwest::Client) -> Value {
    call(app, client, "whoami").await
}

/// Who `client`'s session is for (`null` without one).
async fn whoami(app: &TestApp, client: &reqwest::Client) -> Value {
    session_of(app, client).await["me"].clone()
}

/// Signs `groups` on through `browser`, start to finish: the callback's status.
async fn sign_on(app: &TestApp, idp: &Idp, browser: &reqwest::Client, groups: &[&str]) -> u16 {
    let auth = start(app, idp, browser, "/").await;
    let token = Token::new(idp, &auth, groups).sign();
    let back = come_back(app, idp, browser, &auth.state, Some(token)).await;
    back.status().as_u16()
}

#[tokio::test]
async fn a_sign_on_gives_the_role_of_the_groups_and_logout_goes_to_the_provider() {
    let idp = Idp::start().await;
    let app = console(&idp, true).await;
    let browser = app.new_client();
    // Started under another of the console's names, a sign-on first moves to the public URL,
    // once.
    let port = url::Url::parse(&app.base).unwrap().port().unwrap();
    let as_localhost = |path: &str| {
        browser
            .get(app.url(path))
            .header("host", format!("localhost:{port}"))
            .send()
    };
    let elsewhere = as_localhost("/auth/login?next=/streams").await.unwrap();
    assert_eq!(elsewhere.status(), 303);
    assert_eq!(
        elsewhere.headers()["location"],
        app.url("/auth/login?next=%2Fstreams&moved=1").as_str()
    );
    let moved = as_localhost("/auth/login?next=/&moved=1").await.unwrap();
    let to = moved.headers()["location"].to_str().unwrap();
    assert!(to.starts_with(&idp.base), "no second move: {to}");

    let auth = start(&app, &idp, &browser, "/streams?x=1").await;
    // The authorization request: code flow with S256 PKCE, the scopes, this console's
    // callback.
    assert_eq!(auth.params["response_type"], "code");
    assert_eq!(auth.params["client_id"], CLIENT_ID);
    assert_eq!(auth.params["code_challenge_method"], "S256");
    assert_eq!(auth.params["redirect_uri"], app.url("/auth/callback"));
    let scopes: Vec<&str> = auth.params["scope"].split(' ').collect();
    for s in ["openid", "profile", "email", "groups"] {
        assert!(scopes.contains(&s), "{scopes:?}");
    }

    let token = Token::new(&idp, &auth, &["everyone", "dis-operators"]).sign();
    let back = come_back(&app, &idp, &browser, &auth.state, Some(token)).await;
    assert_eq!(back.status(), 200);
    assert!(
        idp.script.lock().unwrap().client_authenticated,
        "the client secret was sent"
    );
    let cleared = back
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap().starts_with("dis-console-sign-on=;"));
    assert!(cleared, "the pre-login cookie is cleared");
    let page = back.text().await.unwrap();
    assert!(
        page.contains("http-equiv=\"refresh\" content=\"0;url=/streams?x=1\""),
        "{page}"
    );
    assert_eq!(
        whoami(&app, &browser).await,
        json!({"name": "ada", "role": "Operator"})
    );

    // The Operators page lists them with where they sign in.
    use app::ports::Accounts;
    let listed = app.accounts.operators().await.unwrap();
    let ada = listed.iter().find(|o| o.name == "ada").unwrap();
    let who = ada.sign_on.as_ref().unwrap();
    assert_eq!(
        (who.subject.as_str(), who.display_name.as_str()),
        ("sub-ada", "Ada Lovelace")
    );
    assert!(ada.last_login_ms.is_some());
    // The audit line carries the display name and the subject.
    let lines = app.accounts_audit(&AuditQuery::newest("ada")).await;
    assert_eq!(lines[0].action, app::domain::AuditAction::Login);
    assert_eq!(lines[0].identity.as_ref(), Some(who));

    // The same callback again is refused: the sign-on was taken once.
    let replay = come_back(&app, &idp, &browser, &auth.state, None).await;
    assert_eq!(refusal(&replay).0, "expired");

    // At the next sign-on their groups say admin: so does their role.
    assert_eq!(sign_on(&app, &idp, &browser, &["dis-admins"]).await, 200);
    assert_eq!(whoami(&app, &browser).await["role"], "Admin");

    // Logout ends the console session and sends the browser to the provider's logout.
    let out = call(&app, &browser, "logout").await;
    let out = url::Url::parse(out.as_str().unwrap()).unwrap();
    assert!(
        out.as_str().starts_with(&format!("{}/logout?", idp.base)),
        "{out}"
    );
    let q: HashMap<String, String> = out.query_pairs().into_owned().collect();
    assert_eq!(q["post_logout_redirect_uri"], app.url("/login"));
    assert_eq!(q["client_id"], CLIENT_ID);
    assert_eq!(q["id_token_hint"].split('.').count(), 3);
    assert_eq!(whoami(&app, &browser).await, Value::Null);
    // A local operator's logout goes to the login page.
    assert_eq!(call(&app, &app.client, "logout").await, json!("/login"));
}

#[tokio::test]
async fn id_tokens_that_fail_a_check_are_refused() {
    let idp = Idp::start().await;
    let app = console(&idp, true).await;
    type Wrong = fn(&mut Token);
    let wrong: [(&str, Wrong); 6] = [
        ("another audience", |t| t.audience = "another-client".into()),
        ("another issuer", |t| {
            t.issuer = "http://127.0.0.1:9/elsewhere".into()
        }),
        ("another nonce", |t| t.nonce = "not-the-nonce".into()),
        ("expired past the skew", |t| t.expires_in = -90),
        ("issued in the future past the skew", |t| t.issued_in = 120),
        ("signed by another key", |t| {
            t.key = "oidc-test-other-key.pem"
        }),
    ];
    for (what, make_wrong) in wrong {
        let browser = app.new_client();
        let auth = start(&app, &idp, &browser, "/").await;
        let mut token = Token::new(&idp, &auth, &["dis-admins"]);
        make_wrong(&mut token);
        let back = come_back(&app, &idp, &browser, &auth.state, Some(token.sign())).await;
        let (code, request) = refusal(&back);
        assert_eq!(code, "unverified", "{what}");
        assert_eq!(whoami(&app, &browser).await, Value::Null, "{what}");
        // The refusal is audited under the request id the login page shows.
        let query = AuditQuery {
            outcome: Some(app::domain::AuditOutcome::Refused),
            ..AuditQuery::newest("(unknown)")
        };
        let lines = app.accounts_audit(&query).await;
        assert_eq!(lines[0].request_id, request, "{what}");
    }
    // Clocks may differ by up to a minute: a token that expired 30 s ago passes.
    let browser = app.new_client();
    let auth = start(&app, &idp, &browser, "/").await;
    let mut token = Token::new(&idp, &auth, &["everyone"]);
    token.expires_in = -30;
    let back = come_back(&app, &idp, &browser, &auth.state, Some(token.sign())).await;
    assert_eq!(back.status(), 200);
    assert_eq!(whoami(&app, &browser).await["role"], "Viewer");
}

#[tokio::test]
async fn a_tampered_state_a_denial_no_role_and_a_disabled_operator_are_refused() {
    let idp = Idp::start().await;
    let app = console(&idp, true).await;

    let browser = app.new_client();
    let auth = start(&app, &idp, &browser, "/").await;
    let token = Token::new(&idp, &auth, &["dis-admins"]).sign();
    let tampered = format!("{}x", auth.state);
    let back = come_back(&app, &idp, &browser, &tampered, Some(token)).await;
    assert_eq!(refusal(&back).0, "mismatch");
    assert_eq!(whoami(&app, &browser).await, Value::Null);

    // Another browser, without this one's pre-login cookie, cannot use its state.
    let auth = start(&app, &idp, &browser, "/").await;
    let token = Token::new(&idp, &auth, &["dis-admins"]).sign();
    let stranger = app.new_client();
    let back = come_back(&app, &idp, &stranger, &auth.state, Some(token)).await;
    assert_eq!(refusal(&back).0, "expired");

    let auth = start(&app, &idp, &browser, "/").await;
    let denied = browser
        .get(app.url(&format!(
            "/auth/callback?error=access_denied&error_description=no&state={}",
            crate::common::urlencode(&auth.state)
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(refusal(&denied).0, "denied");

    // Groups that map to no role: refused, with the person's identity in the audit line.
    let auth = start(&app, &idp, &browser, "/").await;
    let token = Token::new(&idp, &auth, &["finance"]).sign();
    let back = come_back(&app, &idp, &browser, &auth.state, Some(token)).await;
    assert_eq!(refusal(&back).0, "no-role");
    let line = &app
        .accounts_audit(&AuditQuery::newest("Ada Lovelace"))
        .await[0];
    assert_eq!(line.identity.as_ref().unwrap().subject, "sub-ada");

    // Without groups in the ID token, user info gives them.
    idp.script.lock().unwrap().user_info_groups = Some(vec!["dis-operators".into()]);
    let auth = start(&app, &idp, &browser, "/").await;
    let mut token = Token::new(&idp, &auth, &[]);
    token.groups = None;
    let back = come_back(&app, &idp, &browser, &auth.state, Some(token.sign())).await;
    assert_eq!(back.status(), 200);
    assert_eq!(whoami(&app, &browser).await["role"], "Operator");

    // An admin disables them: the next sign-on is refused.
    use app::ports::{Accounts, OperatorChange};
    app.accounts
        .change_operator("ada", OperatorChange::SetDisabled(true))
        .await
        .unwrap()
        .unwrap();
    let other = app.new_client();
    let auth = start(&app, &idp, &other, "/").await;
    let token = Token::new(&idp, &auth, &["dis-admins"]).sign();
    let back = come_back(&app, &idp, &other, &auth.state, Some(token)).await;
    assert_eq!(refusal(&back).0, "disabled");
    assert_eq!(
        whoami(&app, &browser).await,
        Value::Null,
        "their session ended too"
    );
}

#[tokio::test]
async fn with_local_logins_off_only_the_provider_signs_in() {
    let idp = Idp::start().await;
    let app = console(&idp, false).await;
    let options = session_of(&app, &app.anonymous).await;
    assert_eq!(
        options["sign_in"],
        json!({"provider": "Corp SSO", "local": false})
    );
    let r = app
        .try_login(&app.anonymous, "admin", crate::common::ADMIN_PASSWORD)
        .await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("turned off"));
    let browser = app.new_client();
    assert_eq!(sign_on(&app, &idp, &browser, &["dis-admins"]).await, 200);
    assert_eq!(whoami(&app, &browser).await["role"], "Admin");
}

#[tokio::test]
async fn an_unreachable_provider_is_a_plain_refusal_and_local_logins_still_work() {
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let idp = Idp {
        base: format!("http://{}", closed.local_addr().unwrap()),
        script: Arc::default(),
    };
    drop(closed);
    let app = console(&idp, true).await;
    let r = app
        .anonymous
        .get(app.url("/auth/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(refusal(&r).0, "unreachable");
    assert_eq!(whoami(&app, &app.client).await["role"], "Admin");
    assert_eq!(
        session_of(&app, &app.anonymous).await,
        json!({"me": null, "sign_in": {"provider": "Corp SSO", "local": true}})
    );
    // Without a provider configured, there is no /auth.
    let plain = TestApp::spawn().await;
    assert_eq!(
        plain
            .anonymous
            .get(plain.url("/auth/login"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}
