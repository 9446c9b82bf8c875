//! The clock DIS names time directories with, measured in the background: every few minutes,
//! the files of a few running text tasks (from the shared overview) are read once, so every
//! preview uses the measured clock without any operator opening a task's Files. The cost does
//! not grow with operators, and reads share the Files panels' cache.

use app::domain::clock::ClockFinding;
use app::domain::dis::TaskState;
use app::domain::overview::OverviewSnapshot;
use app::ports::{DisPort, Obs, OverviewSource};
use std::sync::Arc;
use std::time::Duration;

/// How often the clock is measured again.
const EVERY: Duration = Duration::from_secs(600);

/// How many tasks one measurement reads at most: the first that measures ends it.
const TASKS_PER_ROUND: usize = 3;

/// Tasks that dumped within this long can show DIS's clock.
const RECENT_DUMP_MS: i64 = 3_600_000;

/// Measures the clock from the running tasks of `snapshot` that dumped lately, most recent
/// first, until one of them measures it (at most [`TASKS_PER_ROUND`]). The finding is kept in
/// `obs` for every page; a task that cannot tell (a schema, another file type, too few files)
/// leaves what was measured before.
pub async fn measure_once(
    snapshot: &OverviewSnapshot,
    dis: &dyn DisPort,
    obs: &Obs,
    now_ms: i64,
) -> Option<ClockFinding> {
    if obs.reader.is_err() {
        return None;
    }
    let mut candidates: Vec<_> = snapshot
        .tasks
        .iter()
        .filter(|t| t.state == TaskState::Running && now_ms - t.last_dump_ms < RECENT_DUMP_MS)
        .collect();
    candidates.sort_by_key(|t| std::cmp::Reverse(t.last_dump_ms));
    for task in candidates.into_iter().take(TASKS_PER_ROUND) {
        match app::services::files::task_files(dis, obs, &task.stream, &task.task, None, now_ms)
            .await
        {
            Ok(files) => {
                if let Some(found @ ClockFinding::Measured { .. }) = files.finding {
                    return Some(found);
                }
            }
            Err(e) => tracing::debug!(error = %e, "a task's files could not measure the clock"),
        }
    }
    None
}

/// Measures the clock a minute after start-up, then every ten minutes.
pub fn spawn_watch(overview: Arc<dyn OverviewSource>, dis: Arc<dyn DisPort>, obs: Obs) {
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(60)).await;
        loop {
            let snapshot = overview.current();
            if let Some(ClockFinding::Measured { zone, agree, files }) =
                measure_once(&snapshot, dis.as_ref(), &obs, app::clock::now_ms()).await
            {
                tracing::info!(%zone, agree, files, "measured the clock of DIS's time directories");
            }
            tokio::time::sleep(EVERY).await;
        }
    });
}
