//! DIS's monitoring API, `GET …/streams/{stream}/metrics` and
//! `…/partitions/{partition}/metrics`: the labels, the windows the console charts, the wire
//! answer and the arithmetic that turns its points into evenly spaced buckets.

use serde::{Deserialize, Serialize};

/// The longest period DIS's monitoring API answers for, and how far back it reaches.
pub const MAX_PERIOD_SECONDS: i64 = 7 * 86_400;

/// DIS's other stream labels (request latencies and successful requests), which the console
/// does not chart.
pub const OTHER_STREAM_LABELS: [&str; 4] = [
    "total_put_req_latency",
    "total_get_req_latency",
    "total_put_req_suc_per_stream",
    "total_get_req_suc_per_stream",
];

/// What a chart counts. Each has a stream label and, for the first four, a partition label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Measure {
    PutRecords,
    PutBytes,
    GetRecords,
    GetBytes,
    ThrottledPut,
    ThrottledGet,
}

impl Measure {
    pub const ALL: [Measure; 6] = [
        Measure::PutRecords,
        Measure::GetRecords,
        Measure::PutBytes,
        Measure::GetBytes,
        Measure::ThrottledPut,
        Measure::ThrottledGet,
    ];

    /// The four a partition reports.
    pub const PARTITION: [Measure; 4] = [
        Measure::PutRecords,
        Measure::GetRecords,
        Measure::PutBytes,
        Measure::GetBytes,
    ];

    /// DIS's label for the whole stream.
    pub fn stream_label(self) -> &'static str {
        match self {
            Measure::PutRecords => "total_put_records_per_stream",
            Measure::PutBytes => "total_put_bytes_per_stream",
            Measure::GetRecords => "total_get_records_per_stream",
            Measure::GetBytes => "total_get_bytes_per_stream",
            Measure::ThrottledPut => "traffic_control_put",
            Measure::ThrottledGet => "traffic_control_get",
        }
    }

    /// DIS's label for one partition, for the measures a partition reports.
    pub fn partition_label(self) -> Option<&'static str> {
        match self {
            Measure::PutRecords => Some("total_put_records_per_partition"),
            Measure::PutBytes => Some("total_put_bytes_per_partition"),
            Measure::GetRecords => Some("total_get_records_per_partition"),
            Measure::GetBytes => Some("total_get_bytes_per_partition"),
            Measure::ThrottledPut | Measure::ThrottledGet => None,
        }
    }

    /// The measure a stream or partition label names.
    pub fn from_label(label: &str) -> Option<Measure> {
        Measure::ALL
            .into_iter()
            .find(|m| m.stream_label() == label || m.partition_label() == Some(label))
    }

    /// How the chart legend and the table name it.
    pub fn title(self) -> &'static str {
        match self {
            Measure::PutRecords => "Records in",
            Measure::PutBytes => "Bytes in",
            Measure::GetRecords => "Records out",
            Measure::GetBytes => "Bytes out",
            Measure::ThrottledPut => "Throttled writes",
            Measure::ThrottledGet => "Throttled reads",
        }
    }
}

/// The answer: `metrics` for a single `label`, `metrics_list` for a `label_list`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct MetricsResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics: Option<Metrics>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub metrics_list: Vec<Metrics>,
}

