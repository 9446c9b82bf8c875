//! What the benchmark programs share: the embedded backend alone with a signed client, and a
//! logged-in session on a console.

#![allow(dead_code)]

use app::domain::ZoneOffset;
use dis_backend::{BackendConfig, BackendHandle};
use secrecy::SecretString;
use server::dis::{Auth, ClientConfig, DisClient, Limits};

const AK: &str = "BENCHACCESSKEY000001";
const SK: &str = "bench-secret-key";
const PROJECT: &str = "0123456789abcdef0123456789abcdef";

/// The embedded backend on a loopback port, with data in `data`, no demo streams and no demo
/// traffic, and the signed client the console would use against it.
pub async fn backend(data: std::path::PathBuf) -> (BackendHandle, DisClient) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let backend = dis_backend::start(
        BackendConfig {
            access_key: AK.into(),
            secret_key: SecretString::from(SK),
            project_id: PROJECT.into(),
            tokens: Vec::new(),
            iam_users: Vec::new(),
            data_dir: data,
            time_zone: ZoneOffset::UTC_PLUS_8,
            seed_demo: false,
            demo_traffic: false,
            fault_dir: None,
            partition_quota: Default::default(),
        },
        listener,
        tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind"),
    )
    .await
    .expect("backend");
    let client = DisClient::new(ClientConfig {
        endpoint: backend.endpoint(),
        project_id: PROJECT.into(),
        auth: Auth::AkSk {
            ak: SecretString::from(AK),
            sk: SecretString::from(SK),
        },
        limits: Limits::default(),
    })
    .expect("client");
    (backend, client)
}

/// The admin password of the consoles [`console`] starts.
pub const PASSWORD: &str = "bench admin password";

/// A console in-process on a loopback port, its data under `data`, in front of `dis`
/// (`adjust` changes its configuration first): its base URL and a client logged in as admin.
pub async fn console(
    data: std::path::PathBuf,
    dis: std::sync::Arc<DisClient>,
    adjust: impl FnOnce(&mut server::config::Config),
) -> (String, reqwest::Client) {
    use server::{accounts, config::Config, http as web};
    let mut config = Config::from_lookup(|_| Ok(None)).expect("defaults");
    config.site_addr = "127.0.0.1:0".parse().expect("address");
    config.data_dir = data;
    config.admin_password = Some(SecretString::from(PASSWORD));
    adjust(&mut config);
    let opened = accounts::open_all(&config.data_dir, config.admin_password.as_ref())
        .await
        .expect("database");
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .expect("bind");
    config.site_addr = listener.local_addr().expect("address");
    let router = web::router(web::AppState::new(&config, dis, &opened));
    let base = format!("http://{}", config.site_addr);
    tokio::spawn(web::serve(listener, router, std::future::pending()));
    let http = logged_in(&base, PASSWORD).await;
    (base, http)
}

/// A client logged in to the console at `base` as admin.
pub async fn logged_in(base: &str, password: &str) -> reqwest::Client {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let login = http
        .post(format!("{base}/api/login"))
        .form(&[("name", "admin"), ("password", password), ("next", "/")])
        .send()
        .await
        .expect("login");
    assert!(login.status().is_success(), "login refused");
    http
}

/// The `p`th percentile of sorted durations, in milliseconds.
pub fn percentile(sorted: &[std::time::Duration], p: usize) -> f64 {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)].as_secs_f64() * 1000.0
}
