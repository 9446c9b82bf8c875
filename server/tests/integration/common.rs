//! Starting the real router on port 0 for integration tests.

#![allow(dead_code)]

use dis_backend::BackendHandle;
use server::{
    config::Config,
    connect::{self, Connection},
    http::{self as web, AppState},
};
use std::path::Path;
use tempfile::TempDir;

/// A new JSON stream of `partitions` partitions, through `dis`.
pub async fn json_stream(
    dis: &server::dis::DisClient,
    name: &str,
    partitions: u32,
) -> app::domain::StreamName {
    dis.create_stream(&app::domain::dis::CreateStreamRequest {
        stream_name: name.into(),
        partition_count: partitions,
        stream_type: None,
        data_type: Some("JSON".into()),
        data_duration: None,
        ..Default::default()
    })
    .await
    .unwrap();
    app::domain::StreamName::parse(name).unwrap()
}

/// A put of `records` into `stream`: each record's text (base64-encoded here) with its
/// partition, or `None` for DIS's round robin.
pub fn put_request<T: AsRef<[u8]>>(
    stream: &str,
    records: impl IntoIterator<Item = (Option<&'static str>, T)>,
) -> app::domain::dis::PutRecordsRequest {
    use base64::Engine;
    app::domain::dis::PutRecordsRequest {
        stream_name: stream.to_owned(),
        stream_id: None,
        records: records
            .into_iter()
            .map(|(partition, data)| app::domain::dis::PutRecord {
                data: base64::engine::general_purpose::STANDARD.encode(data),
                partition_key: None,
                partition_id: partition.map(str::to_owned),
                explicit_hash_key: None,
                timestamp: None,
            })
            .collect(),
    }
}

/// The first admin's password in every test console.
pub const ADMIN_PASSWORD: &str = "test admin password";

pub struct TestApp {
    pub base: String,
    pub site_root: TempDir,
    pub data_dir: TempDir,
    /// Logged in as `admin`.
    pub client: reqwest::Client,
    /// No session.
    pub anonymous: reqwest::Client,
    pub accounts: std::sync::Arc<server::accounts::Store>,
    /// The signed DIS client the console uses, for set-up and checks beside it.
    pub dis: std::sync::Arc<server::dis::DisClient>,
    /// The certificate an https test console serves, trusted by its clients.
    pub root: Option<reqwest::Certificate>,
    /// The embedded DIS backend the console talks to.
    pub backend: Option<BackendHandle>,
    /// The OBS reader the console uses.
    pub obs: app::ports::Obs,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    pub served: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl TestApp {
    /// The console with default configuration, an empty site root and a fresh data directory.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let site_root = tempfile::tempdir().unwrap();
        let data_dir = tempfile::tempdir().unwrap();
        let mut config = Config::from_lookup(|_| Ok(None)).unwrap();
        config.site_addr = "127.0.0.1:0".parse().unwrap();
        config.site_root = site_root.path().into();
        config.data_dir = data_dir.path().into();
        config.admin_password = Some(secrecy::SecretString::from(ADMIN_PASSWORD));
        // Tests send the records they count; a test that wants demo traffic turns it on.
        config.demo_traffic = false;
        adjust(&mut config);
        let accounts = server::accounts::open_all(&config.data_dir, config.admin_password.as_ref())
            .await
            .unwrap();

        let listener = tokio::net::TcpListener::bind(config.site_addr)
            .await
            .unwrap();
        config.site_addr = listener.local_addr().unwrap();
        let scheme = if config.tls.is_some() {
            "https"
        } else {
            "http"
        };
        let base = format!("{scheme}://{}", listener.local_addr().unwrap());
        // A test certificate is trusted by the test's clients, and only by them.
        let root = config.tls.as_ref().map(|files| {
            reqwest::Certificate::from_pem(&std::fs::read(&files.cert).unwrap()).unwrap()
        });
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let Connection {
            client: dis,
            backend,
            obs,
        } = connect::connect(&config).await.unwrap();
        let signed = dis.clone();
        // A console that signs on through a provider is reached at the address it listens on.
        if let Some(sign_on) = config.sign_on.as_mut() {
            let public = url::Url::parse(&base).unwrap();
            sign_on.start_url = public.join("/auth/login").unwrap();
            sign_on.redirect_url = public.join("/auth/callback").unwrap();
            sign_on.after_logout_url = public.join("/login").unwrap();
            config.public_url = Some(public);
        }
        let mut state = AppState::new(&config, dis, &accounts).with_obs(obs.clone());
        if let Some(settings) = &config.sign_on {
            let provider = server::sign_on::SignOn::new(settings.clone()).unwrap();
            state = state.with_sign_on(std::sync::Arc::new(provider));
        }
        let router = web::router(state);
        let shutdown = async {
            let _ = rx.await;
        };
        let served = match &config.tls {
            Some(files) => tokio::spawn(web::serve_tls(
                listener,
                router,
                shutdown,
                web::tls_config(files).unwrap(),
            )),
            None => tokio::spawn(web::serve(listener, router, shutdown)),
        };
        let mut app = TestApp {
            base,
            site_root,
            data_dir,
            client: client(root.as_ref()),
            anonymous: client(root.as_ref()),
            root,
            accounts: accounts.store.clone(),
            dis: signed,
            backend,
            obs,
            shutdown: Some(tx),
            served,
        };
        if config.local_login {
            app.client = app.login("admin", ADMIN_PASSWORD).await;
        }
        app
    }

    /// Posts a form-encoded body to a server function as `admin`: the status and the JSON answer
    /// (or the text, when it is not JSON).
    pub async fn post_form(&self, path: &str, body: String) -> (u16, serde_json::Value) {
        self.post_as("application/x-www-form-urlencoded", path, body)
            .await
    }

    /// [`TestApp::post_form`] with any content type.
    pub async fn post_as(
        &self,
        content_type: &str,
        path: &str,
        body: String,
    ) -> (u16, serde_json::Value) {
        let r = self
            .client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
        )
    }

    /// A client logged in as `name`; panics when the login is refused.
    pub async fn login(&self, name: &str, password: &str) -> reqwest::Client {
        let client = client(self.root.as_ref());
        let r = self.try_login(&client, name, password).await;
        assert_eq!(
            r.status(),
            200,
            "login as {name}: {}",
            r.text().await.unwrap()
        );
        client
    }

    /// A client with no session that trusts this console's certificate.
    pub fn new_client(&self) -> reqwest::Client {
        client(self.root.as_ref())
    }

    /// Posts the login form with `client`.
    pub async fn try_login(
        &self,
        client: &reqwest::Client,
        name: &str,
        password: &str,
    ) -> reqwest::Response {
        client
            .post(self.url("/api/login"))
            .form(&[("name", name), ("password", password), ("next", "/")])
            .send()
            .await
            .unwrap()
    }

    /// A client logged in as a new operator with `role`.
    pub async fn client_as(&self, role: app::domain::Role) -> reqwest::Client {
        let (name, password) = self.add_operator(role).await;
        self.login(&name, &password).await
    }

    /// A new operator with `role`: their name and password.
    pub async fn add_operator(&self, role: app::domain::Role) -> (String, String) {
        use app::ports::{Accounts, OperatorChange};
        let name = format!("{}-{}", role.as_str(), uuid::Uuid::new_v4().simple());
        let name = name[..name.len().min(32)].to_owned();
        let password = "a password for tests";
        self.accounts
            .change_operator(
                &name,
                OperatorChange::Add {
                    name: name.clone(),
                    role,
                    password: secrecy::SecretString::from(password),
                },
            )
            .await
            .unwrap()
            .unwrap();
        (name, password.to_owned())
    }

    /// A part of a page as `client` asks for it (with its session and role): the status and
    /// the body.
    pub async fn part_as(
        &self,
        client: &reqwest::Client,
        part: serde_json::Value,
    ) -> (u16, String) {
        let answer = client
            .post(self.url("/api/get_part"))
            .json(&serde_json::json!({ "part": part }))
            .send()
            .await
            .unwrap();
        (answer.status().as_u16(), answer.text().await.unwrap())
    }

    /// The newest audit lines that match `query`.
    pub async fn accounts_audit(
        &self,
        query: &app::domain::audit::AuditQuery,
    ) -> Vec<app::domain::AuditEntry> {
        use app::ports::Accounts;
        self.accounts.audit(query, 10).await.unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A new JSON stream of one partition in the embedded DIS.
    pub async fn json_stream(&self, name: &str) -> app::domain::StreamName {
        json_stream(&self.dis, name, 1).await
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// A GET with one request header, as a browser revalidating or negotiating would send.
    pub async fn get_with(&self, path: &str, name: &str, value: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header(name, value)
            .send()
            .await
            .unwrap()
    }

    pub fn shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A form value, encoded as a browser would.
pub fn urlencode(s: &str) -> String {
    app::url::percent_encode(s, b"")
}

fn client(root: Option<&reqwest::Certificate>) -> reqwest::Client {
    // A test that waits on an answer fails after a minute instead of holding the suite.
    let mut builder = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true);
    if let Some(root) = root {
        builder = builder.add_root_certificate(root.clone());
    }
    builder.build().unwrap()
}

/// Puts stand-ins for the compiled bundle where the site root should have them.
pub fn write_site_assets(root: &Path) {
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    for ext in ["js", "wasm", "css"] {
        std::fs::write(
            pkg.join(format!("{}.{ext}", app::OUTPUT_NAME)),
            b"/* test */",
        )
        .unwrap();
    }
}

/// A rendered page's HTML without the empty `<!>` comments Leptos places between text nodes
/// for hydration, so tests can look for `<h1>Overview</h1>`.
pub async fn page_text(response: reqwest::Response) -> String {
    response.text().await.unwrap().replace("<!>", "")
}
