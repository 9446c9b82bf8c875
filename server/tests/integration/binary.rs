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
    base: String,
    _data: tempfile::TempDir,
}

impl Running {
    fn start(extra: &[(&str, &str)]) -> Running {
        let data = tempfile::tempdir().unwrap();
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
        let base = loop {
            let line = lines
                .recv_timeout(Duration::from_secs(20))
                .expect("the server announces where it listens");
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
            base,
            _data: data,
        }
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
        .block_on(reqwest::get(url))
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
    let running = Running::start(&[("LOG_FORMAT", "json"), ("RUST_LOG", "info")]);
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
        if line.contains(&id) {
            break line;
        }
    };
    let event: serde_json::Value = serde_json::from_str(&line).expect("JSON log line");
    assert_eq!(event["span"]["request_id"], id.as_str());
    assert_eq!(event["span"]["route"], "/healthz");
    assert_eq!(event["level"], "INFO");
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
