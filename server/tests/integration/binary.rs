//! The `server` binary as an operator starts it: configuration errors, start-up, logs, signals.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    sync::mpsc,
    time::Duration,
};

fn server() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
    for (name, _) in std::env::vars() {
        if name.starts_with("DIS_")
            || name.starts_with("LEPTOS_")
            || name.starts_with("CONSOLE_")
            || name == "RUST_LOG"
            || name == "LOG_FORMAT"
        {
            cmd.env_remove(name);
        }
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs a server that should refuse to start, and returns its stderr.
fn refuses_to_start(cmd: &mut Command) -> String {
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn a_bad_variable_stops_start_up_and_is_named() {
    let err = refuses_to_start(server().env("LEPTOS_SITE_ADDR", "not-an-address"));
    assert!(err.contains("LEPTOS_SITE_ADDR"), "{err}");

    let err = refuses_to_start(server().env("LOG_FORMAT", "yaml"));
    assert!(err.contains("LOG_FORMAT"), "{err}");
}

#[test]
fn a_remote_endpoint_without_keys_is_refused_and_no_secret_is_echoed() {
    let err = refuses_to_start(
        server()
            .env("DIS_ENDPOINT", "https://dis.cn-north-4.myhuaweicloud.com")
            .env("DIS_REGION", "cn-north-4")
            .env("DIS_PROJECT_ID", "abc123")
            .env("DIS_AK", "AK with a space")
            .env("DIS_SK", "super-secret-sk"),
    );
    assert!(err.contains("DIS_AK"), "{err}");
    assert!(
        !err.contains("AK with a space") && !err.contains("super-secret-sk"),
        "{err}"
    );
}

#[test]
fn an_address_in_use_is_reported_against_leptos_site_addr() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let data = tempfile::tempdir().unwrap();
    let err = refuses_to_start(
        server()
            .env("LEPTOS_SITE_ADDR", taken.local_addr().unwrap().to_string())
            .env("CONSOLE_DATA_DIR", data.path()),
    );
    assert!(err.contains("LEPTOS_SITE_ADDR"), "{err}");
}

/// A running server and the lines it writes to stdout.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    /// The lines read before the listening address.
    seen: Vec<String>,
    base: String,
    _data: tempfile::TempDir,
}

impl Running {
    fn start(extra: &[(&str, &str)]) -> Running {
        Running::start_in(tempfile::tempdir().unwrap(), extra)
    }