impl MetricsResponse {
    /// Every series in the answer, wherever DIS put it.
    pub fn series(self) -> Vec<Metrics> {
        self.metrics.into_iter().chain(self.metrics_list).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Metrics {
    pub label: String,
    #[serde(rename = "dataPoints")]
    pub data_points: Vec<DataPoint>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct DataPoint {
    /// DIS does not document the unit; see [`point_ms`].
    pub timestamp: i64,
    pub value: f64,
}

/// A point's time in epoch milliseconds. DIS does not document the unit: a value below
/// 10^11 (before 1973 in milliseconds, after 5138 in seconds) is read as seconds.
pub fn point_ms(timestamp: i64) -> i64 {
    if timestamp.abs() < 100_000_000_000 {
        timestamp.saturating_mul(1000)
    } else {
        timestamp
    }
}

/// The spans the stream page charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Window {
    #[default]
    Hour,
    SixHours,
    Day,
    Week,
}

impl Window {
    pub const ALL: [Window; 4] = [Window::Hour, Window::SixHours, Window::Day, Window::Week];

    pub fn as_str(self) -> &'static str {
        match self {
            Window::Hour => "1 h",
            Window::SixHours => "6 h",
            Window::Day => "24 h",
            Window::Week => "7 d",
        }
    }

    pub fn parse(text: &str) -> Option<Window> {
        Window::ALL.into_iter().find(|w| w.as_str() == text.trim())
    }

    pub fn seconds(self) -> i64 {
        match self {
            Window::Hour => 3_600,
            Window::SixHours => 6 * 3_600,
            Window::Day => 86_400,
            Window::Week => MAX_PERIOD_SECONDS,
        }
    }

    /// One bar of the chart: 60, 72, 72 and 84 of them.
    pub fn bucket_seconds(self) -> i64 {
        match self {
            Window::Hour => 60,
            Window::SixHours => 300,
            Window::Day => 1_200,
            Window::Week => 7_200,
        }
    }

    /// The period to ask DIS for, ending at `now_ms`, in epoch seconds, on bucket boundaries:
    /// the last bucket is the one `now_ms` falls in.
    pub fn period(self, now_ms: i64) -> (i64, i64) {
        let bucket = self.bucket_seconds();
        let end = (now_ms.div_euclid(1000).div_euclid(bucket) + 1) * bucket;
        (end - self.seconds(), end)
    }
}

/// `points` summed into the buckets of `bucket_seconds` from `start` to `end` (epoch seconds).
/// Points outside the period are left out; a bucket no point falls in is zero (DIS reports no
/// point for a minute without traffic).
pub fn buckets(points: &[DataPoint], start: i64, end: i64, bucket_seconds: i64) -> Vec<f64> {
    let bucket_seconds = bucket_seconds.max(1);
    let count = ((end - start).max(0) + bucket_seconds - 1) / bucket_seconds;
    let mut out = vec![0.0; count as usize];
    for p in points {
        let at = point_ms(p.timestamp).div_euclid(1000);
        if at < start || at >= end || !p.value.is_finite() {
            continue;
        }
        let i = ((at - start) / bucket_seconds) as usize;
        if let Some(slot) = out.get_mut(i) {
            *slot += p.value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn labels_round_trip() {
        for m in Measure::ALL {
            assert_eq!(Measure::from_label(m.stream_label()), Some(m));
            if let Some(l) = m.partition_label() {
                assert_eq!(Measure::from_label(l), Some(m));
            }
        }
        assert_eq!(Measure::from_label("traffic_controll_put"), None);
    }

    #[test]
    fn answers_read_both_shapes() {
        let list: MetricsResponse = serde_json::from_str(
            r#"{"metrics_list":[{"label":"total_put_records_per_stream","dataPoints":[{"timestamp":1700000000000,"value":3}]}]}"#,
        )
        .unwrap();
        let one: MetricsResponse = serde_json::from_str(
            r#"{"metrics":{"label":"total_put_bytes_per_partition","dataPoints":[]}}"#,
        )
        .unwrap();
        assert_eq!(list.series()[0].data_points[0].value, 3.0);
        assert_eq!(one.series()[0].label, "total_put_bytes_per_partition");
    }

    #[test]
    fn point_times_in_seconds_or_milliseconds() {
        assert_eq!(point_ms(1_700_000_000), 1_700_000_000_000);
        assert_eq!(point_ms(1_700_000_000_123), 1_700_000_000_123);
    }

    #[test]
    fn windows_end_with_the_current_bucket() {
        let now_ms = 1_700_000_030_000; // 30 s into a minute
        let (start, end) = Window::Hour.period(now_ms);
        assert_eq!(end, 1_700_000_040);
        assert_eq!(end - start, 3_600);
        assert!(end * 1000 > now_ms);
        for w in Window::ALL {
            assert_eq!(Window::parse(w.as_str()), Some(w));
            assert_eq!(w.seconds() % w.bucket_seconds(), 0);
            assert!(w.seconds() <= MAX_PERIOD_SECONDS);
        }
    }

    /// 2023-11-14, a time of the kind DIS reports.
    const BASE: i64 = 1_700_000_000;

    #[test]
    fn buckets_sum_skip_and_fill_gaps() {
        let p = |t: i64, v: f64| DataPoint {
            timestamp: (BASE + t) * 1000,
            value: v,
        };
        let points = [
            p(0, 1.0),
            p(59, 2.0),
            p(60, 5.0),
            p(-1, 9.0),
            p(180, 9.0),
            p(120, f64::NAN),
        ];
        assert_eq!(buckets(&points, BASE, BASE + 180, 60), vec![3.0, 5.0, 0.0]);
        // The same points in seconds land in the same buckets.
        let seconds: Vec<DataPoint> = points
            .iter()
            .map(|p| DataPoint {
                timestamp: p.timestamp / 1000,
                ..*p
            })
            .collect();
        assert_eq!(buckets(&seconds, BASE, BASE + 180, 60), vec![3.0, 5.0, 0.0]);
        assert!(buckets(&[], BASE, BASE + 180, 60).iter().all(|v| *v == 0.0));
        assert!(buckets(&points, BASE, BASE, 60).is_empty());
    }

    proptest! {
        #[test]
        fn buckets_keep_every_point_inside_the_period(ts in proptest::collection::vec(0i64..3_600, 0..200)) {
            let points: Vec<DataPoint> = ts.iter().map(|t| DataPoint { timestamp: (BASE + t) * 1000, value: 1.0 }).collect();
            let b = buckets(&points, BASE, BASE + 3_600, 60);
            prop_assert_eq!(b.len(), 60);
            prop_assert_eq!(b.iter().sum::<f64>() as usize, points.len());
        }
    }
}
