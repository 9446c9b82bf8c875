//! Demo traffic: with `make run`, the demo streams receive a few synthetic records a second,
//! so charts move and a task created in the wizard dumps files within its interval. JSON
//! records carry a `ts` in epoch milliseconds; now and then one carries a `ts` in seconds or
//! one that is not a time at all, as real producers do.

use crate::seed::DEMO_STREAMS;
use crate::state::State;
use app::domain::DataType;
use base64::Engine;
use rand::Rng;

const DEVICES: [&str; 4] = ["pump-1", "pump-2", "valve-7", "meter-3"];
const LEVELS: [&str; 3] = ["INFO", "WARN", "ERROR"];

/// One synthetic record of `data_type` at `now_ms`, as bytes.
pub fn record(data_type: DataType, now_ms: i64, rng: &mut impl Rng) -> String {
    let device = DEVICES[rng.random_range(0..DEVICES.len())];
    let value: f64 = rng.random_range(10.0..90.0);
    match data_type {
        DataType::Json => {
            let ts = match rng.random_range(0..40) {
                0 => format!("{}", now_ms / 1000),
                1 => "\"soon\"".to_owned(),
                _ => now_ms.to_string(),
            };
            format!(r#"{{"ts": {ts}, "device": "{device}", "value": {value:.1}, "unit": "kPa"}}"#)
        }
        DataType::Csv => format!("{now_ms},{device},{value:.1}"),
        DataType::Blob => {
            let level = LEVELS[rng.random_range(0..LEVELS.len())];
            format!("{level} {device} reading {value:.1} kPa")
        }
    }
}

/// Puts one to three records into each demo stream that still exists.
pub fn tick(state: &mut State, now_ms: i64) -> std::io::Result<()> {
    let mut rng = rand::rng();
    for (name, _, _) in DEMO_STREAMS {
        let Some(stream) = state.streams.get_mut(name) else {
            continue;
        };
        let open = stream.open_partitions();
        let count = open.len();
        if count == 0 {
            continue;
        }
        for _ in 0..rng.random_range(1..=3) {
            let data = base64::engine::general_purpose::STANDARD.encode(record(
                stream.data_type,
                now_ms,
                &mut rng,
            ));
            let i = stream.next_partition % count;
            stream.next_partition = (i + 1) % count;
            stream.partitions[open[i]].append(&[(now_ms, data.as_str())])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_fit_their_data_type() {
        let mut rng = rand::rng();
        let mut seconds_or_unreadable = 0;
        for _ in 0..400 {
            let json = record(DataType::Json, 1_700_000_000_000, &mut rng);
            let v: serde_json::Value = serde_json::from_str(&json).unwrap();
            if v["ts"].as_i64() != Some(1_700_000_000_000) {
                seconds_or_unreadable += 1;
            }
            assert_eq!(record(DataType::Csv, 5, &mut rng).split(',').count(), 3);
            assert!(!record(DataType::Blob, 5, &mut rng).contains('\n'));
        }
        assert!(
            seconds_or_unreadable > 0,
            "now and then a ts is not milliseconds"
        );
    }

    #[test]
    fn a_tick_adds_records_to_the_demo_streams() {
        let mut state = State::default();
        crate::seed::demo_streams(&mut state, 0);
        tick(&mut state, 1_000).unwrap();
        for (name, _, _) in DEMO_STREAMS {
            let s = &state.streams[name];
            let total: u64 = s.partitions.iter().map(|p| p.log.end()).sum();
            assert!((1..=3).contains(&total), "{name}: {total}");
        }
    }
}
