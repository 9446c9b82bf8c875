//! Typed configuration, read once from the environment at start-up.
//!
//! Every problem is reported with the name of the variable to fix. Values of secret variables
//! (`DIS_AK`, `DIS_SK`) are never echoed, in errors or in `Debug`.

use app::api::status::{ConsoleStatus, DisTargetSummary, ExportInfo};
use app::domain::stream::PartitionQuota;
use app::domain::ZoneOffset;
use secrecy::SecretString;
use std::{fmt, net::SocketAddr, path::PathBuf};

mod sign_on;
mod values;
pub use sign_on::SignOnSettings;
use values::{
    credentials, parse_access_key, parse_endpoint, parse_project_id, parse_public_url,
    parse_region, positive, require,
};

pub const DEFAULT_SITE_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_SITE_ROOT: &str = "target/site";
pub const DEFAULT_DATA_DIR: &str = "./data";

#[derive(Debug)]
pub struct Config {
    /// `LEPTOS_SITE_ADDR`: where the console listens.
    pub site_addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT`: the folder cargo-leptos writes the compiled site to.
    pub site_root: PathBuf,
    /// `CONSOLE_DATA_DIR`: where the console keeps its state.
    pub data_dir: PathBuf,
    /// `LOG_FORMAT`: `text` (default) or `json`.
    pub log_format: LogFormat,
    /// `RUST_LOG`: a tracing filter, `info` when unset.
    pub log_filter: String,
    /// `DIS_*`: the DIS service to manage; `None` means the embedded backend.
    pub dis: Option<RemoteDis>,
    /// `DIS_TIME_ZONE`: the zone assumed for time directories. Defaults to UTC+8 for the `cn-*`
    /// regions and the embedded backend, UTC elsewhere.
    pub time_zone: ZoneOffset,
    /// `DIS_BACKEND_FAULT_DIR`: a folder the embedded backend reads fault files from (browser
    /// tests; see `dis_backend::faults`).
    pub backend_fault_dir: Option<PathBuf>,
    /// `CONSOLE_ADMIN_PASSWORD`: the password of the `admin` operator created at the first
    /// start; without it one is generated and printed once.
    pub admin_password: Option<SecretString>,
    /// `CONSOLE_PUBLIC_URL`: the address operators open, when a TLS-terminating proxy serves
    /// the console. Its scheme decides `Secure` cookies and HSTS; its origin is the only one
    /// state-changing requests may come from.
    pub public_url: Option<url::Url>,
    /// `DIS_AK` and `DIS_SK` without `DIS_ENDPOINT`: the keys the embedded backend accepts (and
    /// the console signs with), so scripts exported from the console can run against it;
    /// unset, a pair is generated for each run.
    pub embedded_keys: Option<AkSk>,
    /// `DIS_TIMEOUT_SECONDS` (default 20): how long one DIS call may take.
    pub dis_timeout: std::time::Duration,
    /// `CONSOLE_TLS_CERT` and `CONSOLE_TLS_KEY`: PEM files; with both set the console serves
    /// https itself.
    pub tls: Option<TlsFiles>,
    /// `CONSOLE_SESSION_IDLE_MINUTES` (default 30): a session ends after this long unused.
    pub session_idle: std::time::Duration,
    /// `CONSOLE_SESSION_MAX_HOURS` (default 12): a session ends this long after its login.
    pub session_max: std::time::Duration,
    /// `CONSOLE_ALLOWED_HOSTS`: more names the console answers to in `Host` (`name` for any
    /// port, `name:port` for one), beside the public URL's, the loopback names and the listen
    /// address.
    pub allowed_hosts: Vec<String>,
    /// `CONSOLE_TRUSTED_PROXIES`: the reverse proxies (addresses or CIDR blocks) whose
    /// `X-Forwarded-For` names the client; from any other peer the header is ignored.
    pub trusted_proxies: crate::http::proxies::TrustedProxies,
    /// `CONSOLE_OVERVIEW_REFRESH_SECONDS` (default 30): how often the overview is read from DIS
    /// in the background.
    pub overview_refresh: std::time::Duration,
    /// `CONSOLE_DEMO_TRAFFIC` (`on` by default, or `off`): whether the embedded backend's demo
    /// streams receive a few synthetic records a second.
    pub demo_traffic: bool,
    /// `DIS_BACKEND_PARTITION_QUOTA` (`50/10`): the embedded backend's partition quotas,
    /// common/advanced, which creating and scaling streams meet.
    pub partition_quota: PartitionQuota,
    /// Whether `DIS_TIME_ZONE` was set: then it overrides the clock files measure.
    pub time_zone_set: bool,
    /// `OBS_ENDPOINT` and `OBS_ADDRESSING`: where the console reads dumped files.
    pub obs: ObsSettings,
    /// `CONSOLE_OIDC_*`: sign-on through the company's identity provider, when set.
    pub sign_on: Option<SignOnSettings>,
    /// `CONSOLE_LOCAL_LOGIN` (`on` by default, or `off`): whether local operators log in with
    /// a password.
    pub local_login: bool,
}

/// Where the console reads the files tasks wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObsSettings {
    /// `OBS_ENDPOINT`: unset, `https://obs.<DIS_REGION>.myhuaweicloud.com` (or the embedded
    /// backend's OBS).
    pub endpoint: Option<String>,
    /// `OBS_ADDRESSING`: `virtual` (bucket in the host name, OBS's default) or `path`;
    /// unset, `virtual` for a real OBS and `path` for the embedded one.
    pub path_style: Option<bool>,
}

