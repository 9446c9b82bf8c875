//! Fault injection, for tests: the next N calls to the DIS API misbehave in a chosen way.
//! Switched through [`crate::BackendHandle::faults`] in Rust, or, for tests that drive the
//! binary (the browser suite), through fault files dropped into a folder on the server's disk,
//! which the backend reads and deletes (`DIS_BACKEND_FAULT_DIR`). No HTTP route reaches either.
//! A fault may be scoped to the calls whose method, path or body contain a given text (a task
//! name), so tests running side by side cannot take each other's faults.

use crate::refusal::{status_441, Refusal};
use crate::{lock, Shared};
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Carry out the call, then answer only after this delay.
    Latency(Duration),
    /// HTTP 500 with DIS.5000.
    SystemError,
    /// Close the connection without a complete answer.
    DropConnection,
    /// HTTP 200 whose body is not JSON.
    MalformedJson,
    /// HTTP 441 with DIS.4100 (bad signature), whatever the request's signature.
    Reject441,
    /// HTTP 400 with DIS.4303: the partition's read throughput is exceeded.
    Throttled,
}

#[derive(Debug, Default)]
pub struct Faults {
    queue: Mutex<VecDeque<(Fault, Option<String>)>>,
    /// Tasks whose dumps have stopped, and by how many minutes their clocks still have to be
    /// put back (0 once done).
    stalls: Mutex<Vec<(String, i64)>>,
    /// Buckets the embedded OBS refuses to let the console's key read.
    denied_buckets: Mutex<Vec<String>>,
    /// The embedded OBS answers every listing as ListObjects (v1), ignoring `list-type=2`.
    lists_v1_only: std::sync::atomic::AtomicBool,
}

impl Faults {
    /// Makes the next `calls` calls fail with `fault` (after any already queued).
    pub fn inject(&self, fault: Fault, calls: usize) {
        self.inject_scoped(fault, calls, None);
    }

    /// Like [`Faults::inject`], for calls whose `METHOD path` line or body contains `needle`.
    pub fn inject_scoped(&self, fault: Fault, calls: usize, needle: Option<String>) {
        let mut q = lock(&self.queue);
        q.extend(std::iter::repeat_n((fault, needle), calls));
    }

    /// Whether any queued fault is scoped (the caller then reads the body to match it).
    pub(crate) fn any_scoped(&self) -> bool {
        self.queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .any(|(_, n)| n.is_some())
    }

    /// Stops the dumps of every task named `task`, as if they had stalled `minutes` ago: its
    /// last dump (or, if it never dumped, its creation) moves that far into the past, so a
    /// test need not wait for a task to become late.
    pub fn stall_dumps(&self, task: &str, minutes: i64) {
        lock(&self.stalls).push((task.to_owned(), minutes));
    }

    /// Whether `task`'s dumps are stalled.
    pub(crate) fn stalled(&self, task: &str) -> bool {
        lock(&self.stalls).iter().any(|(t, _)| t == task)
    }

    /// The stalls whose clocks have not been put back yet, marked as done.
    pub(crate) fn take_backdates(&self) -> Vec<(String, i64)> {
        let mut stalls = lock(&self.stalls);
        let due = stalls.iter().filter(|(_, m)| *m > 0).cloned().collect();
        for (_, m) in stalls.iter_mut() {
            *m = 0;
        }
        due
    }

    /// Makes the embedded OBS refuse every read of `bucket` with AccessDenied, as OBS does when
    /// no bucket policy grants the key.
    pub fn deny_read(&self, bucket: &str) {
        lock(&self.denied_buckets).push(bucket.to_owned());
    }

