//! The overview snapshot: read from DIS in the background every
//! `CONSOLE_OVERVIEW_REFRESH_SECONDS`, shared by every operator, and read again on demand with
//! concurrent requests sharing one read. What DIS costs does not grow with the number of
//! operators: a page asks this cache, never DIS.

use app::clock::now_ms;
use app::domain::overview::OverviewSnapshot;
use app::ports::{DisPort, OverviewSource};
use app::services::overview;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// How long a Refresh waits for its read before answering with what there is.
const REFRESH_WAIT: Duration = Duration::from_secs(20);

struct Inner {
    dis: Arc<dyn DisPort>,
    period: Duration,
    current: RwLock<Arc<OverviewSnapshot>>,
    /// Reads finished.
    reads: AtomicU64,
    /// Held while a read runs: a second caller waits for it instead of starting another.
    reading: tokio::sync::Mutex<()>,
}

/// The shared snapshot. Cloning shares it.
#[derive(Clone)]
pub struct OverviewCache(Arc<Inner>);

impl OverviewCache {
    pub fn new(dis: Arc<dyn DisPort>, period: Duration) -> Self {
        let empty = OverviewSnapshot {
            refresh_seconds: period.as_secs() as u32,
            ..OverviewSnapshot::default()
        };
        OverviewCache(Arc::new(Inner {
            dis,
            period,
            current: RwLock::new(Arc::new(empty)),
            reads: AtomicU64::new(0),
            reading: tokio::sync::Mutex::new(()),
        }))
    }

    /// Reads DIS now and every period after each read ends, until the cache is dropped.
    pub fn spawn_refresher(&self) {
        let weak = Arc::downgrade(&self.0);
        let period = self.0.period;
        tokio::spawn(async move {
            loop {
                let Some(inner) = weak.upgrade() else {
                    return;
                };
                OverviewCache(inner).read_now().await;
                tokio::time::sleep(period).await;
            }
        });
    }

    fn snapshot(&self) -> Arc<OverviewSnapshot> {
        self.0
            .current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// One read of DIS, unless one finished while this caller waited for the running one:
    /// then that one is the answer.
    async fn read_now(&self) -> Arc<OverviewSnapshot> {
        let seen = self.0.reads.load(Ordering::Acquire);
        let _reading = self.0.reading.lock().await;
        if self.0.reads.load(Ordering::Acquire) != seen {
            return self.snapshot();
        }
        let started = std::time::Instant::now();
        let now = now_ms();
        let read = self.0.reads.load(Ordering::Acquire) + 1;
        let next = match overview::read(self.0.dis.as_ref(), now).await {
            Ok(mut snapshot) => {
                tracing::debug!(
                    calls = snapshot.calls,
                    streams = snapshot.streams.len(),
                    tasks = snapshot.tasks.len(),
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "overview read"
                );
                snapshot.read = read;
                snapshot
            }
            Err(e) => {
                tracing::warn!(code = ?e.code, detail = %e.detail, "overview read failed; the last one stays, marked stale");
                let mut last = (*self.snapshot()).clone();
                last.problem = Some(overview::problem(e, now));
                last.read = read;
                last
            }
        };
        let next = Arc::new(OverviewSnapshot {
            refresh_seconds: self.0.period.as_secs() as u32,
            ..next
        });
        *self.0.current.write().unwrap_or_else(|e| e.into_inner()) = next.clone();
        self.0.reads.store(read, Ordering::Release);
        next
    }
}

#[async_trait::async_trait]
impl OverviewSource for OverviewCache {
    fn current(&self) -> Arc<OverviewSnapshot> {
        self.snapshot()
    }

    async fn refresh(&self) -> Arc<OverviewSnapshot> {
        // The read runs on its own: an operator who gives up waiting does not cancel it for
        // the others.
        let cache = self.clone();
        let read = tokio::spawn(async move { cache.read_now().await });
        match tokio::time::timeout(REFRESH_WAIT, read).await {
            Ok(Ok(snapshot)) => snapshot,
            _ => self.snapshot(),
        }
    }
}