/// What `server dis-backend` reads: the credentials it accepts and the zone of its time
/// directories.
pub struct BackendSettings {
    /// `DIS_AK`.
    pub access_key: String,
    /// `DIS_SK`.
    pub secret_key: SecretString,
    /// `DIS_PROJECT_ID`.
    pub project_id: String,
    /// `DIS_TIME_ZONE`, UTC+8 when unset.
    pub time_zone: ZoneOffset,
    /// `CONSOLE_DEMO_TRAFFIC`.
    pub demo_traffic: bool,
    /// `DIS_BACKEND_PARTITION_QUOTA`.
    pub partition_quota: PartitionQuota,
}

impl fmt::Debug for BackendSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BackendSettings")
            .field("project_id", &self.project_id)
            .field("time_zone", &self.time_zone.to_string())
            .finish_non_exhaustive()
    }
}

impl BackendSettings {
    /// Reads variables through `lookup`, as [`Config::from_lookup`] does. Every missing
    /// credential is named at once.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Result<Option<String>, ()>,
    ) -> Result<Self, ConfigError> {
        let get = getter(&lookup);
        let (ak, sk, project) = (get("DIS_AK")?, get("DIS_SK")?, get("DIS_PROJECT_ID")?);
        let (Some(access_key), Some(sk), Some(project_id)) =
            (ak.clone(), sk.clone(), project.clone())
        else {
            let missing: Vec<&'static str> = [
                ("DIS_AK", ak.is_none()),
                ("DIS_SK", sk.is_none()),
                ("DIS_PROJECT_ID", project.is_none()),
            ]
            .into_iter()
            .filter_map(|(var, absent)| absent.then_some(var))
            .collect();
            return Err(error(
                missing[0],
                match &missing[1..] {
                    [] => "required by dis-backend".to_owned(),
                    rest => format!("required by dis-backend, and so are {}", rest.join(", ")),
                },
            ));
        };
        Ok(BackendSettings {
            access_key,
            secret_key: SecretString::from(sk),
            project_id,
            time_zone: time_zone(&get, ZoneOffset::UTC_PLUS_8)?,
            demo_traffic: demo_traffic(&get)?,
            partition_quota: partition_quota(&get)?,
        })
    }
}

/// The process environment, as `from_lookup` reads it.
/// The bundle's `site` folder beside the binary at `exe`, when it has the compiled bundle.
fn site_beside(exe: &std::path::Path) -> Option<PathBuf> {
    let site = exe.parent()?.join("site");
    site.join("pkg").is_dir().then_some(site)
}

