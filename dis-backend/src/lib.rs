//! A DIS-compatible server for demos, tests and `make run`. It speaks DIS's HTTP API (the
//! operations the console uses, plus creating streams and putting records), verifies
//! SDK-HMAC-SHA256 signatures and IAM tokens as DIS does, applies DIS's rules to dump tasks (the
//! same rules the console enforces, from `app::domain`), really dumps records into files, and
//! keeps its state across restarts.
//!
//! It knows the console only through the public protocol: it never imports the console's
//! server, and the console reaches it over loopback HTTP through its ordinary signed client.
//!
//! - [`auth`]: signatures, tokens and the embedded IAM.
//! - [`routes`]: the API by resource (streams, tasks, records).
//! - [`refusal`]: the one error answer.
//! - [`state`], [`log`], [`seed`], [`dumper`]: the data (each partition's records in an
//!   append-only log), the demo streams, the dumps.
//! - [`demo`]: the demo streams' synthetic traffic.
//! - [`obs`]: the dump folder served as OBS serves a bucket, on a listener of its own.
//! - [`faults`]: fault injection for tests.

pub mod auth;
pub mod demo;
pub mod dumper;
pub mod faults;
pub mod log;
pub mod obs;
pub mod refusal;
mod routes;
pub mod seed;
pub mod state;

use app::clock::now_ms;
use app::domain::ZoneOffset;
use faults::Faults;
use secrecy::SecretString;
use state::State;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How far `X-Sdk-Date` may be from the backend's clock.
pub const MAX_CLOCK_SKEW_MS: i64 = 15 * 60 * 1000;
/// How long an IAM token from the embedded IAM lives.
pub const TOKEN_LIFETIME_MS: i64 = 24 * 3600 * 1000;

/// An IAM user the embedded IAM accepts.
pub struct IamUser {
    pub domain: String,
    pub name: String,
    pub password: SecretString,
}

pub struct BackendConfig {
    pub access_key: String,
    pub secret_key: SecretString,
    pub project_id: String,
    /// Fixed tokens accepted in `X-Auth-Token`.
    pub tokens: Vec<SecretString>,
    pub iam_users: Vec<IamUser>,
    /// State and dumped files live here.
    pub data_dir: PathBuf,
    /// The zone of the time directories.
    pub time_zone: ZoneOffset,
    /// Create the demo streams when the data directory holds no state yet.
    pub seed_demo: bool,
    /// Put a few synthetic records a second into the demo streams.
    pub demo_traffic: bool,
    /// A folder whose files queue faults (see [`faults::Faults::load_dir`]); tests only.
    pub fault_dir: Option<PathBuf>,
    /// The project's partition quotas, which creating and scaling streams meet.
    pub partition_quota: app::domain::stream::PartitionQuota,
}

impl std::fmt::Debug for BackendConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackendConfig")
            .field("project_id", &self.project_id)
            .field("data_dir", &self.data_dir)
            .field("time_zone", &self.time_zone.to_string())
            .finish_non_exhaustive()
    }
}

/// What every handler shares.
pub(crate) struct Shared {
    pub(crate) config: BackendConfig,
    pub(crate) state: Mutex<State>,
    pub(crate) faults: Faults,
    /// Tokens the embedded IAM issued, with their expiry.
    pub(crate) issued: Mutex<HashMap<String, i64>>,
    /// Partition cursors given out, by their opaque id.
    pub(crate) cursors: Mutex<HashMap<String, routes::Cursor>>,
}

/// How often the traffic figures are written to `state.json` when only they changed: they
/// are figures, not records, and a crash loses at most this much of them.
const TRAFFIC_SAVE_EVERY_MS: i64 = 60_000;

/// A running backend.
#[derive(Clone)]
pub struct BackendHandle {
    shared: Arc<Shared>,
    addr: std::net::SocketAddr,
    obs_addr: std::net::SocketAddr,
}

impl BackendHandle {
    pub fn addr(&self) -> std::net::SocketAddr {
        self.addr
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The embedded OBS: `http://127.0.0.1:<port>`, path-style.
    pub fn obs_endpoint(&self) -> String {
        format!("http://{}", self.obs_addr)
    }

    /// Fault injection, for tests.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// Runs the dumps due at `now_ms` (tests pass a time ahead instead of waiting).
    pub fn dump_at(&self, now_ms: i64) -> std::io::Result<dumper::DumpReport> {
        self.shared.dump_at(now_ms)
    }

    /// Makes every issued IAM token expire, as if a day had passed.
    pub fn expire_tokens(&self) {
        lock(&self.shared.issued).clear();
    }

    /// Makes every partition cursor given out `ms` older, as if that time had passed.
    pub fn age_cursors(&self, ms: i64) {
        for cursor in lock(&self.shared.cursors).values_mut() {
            cursor.issued_ms -= ms;
        }
    }

    /// Where dumped objects are written: `<data>/obs`.
    pub fn obs_root(&self) -> PathBuf {
        self.shared.config.data_dir.join("obs")
    }
}

/// A poisoned lock still holds consistent data here: every change is made whole before the
/// guard drops.
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    pub(crate) fn persist(&self, state: &State) {
        if let Err(e) = state::save(&self.config.data_dir, state) {
            tracing::error!(error = %e, "the DIS backend cannot save its state");
        }
    }

