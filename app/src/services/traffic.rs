//! A stream's or a partition's traffic over a window: one call to DIS's monitoring API, its
//! points summed into the window's buckets, rendered as SVG charts and a table.

use crate::api::envelope::upstream_error;
use crate::domain::chart::{self, Series, Timeline};
use crate::domain::metrics::{buckets, Measure, Window};
use crate::domain::{PartitionId, StreamName, ZoneOffset};
use crate::error::AppError;
use crate::ports::DisPort;

/// A stream's (or a partition's) traffic over a window, drawn: the charts as SVG and the same
/// numbers as an HTML table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Traffic {
    /// `1 h`, `6 h`, `24 h` or `7 d`.
    pub window: String,
    pub partition: Option<String>,
    pub charts: Vec<String>,
    pub table: String,
    /// Each measure's total over the window, for the summary line.
    pub totals: Vec<(String, u64)>,
}

/// The charts of a stream's page: records, bytes and, for a whole stream, throttled calls.
const CHARTS: [(&str, [Measure; 2]); 3] = [
    ("Records", [Measure::PutRecords, Measure::GetRecords]),
    ("Bytes", [Measure::PutBytes, Measure::GetBytes]),
    (
        "Throttled calls",
        [Measure::ThrottledPut, Measure::ThrottledGet],
    ),
];

/// The traffic of `stream` (or of one of its partitions) over `window`, ending now, with axis
/// labels on `zone`'s clock.
pub async fn traffic(
    dis: &dyn DisPort,
    stream: &str,
    partition: Option<&str>,
    window: &str,
    zone: ZoneOffset,
    now_ms: i64,
) -> Result<Traffic, AppError> {
    let name = StreamName::parse(stream).map_err(AppError::Rejected)?;
    let partition = match partition.filter(|p| !p.trim().is_empty()) {
        Some(p) => Some(PartitionId::parse(p).map_err(AppError::Rejected)?),
        None => None,
    };
    let window = Window::parse(window).ok_or_else(|| {
        let all: Vec<&str> = Window::ALL.iter().map(|w| w.as_str()).collect();
        AppError::Rejected(format!("Choose a window of {}.", all.join(", ")))
    })?;
    let measures: Vec<Measure> = match partition {
        Some(_) => Measure::PARTITION.to_vec(),
        None => Measure::ALL.to_vec(),
    };
    let labels: Vec<&str> = measures
        .iter()
        .map(|m| match partition {
            Some(_) => m.partition_label().unwrap_or(m.stream_label()),
            None => m.stream_label(),
        })
        .collect();
    let (start, end) = window.period(now_ms);
    // A stream's labels go in one call. The official SDKs model a partition's answer with a
    // single series (`metrics`, no `metrics_list`), so a partition is asked label by label.
    let series = match &partition {
        None => dis
            .metrics(&name, None, &labels, (start, end))
            .await
            .map_err(upstream_error)?
            .series(),
        Some(p) => {
            let answers = futures_util::future::try_join_all(labels.iter().map(|label| {
                dis.metrics(&name, Some(p), std::slice::from_ref(label), (start, end))
            }))
            .await
            .map_err(upstream_error)?;
            answers.into_iter().flat_map(|a| a.series()).collect()
        }
    };
    let values: Vec<(Measure, Vec<f64>)> = measures
        .iter()
        .map(|m| {
            let points: Vec<_> = series
                .iter()
                .filter(|s| Measure::from_label(&s.label) == Some(*m))
                .flat_map(|s| s.data_points.iter().copied())
                .collect();
            (*m, buckets(&points, start, end, window.bucket_seconds()))
        })
        .collect();
    let of = |m: Measure| {
        values
            .iter()
            .find(|(x, _)| *x == m)
            .map(|(_, v)| v.as_slice())
    };
    let time = Timeline {
        start_ms: start * 1000,
        bucket_ms: window.bucket_seconds() * 1000,
        zone,
    };
    let scope = match &partition {
        Some(p) => format!("partition {p}"),
        None => format!("stream {name}"),
    };
    let id_scope = partition
        .as_ref()
        .map_or_else(|| "stream".to_owned(), |p| format!("p{}", p.number()));
    let charts = CHARTS
        .iter()
        .filter_map(|(title, pair)| {
            let series: Vec<Series<'_>> = pair
                .iter()
                .filter_map(|m| {
                    of(*m).map(|values| Series {
                        title: m.title(),
                        values,
                    })
                })
                .collect();
            (!series.is_empty()).then(|| {
                chart::svg(
                    &format!("{id_scope}-{}", title.to_lowercase().replace(' ', "-")),
                    &format!("{title} of {scope}, last {}", window.as_str()),
                    &series,
                    time,
                )
            })
        })
        .collect();
    let all: Vec<Series<'_>> = values
        .iter()
        .map(|(m, v)| Series {
            title: m.title(),
            values: v,
        })
        .collect();
    let table = chart::table(
        &format!("Traffic of {scope}, last {}", window.as_str()),
        &all,
        time,
    );
    Ok(Traffic {
        window: window.as_str().to_owned(),
        partition: partition.map(|p| p.to_string()),
        charts,
        table,
        totals: values
            .iter()
            .map(|(m, v)| (m.title().to_owned(), v.iter().sum::<f64>().max(0.0) as u64))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::fakes::FakeDis;

    #[tokio::test]
    async fn a_stream_gets_three_charts_and_a_partition_two() {
        let dis = FakeDis::with_streams(["s".to_string()]);
        let now = 1_700_000_000_000;
        let v = traffic(&dis, "s", None, "1 h", ZoneOffset::UTC_PLUS_8, now)
            .await
            .unwrap();
        assert_eq!(v.charts.len(), 3);
        assert!(v.totals.contains(&("Records in".to_owned(), 7)));
        assert!(v
            .table
            .contains("<caption>Traffic of stream s, last 1 h</caption>"));
        let before = dis.calls();
        let p = traffic(
            &dis,
            "s",
            Some("shardId-0000000000"),
            "7 d",
            ZoneOffset::UTC,
            now,
        )
        .await
        .unwrap();
        assert_eq!(p.charts.len(), 2);
        assert_eq!(
            dis.calls() - before,
            4,
            "a partition is asked label by label"
        );
        assert_eq!(p.partition.as_deref(), Some("shardId-0000000000"));
    }

    #[tokio::test]
    async fn bad_input_says_what_to_fix() {
        let dis = FakeDis::with_streams(["s".to_string()]);
        let e = traffic(&dis, "s", None, "2 h", ZoneOffset::UTC, 0)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("1 h, 6 h, 24 h, 7 d"), "{e}");
        let e = traffic(&dis, "s", Some("../x"), "1 h", ZoneOffset::UTC, 0)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("shardId-"), "{e}");
        assert!(traffic(&dis, "a/b", None, "1 h", ZoneOffset::UTC, 0)
            .await
            .is_err());
    }
}