    /// Makes the embedded OBS answer listings as ListObjects (v1) only, as an OBS that ignores
    /// `list-type=2` does.
    pub fn list_v1_only(&self) {
        self.lists_v1_only
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    pub(crate) fn lists_v1_only(&self) -> bool {
        self.lists_v1_only
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    pub(crate) fn read_denied(&self, bucket: &str) -> bool {
        lock(&self.denied_buckets).iter().any(|b| b == bucket)
    }

    pub fn clear(&self) {
        lock(&self.queue).clear();
    }

    /// Queues the faults of every file in `dir`, then deletes the files. A line is
    /// `<fault> <calls> [needle]`: `system_error 1`, `drop_connection 2`, `malformed_json 1`,
    /// `reject_441 1 my-task`, `throttled 2 /records`, `latency_ms 3000`; or `stall_dumps <minutes> <task>`; or `deny_read 1 <bucket>` (the
    /// embedded OBS refuses to let the console's key read the bucket). Unknown lines are logged and skipped. Files
    /// whose names start with `.` are still being written and wait for the next call.
    pub(crate) fn load_dir(&self, dir: &std::path::Path) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut files: Vec<std::path::PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| !n.starts_with('.'))
            })
            .collect();
        files.sort();
        for path in files {
            // The tick and every request read this folder at once: a file is claimed by
            // renaming it first, and only the one whose rename succeeds loads it (loaded twice,
            // its faults would apply twice: a stall would put a clock back two hours).
            static CLAIMS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let claim = CLAIMS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let claimed = path.with_file_name(format!(".claimed-{}-{claim}", std::process::id()));
            if std::fs::rename(&path, &claimed).is_err() {
                continue;
            }
            let text = std::fs::read_to_string(&claimed);
            let _ = std::fs::remove_file(&claimed);
            if let Ok(text) = text {
                self.load_lines(&text);
            }
        }
    }

    fn load_lines(&self, text: &str) {
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let mut parts = line.split_whitespace();
            let (Some(kind), Some(Ok(n))) = (parts.next(), parts.next().map(str::parse::<u64>))
            else {
                tracing::warn!(line, "skipping an unreadable fault line");
                continue;
            };
            let needle = parts.next().map(str::to_string);
            let fault = match kind {
                "system_error" => Fault::SystemError,
                "drop_connection" => Fault::DropConnection,
                "malformed_json" => Fault::MalformedJson,
                "reject_441" => Fault::Reject441,
                "throttled" => Fault::Throttled,
                "stall_dumps" => {
                    match needle {
                        Some(task) => self.stall_dumps(&task, n as i64),
                        None => tracing::warn!(line, "stall_dumps needs a task name"),
                    }
                    continue;
                }
                "deny_read" => {
                    match needle {
                        Some(bucket) => self.deny_read(&bucket),
                        None => tracing::warn!(line, "deny_read needs a bucket name"),
                    }
                    continue;
                }
                "latency_ms" => {
                    self.inject_scoped(Fault::Latency(Duration::from_millis(n)), 1, needle);
                    continue;
                }
                _ => {
                    tracing::warn!(line, "skipping an unknown fault");
                    continue;
                }
            };
            self.inject_scoped(fault, n as usize, needle);
        }
    }

    /// The fault for a call, described as its `METHOD path` line and its body: the first queued
    /// fault that is unscoped or whose needle the call contains.
    pub(crate) fn next(&self, call: &str, body: &[u8]) -> Option<Fault> {
        let mut q = lock(&self.queue);
        let body = String::from_utf8_lossy(body);
        let index = q.iter().position(|(_, needle)| match needle {
            None => true,
            Some(n) => call.contains(n.as_str()) || body.contains(n.as_str()),
        })?;
        q.remove(index).map(|(fault, _)| fault)
    }
}

