//! The DIS the console talks to: a remote endpoint with the configured credentials, or, when
//! `DIS_ENDPOINT` is unset, the embedded backend started in-process on a loopback port with
//! `DIS_AK`/`DIS_SK` when given, or credentials generated for this run. Either way the console goes through the same signed
//! client, so the demo path is the production path.

use crate::config::{Config, Credentials};
use crate::dis::token::{IamTokens, TokenSource};
use crate::dis::{Auth, ClientConfig, DisClient, Limits};
use crate::obs::{ObsClient, ObsConfig};
use dis_backend::{BackendConfig, BackendHandle};
use rand::distr::{Alphanumeric, SampleString};
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;

pub struct Connection {
    pub client: Arc<DisClient>,
    /// The OBS reader, or why there is none.
    pub obs: app::ports::Obs,
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
            let obs = match &remote.credentials {
                Credentials::AkSk(keys) => remote_obs(config, &remote.region, keys),
                Credentials::Token(_) | Credentials::Iam(_) => Err(
                    "Listing files needs an access key: the console signs OBS requests with \
                     DIS_AK and DIS_SK, and it is signing in to DIS with a token."
                        .to_owned(),
                ),
            };
            Ok(Connection {
                client: Arc::new(client),
                obs: app::ports::Obs::new(obs),
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
            let bind = || async {
                tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .map_err(|e| format!("cannot open a loopback port for the embedded DIS: {e}"))
            };
            let (listener, obs_listener) = (bind().await?, bind().await?);
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
                    partition_quota: config.partition_quota,
                },
                listener,
                obs_listener,
            )
            .await
            .map_err(|e| format!("cannot start the embedded DIS: {e}"))?;
            let obs = ObsClient::new(ObsConfig {
                endpoint: config
                    .obs
                    .endpoint
                    .clone()
                    .unwrap_or_else(|| backend.obs_endpoint()),
                path_style: config.obs.path_style.unwrap_or(true),
                region: crate::http::router::EMBEDDED_REGION.to_owned(),
                access_key: SecretString::from(ak.clone()),
                secret_key: SecretString::from(sk.expose_secret().to_string()),
                limits: limits(config),
            })?;
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
            tracing::info!(
                endpoint = %backend.obs_endpoint(),
                "OBS endpoint listening on {}",
                backend.obs_endpoint()
            );
            Ok(Connection {
                client: Arc::new(client),
                obs: app::ports::Obs::new(Ok(Arc::new(obs))),
                backend: Some(backend),
            })
        }
    }
}

/// The limits of DIS calls, which OBS reads share.
fn limits(config: &Config) -> Limits {
    Limits {
        request_timeout: config.dis_timeout,
        ..Limits::default()
    }
}

/// The OBS of the region DIS is in (or `OBS_ENDPOINT`), signed with the console's key pair.
fn remote_obs(
    config: &Config,
    region: &str,
    keys: &crate::config::AkSk,
) -> Result<Arc<dyn app::ports::ObsPort>, String> {
    let endpoint = config
        .obs
        .endpoint
        .clone()
        .unwrap_or_else(|| format!("https://obs.{region}.myhuaweicloud.com"));
    let client = ObsClient::new(ObsConfig {
        endpoint,
        path_style: config.obs.path_style.unwrap_or(false),
        region: region.to_owned(),
        access_key: SecretString::from(keys.ak.expose_secret().to_string()),
        secret_key: SecretString::from(keys.sk.expose_secret().to_string()),
        limits: limits(config),
    })?;
    Ok(Arc::new(client))
}
