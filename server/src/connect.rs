//! The DIS the console talks to: a remote endpoint with the configured credentials, or, when
//! `DIS_ENDPOINT` is unset, the embedded backend started in-process on a loopback port with
//! `DIS_AK`/`DIS_SK` when given, or credentials generated for this run. Either way the console goes through the same signed
//! client, so the demo path is the production path.

use crate::config::{Config, Credentials};
use crate::dis::token::{IamTokens, TokenSource};
use crate::dis::{Auth, ClientConfig, DisClient, Limits};
use dis_backend::{BackendConfig, BackendHandle};
use rand::distr::{Alphanumeric, SampleString};
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;

pub struct Connection {
    pub client: Arc<DisClient>,
    /// The embedded backend, when the console runs one.
    pub backend: Option<BackendHandle>,
}

/// Where the embedded backend keeps its state, under the console's data directory.
pub fn embedded_data_dir(config: &Config) -> std::path::PathBuf {
    config.data_dir.join("dis")
}

pub async fn connect(config: &Config) -> Result<Connection, String> {
    match &config.dis {
        Some(remote) => {
            let auth = match &remote.credentials {
                Credentials::AkSk(keys) => Auth::AkSk {
                    ak: keys.ak.clone(),
                    sk: keys.sk.clone(),
                },
                Credentials::Token(token) => Auth::Token(TokenSource::Fixed(token.clone())),
                Credentials::Iam(login) => Auth::Token(TokenSource::Iam(IamTokens::new(
                    login.endpoint.clone(),
                    login.domain.clone(),
                    login.user.clone(),
                    login.password.clone(),
                    remote.project_id.clone(),
                ))),
            };
            let client = DisClient::new(ClientConfig {
                endpoint: remote.endpoint.clone(),
                project_id: remote.project_id.clone(),
                auth,
                limits: Limits {
                    request_timeout: config.dis_timeout,
                    ..Limits::default()
                },
            })?;
            Ok(Connection {
                client: Arc::new(client),
                backend: None,
            })
        }
        None => {
            let mut rng = rand::rng();
            let (ak, sk) = match &config.embedded_keys {
                Some(keys) => (
                    keys.ak.expose_secret().to_string(),
                    SecretString::from(keys.sk.expose_secret().to_string()),
                ),
                None => (
                    Alphanumeric
                        .sample_string(&mut rng, 20)
                        .to_ascii_uppercase(),
                    SecretString::from(Alphanumeric.sample_string(&mut rng, 40)),
                ),
            };
            let project_id = format!("{:032x}", rand::random::<u128>());
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .map_err(|e| format!("cannot open a loopback port for the embedded DIS: {e}"))?;
            let backend = dis_backend::start(
                BackendConfig {
                    access_key: ak.clone(),
                    secret_key: SecretString::from(sk.expose_secret().to_string()),
                    project_id: project_id.clone(),
                    tokens: Vec::new(),
                    iam_users: Vec::new(),
                    data_dir: embedded_data_dir(config),
                    time_zone: config.time_zone,
                    seed_demo: true,
                    demo_traffic: config.demo_traffic,
                    fault_dir: config.backend_fault_dir.clone(),
                },
                listener,
            )
            .await
            .map_err(|e| format!("cannot start the embedded DIS: {e}"))?;
            let client = DisClient::new(ClientConfig {
                endpoint: backend.endpoint(),
                project_id,
                auth: Auth::AkSk {
                    ak: SecretString::from(ak),
                    sk,
                },
                limits: Limits {
                    request_timeout: config.dis_timeout,
                    ..Limits::default()
                },
            })?;
            tracing::info!(endpoint = %backend.endpoint(), "embedded DIS backend started");
            Ok(Connection {
                client: Arc::new(client),
                backend: Some(backend),
            })
        }
    }
}