    /// A console whose data directory is `nested/state` under `data`.
    fn start_in(data: tempfile::TempDir, extra: &[(&str, &str)]) -> Running {
        let mut cmd = server();
        cmd.env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("CONSOLE_DATA_DIR", data.path().join("nested/state"));
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let (tx, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut seen = Vec::new();
        let base = loop {
            let line = lines
                .recv_timeout(Duration::from_secs(20))
                .expect("the server announces where it listens");
            seen.push(line.clone());
            if let Some(at) = line.find("http://127.0.0.1:") {
                let url: String = line[at..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || ":/.".contains(*c))
                    .collect();
                break url;
            }
        };
        assert!(
            data.path().join("nested/state").is_dir(),
            "the data directory is created"
        );
        Running {
            child,
            lines,
            seen,
            base,
            _data: data,
        }
    }

    fn data_dir(&self) -> std::path::PathBuf {
        self._data.path().join("nested/state")
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn wait_exit(&mut self) -> std::process::ExitStatus {
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("the server did not exit within 10 s");
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn get(url: &str) -> reqwest::Response {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .unwrap()
                .get(url)
                .send()
                .await
        })
        .unwrap()
}

#[test]
fn sigterm_and_sigint_stop_the_server_cleanly() {
    for signal in ["TERM", "INT"] {
        let mut running = Running::start(&[]);
        assert_eq!(get(&format!("{}/healthz", running.base)).status(), 200);
        running.signal(signal);
        let status = running.wait_exit();
        assert_eq!(status.code(), Some(0), "SIG{signal}");
    }
}

#[test]
fn json_logs_carry_the_request_id_of_each_request() {
    let mut running = Running::start(&[("LOG_FORMAT", "json"), ("RUST_LOG", "info")]);
    let response = get(&format!("{}/healthz", running.base));
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();

    let line = loop {
        let line = running
            .lines
            .recv_timeout(Duration::from_secs(10))
            .expect("a log line for the request");
        running.seen.push(line.clone());
        if line.contains(&id) {
            break line;
        }
    };
    let event: serde_json::Value = serde_json::from_str(&line).expect("JSON log line");
    assert_eq!(event["span"]["request_id"], id.as_str());
    assert_eq!(event["span"]["route"], "/healthz");
    assert_eq!(event["level"], "INFO");

    // Every line the process wrote, start-up announcements included, is one JSON object with
    // time, level, target and message, and no colour codes (stdout is a pipe here).
    running.signal("TERM");
    assert_eq!(running.wait_exit().code(), Some(0));
    let rest: Vec<String> = running.lines.iter().collect();
    let mut messages = Vec::new();
    for line in running.seen.iter().chain(&rest) {
        assert!(!line.contains('\u{1b}'), "a colour code: {line:?}");
        let event: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        for field in ["timestamp", "level", "target"] {
            assert!(event[field].is_string(), "{field} in {line}");
        }
        messages.push(event["fields"]["message"].as_str().expect(line).to_owned());
    }
    let all = messages.join("\n");
    assert!(all.contains("DIS Dump Console is listening"), "{all}");
    // A first start with JSON logs never writes the generated password.
    assert!(
        all.contains("generated password, which is not logged"),
        "{all}"
    );
    assert!(!all.contains("log in as admin with password"), "{all}");
}

#[test]
fn text_logs_to_a_pipe_have_no_colour_codes() {
    let mut running = Running::start(&[("LOG_FORMAT", "text"), ("RUST_LOG", "info")]);
    get(&format!("{}/healthz", running.base));
    running.signal("TERM");
    assert_eq!(running.wait_exit().code(), Some(0));
    let rest: Vec<String> = running.lines.iter().collect();
    let lines: Vec<&String> = running.seen.iter().chain(&rest).collect();
    assert!(lines.iter().any(|l| l.contains("/healthz")), "{lines:?}");
    assert!(lines.iter().all(|l| !l.contains('\u{1b}')), "{lines:?}");
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let out = server().arg("--version").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let expected = format!("server {} (commit ", env!("CARGO_PKG_VERSION"));
    assert!(text.starts_with(&expected), "{text}");
    let commit = text[expected.len()..].trim_end().trim_end_matches(')');
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{text}"
    );
}

#[test]
fn rust_log_filters_what_is_written() {
    let mut running = Running::start(&[("LOG_FORMAT", "text"), ("RUST_LOG", "warn")]);
    let response = get(&format!("{}/healthz", running.base));
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    running.signal("TERM");
    assert_eq!(running.wait_exit().code(), Some(0));
    // The process has exited: the reader ends at end of file, after the last line it wrote.
    let lines: Vec<String> = running.lines.iter().collect();
    assert!(
        lines.iter().all(|l| !l.contains(&id)),
        "an INFO request line passed a warn filter: {lines:?}"
    );
}

#[test]
fn dis_backend_needs_its_credentials_and_names_the_missing_ones() {
    let data = tempfile::tempdir().unwrap();
    let err = refuses_to_start(
        server()
            .args(["dis-backend", "--listen", "127.0.0.1:0", "--data"])
            .arg(data.path())
            .env("DIS_AK", "AKBACKEND"),
    );
    assert!(
        err.contains("DIS_SK") && err.contains("DIS_PROJECT_ID"),
        "{err}"
    );
    assert!(!err.contains("AKBACKEND"), "{err}");
}

#[test]
fn dis_backend_runs_alone_seeded_with_demo_streams() {
    let data = tempfile::tempdir().unwrap();
    let mut child = server()
        .args(["dis-backend", "--listen", "127.0.0.1:0", "--data"])
        .arg(data.path())
        .env("DIS_AK", "AKBACKEND")
        .env("DIS_SK", "backend-secret")
        .env("DIS_PROJECT_ID", "0123456789abcdef0123456789abcdef")
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        line.starts_with("DIS backend listening on http://127.0.0.1:"),
        "{line}"
    );
    // The seeded state is on disk: one stream of each data type, and a second JSON one.
    let state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.path().join("state.json")).unwrap()).unwrap();
    let streams = state["streams"].as_object().unwrap();
    let mut types: Vec<&str> = streams
        .values()
        .map(|s| s["data_type"].as_str().unwrap())
        .collect();
    types.sort_unstable();
    assert_eq!(types, vec!["BLOB", "CSV", "JSON", "JSON"]);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn the_first_start_prints_the_admin_password_once_and_the_cli_manages_operators() {
    let data = tempfile::tempdir().unwrap();
    let start = |data: &std::path::Path| {
        let mut cmd = server();
        cmd.env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("CONSOLE_DATA_DIR", data);
        let mut child = cmd.spawn().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut seen = Vec::new();
        // Log lines, the listening line, then how to log in.
        while !seen
            .last()
            .is_some_and(|l: &String| l.to_lowercase().contains("log in"))
        {
            seen.push(lines.next().expect("a line about logging in").unwrap());
        }
        child.kill().unwrap();
        child.wait().unwrap();
        seen.join("\n")
    };
    let first = start(data.path());
    let password = first
        .split("log in as admin with password ")
        .nth(1)
        .expect("the first start names the password")
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(password.len(), 24, "{first}");
    let second = start(data.path());
    assert!(!second.contains(&password), "shown only once: {second}");
    assert!(second.contains("server user passwd admin"), "{second}");

    let user = |args: &[&str], password: Option<&str>| {
        let mut cmd = server();
        cmd.env("CONSOLE_DATA_DIR", data.path())
            .args(["user"])
            .args(args);
        if let Some(p) = password {
            cmd.env("CONSOLE_USER_PASSWORD", p);
        }
        cmd.output().unwrap()
    };
    let added = user(
        &["add", "ops.lead", "--role", "viewer"],
        Some("a long password here"),
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let short = user(&["passwd", "ops.lead"], Some("short"));
    assert_eq!(short.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12"));
    let last_admin = user(&["disable", "admin"], None);
    assert_eq!(last_admin.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&last_admin.stderr).contains("at least one enabled admin"));
    let listed = user(&["list"], None);
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.contains("admin\tadmin\tenabled") && listed.contains("ops.lead\tviewer\tenabled"),
        "{listed}"
    );
    assert!(!listed.contains("argon2"));
}

