//! Proxy cost (`bench/proxy.sh`): what a server function adds over calling DIS directly. The
//! console runs in-process against its embedded backend; `get_stream` (describe the stream, list
//! its dump tasks) is timed through HTTP with a logged-in session, and the same two calls through
//! the signed DIS client straight to the same backend. Sequential calls, medians and p99.

mod common;

use server::{accounts, config::Config, connect, http as web};
use std::time::{Duration, Instant};

// The console's allocator, as in its binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CALLS: usize = 3000;
const PASSWORD: &str = "bench admin password";

fn summary(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (
        ms(times[times.len() / 2]),
        ms(times[times.len() * 99 / 100]),
    )
}

#[tokio::main]
async fn main() {
    let data = std::env::temp_dir().join(format!("dis-console-proxy-{}", std::process::id()));
    let mut config = Config::from_lookup(|_| Ok(None)).expect("defaults");
    config.site_addr = "127.0.0.1:0".parse().expect("address");
    config.data_dir = data.clone();
    config.admin_password = Some(secrecy::SecretString::from(PASSWORD));
    config.demo_traffic = false;
    let opened = accounts::open_all(&config.data_dir, config.admin_password.as_ref())
        .await
        .expect("database");
    let connection = connect::connect(&config).await.expect("embedded DIS");
    let dis = connection.client.clone();
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .expect("bind");
    config.site_addr = listener.local_addr().expect("address");
    let router = web::router(web::AppState::new(&config, connection.client, &opened));
    let base = format!("http://{}", config.site_addr);
    tokio::spawn(web::serve(listener, router, std::future::pending()));

    let http = common::logged_in(&base, PASSWORD).await;
    let stream = app::domain::StreamName::parse("demo-json-events").expect("name");

    let mut through = Vec::with_capacity(CALLS);
    let mut direct = Vec::with_capacity(CALLS);
    // Interleaved, so both see the same machine state; the first calls warm both paths.
    for i in 0..CALLS + 20 {
        let t = Instant::now();
        let r = http
            .post(format!("{base}/api/get_stream"))
            .form(&[("stream", stream.as_str())])
            .send()
            .await
            .expect("server function");
        assert!(r.status().is_success());
        r.bytes().await.expect("body");
        let a = t.elapsed();
        let t = Instant::now();
        // The same two calls side by side, as the server function makes them.
        let (described, listed) =
            futures_util::future::join(dis.describe_stream(&stream), dis.list_dump_tasks(&stream))
                .await;
        described.expect("describe");
        listed.expect("list");
        let b = t.elapsed();
        if i >= 20 {
            through.push(a);
            direct.push(b);
        }
    }
    let (t50, t99) = summary(through);
    let (d50, d99) = summary(direct);
    println!("{:<44} {:>9} {:>9}", "", "p50 ms", "p99 ms");
    println!(
        "{:<44} {t50:>9.2} {t99:>9.2}",
        "server function get_stream (HTTP, session)"
    );
    println!(
        "{:<44} {d50:>9.2} {d99:>9.2}",
        "signed client: describe + list tasks"
    );
    println!(
        "ratio (p50): {:.2} (target: at most 1.3); {CALLS} sequential calls each",
        t50 / d50
    );
    let _ = std::fs::remove_dir_all(&data);
}
