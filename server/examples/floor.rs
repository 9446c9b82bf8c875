//! The floor for the SSR benchmark (`bench/ssr.sh`): a bare axum handler answering a small HTML
//! page, on the same runtime settings as the console, with nothing else in the way.

use axum::{response::Html, routing::get, Router};

#[tokio::main]
async fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    println!(
        "floor listening on http://{}",
        listener.local_addr().expect("address")
    );
    let app = Router::new().route(
        "/",
        get(|| async { Html("<!DOCTYPE html><html><body><h1>Streams</h1></body></html>") }),
    );
    axum::serve(listener, app).await.expect("serve");
}
