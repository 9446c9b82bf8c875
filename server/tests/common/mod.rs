//! Starting the real router on port 0 for integration tests.

#![allow(dead_code)]

use server::{
    config::Config,
    connect::{self, Connection},
    dis_backend::BackendHandle,
    web::{self, AppState},
};
use std::path::Path;
use tempfile::TempDir;

pub struct TestApp {
    pub base: String,
    pub site_root: TempDir,
    pub data_dir: TempDir,
    pub client: reqwest::Client,
    /// The embedded DIS backend the console talks to.
    pub backend: Option<BackendHandle>,
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
        adjust(&mut config);

        let listener = tokio::net::TcpListener::bind(config.site_addr)
            .await
            .unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let Connection {
            client: dis,
            backend,
        } = connect::connect(&config).await.unwrap();
        let router = web::router(AppState::new(&config, dis));
        let served = tokio::spawn(web::serve(listener, router, async {
            let _ = rx.await;
        }));
        TestApp {
            base,
            site_root,
            data_dir,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            backend,
            shutdown: Some(tx),
            served,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
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