    /// Makes the bucket a task names exist in the embedded OBS, as DIS requires of a real one.
    pub(crate) fn open_bucket(&self, bucket: &str) {
        let dir = self.config.data_dir.join("obs").join(bucket);
        if let Err(e) = std::fs::create_dir_all(&dir) {
            tracing::error!(error = %e, "the DIS backend cannot make a bucket's folder");
        }
    }

    fn dump_at(&self, now_ms: i64) -> std::io::Result<dumper::DumpReport> {
        let mut st = lock(&self.state);
        let backdated = self.backdate_stalls(&mut st);
        let (changed, report) = dumper::dump_due(
            &mut st,
            &self.config.data_dir.join("obs"),
            self.config.time_zone,
            now_ms,
            &|task| self.faults.stalled(task),
        )?;
        if changed || backdated {
            self.persist(&st);
        }
        Ok(report)
    }

    /// Puts the clocks of newly stalled tasks back (see [`Faults::stall_dumps`]).
    fn backdate_stalls(&self, st: &mut State) -> bool {
        let due = self.faults.take_backdates();
        for (name, minutes) in &due {
            let back = minutes * 60_000;
            for task in st.streams.values_mut().flat_map(|s| s.tasks.iter_mut()) {
                if &task.name != name {
                    continue;
                }
                task.create_time -= back;
                if task.last_transfer_timestamp > 0 {
                    task.last_transfer_timestamp -= back;
                }
                for p in &mut task.partitions {
                    if p.last_transfer_timestamp > 0 {
                        p.last_transfer_timestamp -= back;
                    }
                }
            }
        }
        !due.is_empty()
    }

    /// A second's housekeeping: faults from the fault folder, due dumps, demo traffic,
    /// retention, and the traffic figures saved now and then.
    fn tick(&self, now_ms: i64, last_save: &mut i64) -> std::io::Result<()> {
        if let Some(dir) = &self.config.fault_dir {
            self.faults.load_dir(dir);
        }
        self.dump_at(now_ms)?;
        let mut st = lock(&self.state);
        if self.config.demo_traffic {
            demo::tick(&mut st, now_ms)?;
        }
        for stream in st.streams.values_mut() {
            let hours = stream.retention_period;
            for p in &mut stream.partitions {
                p.expire(hours, now_ms)?;
            }
        }
        if now_ms - *last_save >= TRAFFIC_SAVE_EVERY_MS {
            self.persist(&st);
            *last_save = now_ms;
        }
        Ok(())
    }
}

/// Starts the backend, DIS on `listener` and OBS on `obs_listener`, loading or seeding its
/// state, with the dumper ticking every second. It stops when the runtime does.
pub async fn start(
    config: BackendConfig,
    listener: tokio::net::TcpListener,
    obs_listener: tokio::net::TcpListener,
) -> std::io::Result<BackendHandle> {
    std::fs::create_dir_all(&config.data_dir)?;
    let mut state = match state::load(&config.data_dir)? {
        Some(state) => state,
        None => {
            let mut state = State::default();
            if config.seed_demo {
                seed::demo_streams(&mut state, now_ms());
            }
            state::save(&config.data_dir, &state)?;
            state
        }
    };
    state::open_logs(&config.data_dir, &mut state)?;
    let addr = listener.local_addr()?;
    let obs_addr = obs_listener.local_addr()?;
    let shared = Arc::new(Shared {
        config,
        state: Mutex::new(state),
        faults: Faults::default(),
        issued: Mutex::new(HashMap::new()),
        cursors: Mutex::new(HashMap::new()),
    });
    serve(
        listener,
        routes::router(shared.clone()),
        "the DIS backend stopped",
    );
    serve(
        obs_listener,
        obs::router(shared.clone()),
        "the embedded OBS stopped",
    );
    let ticker = Arc::downgrade(&shared);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        let mut last_save = now_ms();
        loop {
            tick.tick().await;
            let Some(shared) = ticker.upgrade() else {
                return;
            };
            let result = tokio::task::spawn_blocking(move || {
                let r = shared.tick(now_ms(), &mut last_save);
                (r, last_save)
            })
            .await;
            match result {
                Ok((Ok(()), saved)) => last_save = saved,
                Ok((Err(e), saved)) => {
                    last_save = saved;
                    tracing::error!(error = %e, "the DIS backend could not write its records or a dump");
                }
                Err(_) => {}
            }
        }
    });
    Ok(BackendHandle {
        shared,
        addr,
        obs_addr,
    })
}

fn serve(listener: tokio::net::TcpListener, app: axum::Router, stopped: &'static str) {
    tokio::spawn(async move {
        use axum::serve::ListenerExt;
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "{stopped}");
        }
    });
}
