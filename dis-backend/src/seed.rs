//! The demo streams a new backend starts with, and the ids it gives what it creates.

use crate::state::{App, State, Stream};
use app::domain::DataType;

/// One stream of each data type, and a second JSON stream of orders: name, data type,
/// partitions.
pub const DEMO_STREAMS: [(&str, DataType, usize); 4] = [
    ("demo-json-events", DataType::Json, 2),
    ("demo-blob-logs", DataType::Blob, 1),
    ("demo-csv-metrics", DataType::Csv, 1),
    ("demo-orders", DataType::Json, 1),
];

/// A consumer application of the demo events stream, which has read none of it yet.
pub const DEMO_APP: (&str, &str) = ("demo-analytics", "demo-json-events");

/// Creates the demo streams (their records are kept in memory until the logs are opened) and
/// the demo consumer application.
pub fn demo_streams(state: &mut State, now: i64) {
    for (name, data_type, partitions) in DEMO_STREAMS {
        let id = next_id(state, "stream");
        state.streams.insert(
            name.to_string(),
            Stream::new(id, name, now, "COMMON".into(), data_type, 24, partitions),
        );
    }
    let (app, stream) = DEMO_APP;
    let id = next_id(state, "app");
    state.apps.insert(
        app.to_owned(),
        App {
            id,
            create_time: now,
            // It reads the stream and has committed no checkpoint yet.
            checkpoints: [(stream.to_owned(), Default::default())].into(),
        },
    );
}

/// A new id: a counter for order, a random salt so ids never repeat across data directories.
pub fn next_id(state: &mut State, kind: &str) -> String {
    state.next_id += 1;
    let salt: u64 = rand::random();
    format!("{kind}-{:06}-{:016x}", state.next_id, salt)
}