/// The audit table's rows, oldest first, read from the database file at `db`.
async fn audit_rows(db: &std::path::Path) -> Vec<(i64, i64, String, String, String, String)> {
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .read_only(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let rows = sqlx::query_as(
        "SELECT id, at_ms, operator, action, target, request_id FROM audit ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    rows
}

/// `server backup|restore FILE` on `data`.
fn copy_command(
    what: &str,
    data: &std::path::Path,
    file: &std::path::Path,
) -> std::process::Output {
    server()
        .env("CONSOLE_DATA_DIR", data)
        .arg(what)
        .arg(file)
        .output()
        .unwrap()
}

#[test]
fn a_backup_under_load_restores_with_every_audit_line_written_before_it() {
    const PASSWORD: &str = "the admin password of the backup test";
    let running = Running::start(&[
        ("CONSOLE_ADMIN_PASSWORD", PASSWORD),
        ("CONSOLE_DEMO_TRAFFIC", "off"),
    ]);
    let data = running.data_dir();
    let db = data.join("console.db");
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("console-backup.db");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();

    // Four sessions at once, each logging in, adding an operator and logging out, over and over:
    // audit lines, sessions and operators change all through the backup.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load: Vec<_> = (0..4)
        .map(|worker| {
            let (base, stop) = (running.base.clone(), stop.clone());
            rt.spawn(async move {
                let mut rounds = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let client = reqwest::Client::builder()
                        .timeout(Duration::from_secs(20))
                        .cookie_store(true)
                        .redirect(reqwest::redirect::Policy::none())
                        .build()
                        .unwrap();
                    let login = client
                        .post(format!("{base}/api/login"))
                        .form(&[("name", "admin"), ("password", PASSWORD), ("next", "/")])
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(login.status(), 200);
                    let edit = serde_json::json!({ "edit": { "Add": {
                        "name": format!("load-{worker}-{rounds}"),
                        "role": "Viewer",
                        "password": "a password for the load",
                    }}});
                    let added = client
                        .post(format!("{base}/api/save_operator"))
                        .json(&edit)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(added.status(), 200, "{}", added.text().await.unwrap());
                    client
                        .post(format!("{base}/api/logout"))
                        .send()
                        .await
                        .unwrap();
                    rounds += 1;
                }
                rounds
            })
        })
        .collect();
    // Some history first, then the lines the backup must hold: every one written before it.
    rt.block_on(async {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        while audit_rows(&db).await.len() < 20 {
            assert!(
                load.iter().all(|task| !task.is_finished()),
                "a session of the load stopped early"
            );
            assert!(
                tokio::time::Instant::now() < deadline,
                "the load wrote fewer than 20 audit lines in a minute"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    let before = rt.block_on(audit_rows(&db));
    let backed_up = copy_command("backup", &data, &file);
    assert!(
        backed_up.status.success(),
        "{}",
        String::from_utf8_lossy(&backed_up.stderr)
    );
    let said = String::from_utf8_lossy(&backed_up.stdout);
    assert!(
        said.contains("Backed up") && said.contains("audit lines"),
        "{said}"
    );
    // The load went on through the backup.
    let during = rt.block_on(audit_rows(&db));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let rounds: u32 = rt.block_on(async {
        let mut total = 0;
        for task in load {
            total += task.await.unwrap();
        }
        total
    });
    assert!(
        rounds >= 4 && during.len() > before.len(),
        "{rounds} rounds"
    );

    // Not over a running console, nor beside one.
    let refused = copy_command("restore", &data, &file);
    assert_eq!(refused.status.code(), Some(2));
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(
        why.contains("a console is running") && why.contains(&running.child.id().to_string()),
        "{why}"
    );
    let second = refuses_to_start(
        server()
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("CONSOLE_DATA_DIR", &data),
    );
    assert!(
        second.contains("CONSOLE_DATA_DIR") && second.contains("a console is running"),
        "{second}"
    );

    // Restored into a new data directory, it opens, logs in and holds every line.
    let restored_data = tempfile::tempdir().unwrap();
    let target = restored_data.path().join("nested/state");
    let restored = copy_command("restore", &target, &file);
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let after = rt.block_on(audit_rows(&target.join("console.db")));
    let missing: Vec<_> = before.iter().filter(|row| !after.contains(row)).collect();
    assert!(missing.is_empty(), "lost audit lines: {missing:?}");
    assert!(after.len() >= before.len());

    let console = Running::start_in(restored_data, &[("CONSOLE_DEMO_TRAFFIC", "off")]);
    let status = rt.block_on(async {
        reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap()
            .post(format!("{}/api/login", console.base))
            .form(&[("name", "admin"), ("password", PASSWORD), ("next", "/")])
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(status, 200);
}