/// The middleware in front of the DIS API: the next queued fault that fits a call replaces or
/// delays its answer.
pub(crate) async fn inject(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(dir) = &shared.config.fault_dir {
        shared.faults.load_dir(dir);
    }
    // Method, path and query: a fault's needle may name any of them.
    let call = format!("{} {}", request.method(), request.uri());
    let (request, body) = if shared.faults.any_scoped() {
        let (parts, body) = request.into_parts();
        let bytes = axum::body::to_bytes(body, crate::auth::MAX_BODY)
            .await
            .unwrap_or_default();
        (Request::from_parts(parts, Body::from(bytes.clone())), bytes)
    } else {
        (request, Bytes::new())
    };
    match shared.faults.next(&call, &body) {
        None => next.run(request).await,
        Some(Fault::Latency(d)) => {
            // The call takes effect, then its answer is late (as when a network stalls).
            let response = next.run(request).await;
            tokio::time::sleep(d).await;
            response
        }
        Some(Fault::SystemError) => Refusal::system_error().into_response(),
        Some(Fault::MalformedJson) => (
            StatusCode::OK,
            [("content-type", "application/json")],
            "{\"total_number\": 1, \"stream_na",
        )
            .into_response(),
        Some(Fault::Throttled) => Refusal::new(
            StatusCode::BAD_REQUEST,
            "DIS.4303",
            "The partition's read throughput is exceeded.",
        )
        .into_response(),
        Some(Fault::Reject441) => {
            Refusal::new(status_441(), "DIS.4100", "Signature mismatch.").into_response()
        }
        Some(Fault::DropConnection) => {
            // A body that fails at once makes the server abort the connection mid-answer.
            let failing = futures_util::stream::once(async {
                Err::<Bytes, std::io::Error>(std::io::Error::other("dropped by fault injection"))
            });
            Response::builder()
                .status(StatusCode::OK)
                .header("content-length", "100")
                .body(Body::from_stream(failing))
                .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stalls_stop_a_task_and_put_its_clock_back_once() {
        let faults = Faults::default();
        faults.load_lines("stall_dumps 60 late-task\nstall_dumps 5");
        assert!(faults.stalled("late-task"));
        assert!(!faults.stalled("other"));
        assert_eq!(faults.take_backdates(), vec![("late-task".to_owned(), 60)]);
        assert!(faults.take_backdates().is_empty());
        assert!(faults.stalled("late-task"));
    }

    #[test]
    fn fault_files_queue_their_lines_and_are_consumed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a"),
            "system_error 2\nnonsense\nlatency_ms 5\n",
        )
        .unwrap();
        std::fs::write(dir.path().join(".partial"), "reject_441 1").unwrap();
        let faults = Faults::default();
        faults.load_dir(dir.path());
        assert!(!dir.path().join("a").exists(), "the file is consumed");
        assert!(dir.path().join(".partial").exists(), "dot files wait");
        assert_eq!(faults.next("GET /x", b""), Some(Fault::SystemError));
        assert_eq!(faults.next("GET /x", b""), Some(Fault::SystemError));
        assert_eq!(
            faults.next("GET /x", b""),
            Some(Fault::Latency(Duration::from_millis(5)))
        );
        assert_eq!(faults.next("GET /x", b""), None);
    }

    #[test]
    fn a_fault_file_read_from_many_threads_at_once_is_loaded_once() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..50 {
            std::fs::write(dir.path().join(format!("f{i:02}")), "stall_dumps 60 t\n").unwrap();
        }
        let faults = Faults::default();
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| faults.load_dir(dir.path()));
            }
        });
        assert_eq!(lock(&faults.stalls).len(), 50, "each file's stall once");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "all consumed"
        );
    }

    #[test]
    fn scoped_faults_hit_only_matching_calls() {
        let faults = Faults::default();
        faults.load_lines("system_error 1 task-42");
        assert!(faults.any_scoped());
        assert_eq!(faults.next("GET /v2/p/streams/s", b""), None);
        assert_eq!(
            faults.next(
                "POST /v2/p/streams/s/transfer-tasks",
                br#"{"task_name":"task-42"}"#
            ),
            Some(Fault::SystemError)
        );
        assert!(!faults.any_scoped());
    }
}