/// `CONSOLE_DATA_DIR` alone, for the commands that need nothing else (`server backup`,
/// `server restore`).
pub fn data_dir_from_env() -> Result<PathBuf, ConfigError> {
    Ok(PathBuf::from(
        getter(&env_lookup)("CONSOLE_DATA_DIR")?.unwrap_or(DEFAULT_DATA_DIR.into()),
    ))
}

pub(crate) fn env_lookup(name: &str) -> Result<Option<String>, ()> {
    match std::env::var(name) {
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(()),
    }
}

/// `CONSOLE_ALLOWED_HOSTS`: names (`console.internal`, `10.0.0.5:3000`), by comma or space.
fn allowed_hosts(list: &str) -> Result<Vec<String>, ConfigError> {
    list.split([',', ' '])
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(|h| {
            let plain = h.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')
            });
            if plain && !h.contains("://") {
                Ok(h.to_owned())
            } else {
                Err(error(
                    "CONSOLE_ALLOWED_HOSTS",
                    format!("{h:?} is not a host name such as console.internal or 10.0.0.5:3000"),
                ))
            }
        })
        .collect()
}

/// `DIS_BACKEND_PARTITION_QUOTA`: the embedded backend's partition quotas, `50/10` by default.
pub(crate) fn partition_quota(
    get: &impl Fn(&'static str) -> Result<Option<String>, ConfigError>,
) -> Result<PartitionQuota, ConfigError> {
    get("DIS_BACKEND_PARTITION_QUOTA")?
        .map(|v| PartitionQuota::parse(&v).map_err(|e| error("DIS_BACKEND_PARTITION_QUOTA", e)))
        .transpose()
        .map(Option::unwrap_or_default)
}

/// `CONSOLE_DEMO_TRAFFIC`: `on` (the default) or `off`.
pub(crate) fn demo_traffic(
    get: &impl Fn(&'static str) -> Result<Option<String>, ConfigError>,
) -> Result<bool, ConfigError> {
    switch(get, "CONSOLE_DEMO_TRAFFIC")
}

/// A variable that is `on` (the default) or `off`.
fn switch(
    get: &impl Fn(&'static str) -> Result<Option<String>, ConfigError>,
    var: &'static str,
) -> Result<bool, ConfigError> {
    match get(var)?.as_deref() {
        None | Some("on") => Ok(true),
        Some("off") => Ok(false),
        Some(other) => Err(error(
            var,
            format!("expected \"on\" or \"off\", got {other:?}"),
        )),
    }
}

/// `DIS_TIME_ZONE`, or `default` when unset.
fn time_zone(
    get: &impl Fn(&'static str) -> Result<Option<String>, ConfigError>,
    default: ZoneOffset,
) -> Result<ZoneOffset, ConfigError> {
    match get("DIS_TIME_ZONE")? {
        Some(v) => ZoneOffset::parse(&v).map_err(|why| error("DIS_TIME_ZONE", why)),
        None => Ok(default),
    }
}

/// A variable's value through `lookup`: trimmed, blank counting as unset.
fn getter(
    lookup: &impl Fn(&str) -> Result<Option<String>, ()>,
) -> impl Fn(&'static str) -> Result<Option<String>, ConfigError> + '_ {
    move |var| match lookup(var) {
        Ok(Some(v)) if !v.trim().is_empty() => Ok(Some(v.trim().to_owned())),
        Ok(_) => Ok(None),
        Err(()) => Err(error(var, "the value is not valid UTF-8")),
    }
}

/// The certificate chain and private key the console serves https with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// A real DIS endpoint and the credentials to call it with.
#[derive(Debug)]
pub struct RemoteDis {
    pub endpoint: String,
    pub region: String,
    pub project_id: String,
    pub credentials: Credentials,
}

/// How the console authenticates to DIS.
#[derive(Debug)]
pub enum Credentials {
    /// `DIS_AK` and `DIS_SK`: SDK-HMAC-SHA256 signatures.
    AkSk(AkSk),
    /// `DIS_AUTH_TOKEN`: a fixed IAM token in `X-Auth-Token`.
    Token(SecretString),
    /// `DIS_IAM_*`: tokens fetched from IAM with a user's password, renewed before they expire.
    Iam(IamLogin),
}

/// A password login to IAM. The password is not printable.
#[derive(Debug)]
pub struct IamLogin {
    pub endpoint: String,
    pub domain: String,
    pub user: String,
    pub password: SecretString,
}

/// An access key pair. Neither half is printable: `Debug` shows a placeholder.
#[derive(Debug)]
pub struct AkSk {
    pub ak: SecretString,
    pub sk: SecretString,
}

/// A variable that is missing or malformed. The message names the variable and says what a
/// valid value looks like; it quotes the value only for variables that hold no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub var: &'static str,
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.var, self.problem)
    }
}

impl std::error::Error for ConfigError {}

fn error(var: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        problem: problem.into(),
    }
}

impl Config {
    /// Reads the process environment. Without `LEPTOS_SITE_ROOT`, a `site` folder beside the
    /// binary (the release bundle's layout) is the site root; in the source tree, where there is
    /// none, `target/site` is.
    pub fn from_env() -> Result<Self, ConfigError> {
        let mut config = Self::from_lookup(env_lookup)?;
        if getter(&env_lookup)("LEPTOS_SITE_ROOT")?.is_none() {
            if let Some(site) = std::env::current_exe()
                .ok()
                .and_then(|exe| site_beside(&exe))
            {
                config.site_root = site;
            }
        }
        Ok(config)
    }

    /// Reads variables through `lookup`, which answers `Err(())` for a value that is not UTF-8.
    /// An empty or blank value counts as unset.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Result<Option<String>, ()>,
    ) -> Result<Self, ConfigError> {
        let get = getter(&lookup);

        let site_addr = match get("LEPTOS_SITE_ADDR")? {
            None => DEFAULT_SITE_ADDR
                .parse()
                .expect("the default address parses"),
            Some(v) => v.parse().map_err(|_| {
                error(
                    "LEPTOS_SITE_ADDR",
                    format!("expected an IP address and port such as 127.0.0.1:3000, got {v:?}"),
                )
            })?,
        };
        let site_root = PathBuf::from(get("LEPTOS_SITE_ROOT")?.unwrap_or(DEFAULT_SITE_ROOT.into()));
        let data_dir = PathBuf::from(get("CONSOLE_DATA_DIR")?.unwrap_or(DEFAULT_DATA_DIR.into()));

        let log_format = match get("LOG_FORMAT")?.as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(error(
                    "LOG_FORMAT",
                    format!("expected \"text\" or \"json\", got {other:?}"),
                ))
            }
        };
        let log_filter = get("RUST_LOG")?.unwrap_or_else(|| "info".into());
        if let Err(e) = tracing_subscriber::EnvFilter::try_new(&log_filter) {
            return Err(error(
                "RUST_LOG",
                format!("not a valid filter ({e}); try \"info\" or \"server=debug,info\""),
            ));
        }

        let dis = match get("DIS_ENDPOINT")? {
            None => None,
            Some(endpoint) => Some(RemoteDis {
                endpoint: parse_endpoint(&endpoint)?,
                region: require(&get, "DIS_REGION", parse_region)?,
                project_id: require(&get, "DIS_PROJECT_ID", parse_project_id)?,
                credentials: credentials(&get)?,
            }),
        };
        let time_zone = time_zone(
            &get,
            match &dis {
                Some(remote) => ZoneOffset::default_for_region(&remote.region),
                None => ZoneOffset::UTC_PLUS_8,
            },
        )?;

        let embedded_keys = match &dis {
            Some(_) => None,
            None if get("DIS_AK")?.is_some() || get("DIS_SK")?.is_some() => Some(AkSk {
                ak: require(&get, "DIS_AK", parse_access_key)?,
                sk: require(&get, "DIS_SK", |v| Ok(SecretString::from(v)))?,
            }),
            None => None,
        };

        let public_url = match get("CONSOLE_PUBLIC_URL")? {
            None => None,
            Some(v) => Some(parse_public_url(&v)?),
        };
        let sign_on = sign_on::sign_on(&get, public_url.as_ref())?;
        let local_login = sign_on::local_login(&get, sign_on.as_ref())?;

        Ok(Config {
            site_addr,
            site_root,
            data_dir,
            log_format,
            log_filter,
            dis,
            time_zone,
            backend_fault_dir: get("DIS_BACKEND_FAULT_DIR")?.map(PathBuf::from),
            admin_password: get("CONSOLE_ADMIN_PASSWORD")?.map(SecretString::from),
            public_url,
            sign_on,
            local_login,
            embedded_keys,
            dis_timeout: std::time::Duration::from_secs(positive(
                &get,
                "DIS_TIMEOUT_SECONDS",
                20,
                120,
            )?),
            tls: match (get("CONSOLE_TLS_CERT")?, get("CONSOLE_TLS_KEY")?) {
                (Some(cert), Some(key)) => Some(TlsFiles {
                    cert: cert.into(),
                    key: key.into(),
                }),
                (None, None) => None,
                (Some(_), None) => {
                    return Err(error("CONSOLE_TLS_KEY", "required with CONSOLE_TLS_CERT"))
                }
                (None, Some(_)) => {
                    return Err(error("CONSOLE_TLS_CERT", "required with CONSOLE_TLS_KEY"))
                }
            },
            session_idle: std::time::Duration::from_secs(
                60 * positive(&get, "CONSOLE_SESSION_IDLE_MINUTES", 30, 24 * 60)?,
            ),
            session_max: std::time::Duration::from_secs(
                3600 * positive(&get, "CONSOLE_SESSION_MAX_HOURS", 12, 24 * 30)?,
            ),
            allowed_hosts: get("CONSOLE_ALLOWED_HOSTS")?
                .map(|v| allowed_hosts(&v))
                .transpose()?
                .unwrap_or_default(),
            trusted_proxies: match get("CONSOLE_TRUSTED_PROXIES")? {
                None => Default::default(),
                Some(v) => crate::http::proxies::TrustedProxies::parse(&v)
                    .map_err(|why| error("CONSOLE_TRUSTED_PROXIES", why))?,
            },
            overview_refresh: std::time::Duration::from_secs(positive(
                &get,
                "CONSOLE_OVERVIEW_REFRESH_SECONDS",
                30,
                3600,
            )?),
            demo_traffic: demo_traffic(&get)?,
            partition_quota: partition_quota(&get)?,
            time_zone_set: get("DIS_TIME_ZONE")?.is_some(),
            obs: ObsSettings {
                endpoint: get("OBS_ENDPOINT")?
                    .map(|v| {
                        values::parse_endpoint_as(
                            "OBS_ENDPOINT",
                            &v,
                            "https://obs.cn-north-4.myhuaweicloud.com",
                        )
                    })
                    .transpose()?,
                path_style: match get("OBS_ADDRESSING")?.as_deref() {
                    None => None,
                    Some("virtual") => Some(false),
                    Some("path") => Some(true),
                    Some(other) => {
                        return Err(error(
                            "OBS_ADDRESSING",
                            format!("expected \"virtual\" or \"path\", got {other:?}"),
                        ))
                    }
                },
            },
        })
    }

    /// Whether operators reach the console over https.
    pub fn https(&self) -> bool {
        self.tls.is_some()
            || self
                .public_url
                .as_ref()
                .is_some_and(|u| u.scheme() == "https")
    }

    /// What the overview page may show about this configuration: never a credential.
    pub fn status(&self) -> ConsoleStatus {
        ConsoleStatus {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            time_zone_minutes: self.time_zone.minutes(),
            time_zone_set: self.time_zone_set,
            clock: app::domain::clock::RegionClock::resolve(
                self.time_zone,
                self.time_zone_set,
                None,
            ),
            export: match &self.dis {
                Some(remote) => ExportInfo {
                    endpoint: remote.endpoint.clone(),
                    region: remote.region.clone(),
                    project_id: remote.project_id.clone(),
                },
                // Filled in once the embedded backend has its address.
                None => ExportInfo::default(),
            },
            dis: match &self.dis {
                None => DisTargetSummary::Embedded,
                Some(remote) => DisTargetSummary::Remote {
                    endpoint: remote.endpoint.clone(),
                    region: remote.region.clone(),
                    project_id: remote.project_id.clone(),
                },
            },
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    pub(super) fn load(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| Ok(map.get(name).cloned()))
    }

    const REMOTE: &[(&str, &str)] = &[
        ("DIS_ENDPOINT", "https://dis.cn-north-4.myhuaweicloud.com/"),
        ("DIS_REGION", "cn-north-4"),
        ("DIS_PROJECT_ID", "0123456789abcdef0123456789abcdef"),
        ("DIS_AK", "AKEXAMPLE123"),
        ("DIS_SK", "sk-very-secret-value"),
    ];

    #[test]
    fn the_bundle_s_site_beside_the_binary_is_found_and_the_source_tree_has_none() {
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join("server");
        assert_eq!(site_beside(&exe), None);
        std::fs::create_dir_all(dir.path().join("site/pkg")).unwrap();
        assert_eq!(site_beside(&exe), Some(dir.path().join("site")));
        // In the source tree the binary is target/release/server: no target/release/site.
        let tree =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/release/server");
        assert_eq!(site_beside(&tree), None);
    }

    #[test]
    fn the_embedded_backend_s_partition_quota() {
        assert_eq!(
            load(&[]).unwrap().partition_quota,
            PartitionQuota::default()
        );
        let raised = load(&[("DIS_BACKEND_PARTITION_QUOTA", "200/20")]).unwrap();
        assert_eq!(
            (
                raised.partition_quota.common,
                raised.partition_quota.advanced
            ),
            (200, 20)
        );
        let e = load(&[("DIS_BACKEND_PARTITION_QUOTA", "lots")]).unwrap_err();
        assert_eq!(e.var, "DIS_BACKEND_PARTITION_QUOTA");
    }

    #[test]
    fn console_settings_are_checked_and_named() {
        let c = load(&[]).unwrap();
        assert_eq!(c.session_idle, std::time::Duration::from_secs(30 * 60));
        assert_eq!(c.session_max, std::time::Duration::from_secs(12 * 3600));
        assert!(!c.https());
        let e = load(&[("CONSOLE_TLS_CERT", "c.pem")]).unwrap_err();
        assert_eq!(e.var, "CONSOLE_TLS_KEY");
        let e = load(&[("CONSOLE_SESSION_IDLE_MINUTES", "0")]).unwrap_err();
        assert!(e.to_string().contains("1 to 1440"), "{e}");
        let e = load(&[("CONSOLE_PUBLIC_URL", "https://c.example/console")]).unwrap_err();
        assert_eq!(e.var, "CONSOLE_PUBLIC_URL");
        let c = load(&[("CONSOLE_PUBLIC_URL", "https://c.example")]).unwrap();
        assert!(c.https());
        let c = load(&[("CONSOLE_ADMIN_PASSWORD", "hunter2 hunter2")]).unwrap();
        assert!(
            !format!("{c:?}").contains("hunter2"),
            "the password stays out of Debug"
        );
    }

    fn without(var: &str) -> Vec<(&'static str, &'static str)> {
        REMOTE.iter().copied().filter(|(k, _)| *k != var).collect()
    }

    #[test]
    fn defaults_give_the_embedded_console_on_port_3000() {
        let c = load(&[]).unwrap();
        assert_eq!(c.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.site_root, PathBuf::from("target/site"));
        assert_eq!(c.data_dir, PathBuf::from("./data"));
        assert_eq!(c.log_format, LogFormat::Text);
        assert_eq!(c.log_filter, "info");
        assert!(c.dis.is_none());
        assert_eq!(c.status().dis, DisTargetSummary::Embedded);
    }

    #[test]
    fn blank_values_count_as_unset() {
        let c = load(&[("DIS_ENDPOINT", "  "), ("LEPTOS_SITE_ADDR", "")]).unwrap();
        assert!(c.dis.is_none());
        assert_eq!(c.site_addr.port(), 3000);
    }

    #[test]
    fn each_bad_variable_is_named() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("LEPTOS_SITE_ADDR", "localhost")], "LEPTOS_SITE_ADDR"),
            (
                &[("LEPTOS_SITE_ADDR", "127.0.0.1:99999")],
                "LEPTOS_SITE_ADDR",
            ),
            (&[("LOG_FORMAT", "xml")], "LOG_FORMAT"),
            (&[("RUST_LOG", "server=loud")], "RUST_LOG"),
            (&[("DIS_ENDPOINT", "dis.example.com")], "DIS_ENDPOINT"),
            (&[("DIS_ENDPOINT", "ftp://dis.example.com")], "DIS_ENDPOINT"),
            (
                &[("DIS_ENDPOINT", "https://u:p@dis.example.com")],
                "DIS_ENDPOINT",
            ),
            (
                &[("DIS_ENDPOINT", "https://dis.example.com/v2")],
                "DIS_ENDPOINT",
            ),
        ];
        for (vars, var) in cases {
            let err = load(vars).unwrap_err();
            assert_eq!(err.var, *var, "{vars:?}");
            assert!(err.to_string().starts_with(&format!("{var}: ")));
        }
    }

    #[test]
    fn a_remote_endpoint_needs_region_project_and_keys() {
        for var in ["DIS_REGION", "DIS_PROJECT_ID", "DIS_AK", "DIS_SK"] {
            let err = load(&without(var)).unwrap_err();
            assert_eq!(err.var, var);
            assert!(
                err.problem.starts_with("required when DIS_ENDPOINT is set"),
                "{err}"
            );
        }
    }

    #[test]
    fn malformed_remote_values_are_named() {
        let mut vars = REMOTE.to_vec();
        vars.retain(|(k, _)| *k != "DIS_REGION");
        vars.push(("DIS_REGION", "CN North"));
        assert_eq!(load(&vars).unwrap_err().var, "DIS_REGION");

        let mut vars = REMOTE.to_vec();
        vars.retain(|(k, _)| *k != "DIS_PROJECT_ID");
        vars.push(("DIS_PROJECT_ID", "../streams"));
        assert_eq!(load(&vars).unwrap_err().var, "DIS_PROJECT_ID");
    }

    #[test]
    fn a_bad_access_key_is_reported_without_its_value() {
        let mut vars = without("DIS_AK");
        vars.push(("DIS_AK", "AK with spaces"));
        let err = load(&vars).unwrap_err();
        assert_eq!(err.var, "DIS_AK");
        assert!(!err.to_string().contains("spaces"));
    }

    #[test]
    fn a_complete_remote_configuration_loads_and_hides_its_secrets() {
        let c = load(REMOTE).unwrap();
        let remote = c.dis.as_ref().unwrap();
        assert_eq!(remote.endpoint, "https://dis.cn-north-4.myhuaweicloud.com");
        let Credentials::AkSk(keys) = &remote.credentials else {
            panic!("AK/SK expected");
        };
        assert_eq!(keys.sk.expose_secret(), "sk-very-secret-value");
        assert_eq!(c.time_zone, ZoneOffset::UTC_PLUS_8);
        let debug = format!("{c:?}");
        assert!(!debug.contains("sk-very-secret-value"), "{debug}");
        assert!(!debug.contains("AKEXAMPLE123"), "{debug}");
        let status = format!("{:?}", c.status());
        assert!(!status.contains("sk-very-secret-value") && !status.contains("AKEXAMPLE123"));
    }

    #[test]
    fn token_and_iam_modes() {
        let base: Vec<(&str, &str)> = without("DIS_AK")
            .into_iter()
            .filter(|(k, _)| *k != "DIS_SK")
            .collect();
        let mut token = base.clone();
        token.push(("DIS_AUTH_TOKEN", "tok-secret-value"));
        let c = load(&token).unwrap();
        assert!(matches!(
            c.dis.as_ref().unwrap().credentials,
            Credentials::Token(_)
        ));
        assert!(!format!("{c:?}").contains("tok-secret-value"));

        let mut iam = base.clone();
        iam.extend([
            ("DIS_IAM_ENDPOINT", "https://iam.example.com"),
            ("DIS_IAM_DOMAIN", "acme"),
            ("DIS_IAM_USER", "ops"),
        ]);
        assert_eq!(load(&iam).unwrap_err().var, "DIS_IAM_PASSWORD");
        iam.push(("DIS_IAM_PASSWORD", "pw-secret-value"));
        let c = load(&iam).unwrap();
        assert!(matches!(
            c.dis.as_ref().unwrap().credentials,
            Credentials::Iam(_)
        ));
        assert!(!format!("{c:?}").contains("pw-secret-value"));

        let err = load(&base).unwrap_err();
        assert_eq!(err.var, "DIS_AK");
        assert!(err.problem.contains("DIS_AUTH_TOKEN"));
    }

    #[test]
    fn time_zone_defaults_and_override() {
        assert_eq!(load(&[]).unwrap().time_zone, ZoneOffset::UTC_PLUS_8);
        let mut vars = without("DIS_REGION");
        vars.push(("DIS_REGION", "ap-southeast-1"));
        assert_eq!(load(&vars).unwrap().time_zone, ZoneOffset::UTC);
        vars.push(("DIS_TIME_ZONE", "UTC+05:30"));
        assert_eq!(load(&vars).unwrap().time_zone.minutes(), 330);
        let err = load(&[("DIS_TIME_ZONE", "Asia/Shanghai")]).unwrap_err();
        assert_eq!(err.var, "DIS_TIME_ZONE");
    }

    #[test]
    fn non_utf8_values_are_named() {
        let err = Config::from_lookup(|name| {
            if name == "CONSOLE_DATA_DIR" {
                Err(())
            } else {
                Ok(None)
            }
        })
        .unwrap_err();
        assert_eq!(err.var, "CONSOLE_DATA_DIR");
    }

    #[test]
    fn the_backend_alone_names_every_missing_credential() {
        let lookup = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                Ok(vars
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string()))
            }
        };
        let e = BackendSettings::from_lookup(lookup(&[("DIS_AK", "AK")])).unwrap_err();
        assert_eq!(e.var, "DIS_SK");
        assert!(e.to_string().contains("DIS_PROJECT_ID"), "{e}");
        assert!(!e.to_string().contains("AK,"), "{e}");
        let ok = BackendSettings::from_lookup(lookup(&[
            ("DIS_AK", "AK"),
            ("DIS_SK", "sk-secret"),
            ("DIS_PROJECT_ID", "p"),
            ("DIS_TIME_ZONE", "UTC"),
        ]))
        .unwrap();
        assert_eq!(ok.time_zone, ZoneOffset::UTC);
        assert!(!format!("{ok:?}").contains("sk-secret"));
    }

    #[test]
    fn allowed_hosts_and_trusted_proxies_are_read_and_checked() {
        let c = load(&[
            ("CONSOLE_ALLOWED_HOSTS", "console.internal, 10.0.0.5:3000"),
            ("CONSOLE_TRUSTED_PROXIES", "10.0.0.0/8 192.168.1.1"),
        ])
        .unwrap();
        assert_eq!(c.allowed_hosts, ["console.internal", "10.0.0.5:3000"]);
        assert!(!c.trusted_proxies.is_empty());
        let e = load(&[("CONSOLE_ALLOWED_HOSTS", "https://console.internal/")]).unwrap_err();
        assert_eq!(e.var, "CONSOLE_ALLOWED_HOSTS");
        let e = load(&[("CONSOLE_TRUSTED_PROXIES", "10.0.0.0/40")]).unwrap_err();
        assert_eq!(e.var, "CONSOLE_TRUSTED_PROXIES");
        let d = load(&[]).unwrap();
        assert!(d.allowed_hosts.is_empty() && d.trusted_proxies.is_empty());
    }
}
