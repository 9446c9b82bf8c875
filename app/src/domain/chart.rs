//! Traffic charts as SVG text, and the same numbers as an HTML table, rendered on the server:
//! the browser receives markup, not a chart library. The scaling is pure arithmetic and is
//! tested on its own: an empty chart, one bucket, gaps and spikes.

use super::{DateTime, ZoneOffset};
use std::fmt::Write as _;

/// The value axis: ticks from 0 to `top`, every `step`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Axis {
    pub top: f64,
    pub step: f64,
}

impl Axis {
    /// About four round steps that cover `max`, counting whole things (a step is at least 1).
    /// Nothing to show (zero, negative or not a number) gives the axis 0 to 1.
    pub fn for_max(max: f64) -> Axis {
        if !max.is_finite() || max <= 0.0 {
            return Axis {
                top: 1.0,
                step: 1.0,
            };
        }
        let raw = max / 4.0;
        let magnitude = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .into_iter()
            .map(|f| f * magnitude)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * magnitude)
            .max(1.0);
        Axis {
            top: (max / step).ceil() * step,
            step,
        }
    }

    pub fn ticks(self) -> Vec<f64> {
        let n = (self.top / self.step).round() as usize;
        (0..=n).map(|i| i as f64 * self.step).collect()
    }

    /// Where `value` sits between the bottom (0.0) and the top (1.0), clamped.
    pub fn fraction(self, value: f64) -> f64 {
        if !value.is_finite() {
            return 0.0;
        }
        (value / self.top).clamp(0.0, 1.0)
    }
}

/// `950`, `1.2k`, `3.4M`, `5.6G`: short enough for an axis.
pub fn compact(value: f64) -> String {
    let v = value.abs();
    let (scaled, suffix) = if v >= 1e9 {
        (value / 1e9, "G")
    } else if v >= 1e6 {
        (value / 1e6, "M")
    } else if v >= 1e3 {
        (value / 1e3, "k")
    } else {
        (value, "")
    };
    if suffix.is_empty() || scaled.abs() >= 100.0 || scaled.fract().abs() < 0.05 {
        format!("{scaled:.0}{suffix}")
    } else {
        format!("{scaled:.1}{suffix}")
    }
}

/// One line of a chart.
#[derive(Debug, Clone, Copy)]
pub struct Series<'a> {
    pub title: &'a str,
    pub values: &'a [f64],
}

/// Where and when a chart's buckets lie.
#[derive(Debug, Clone, Copy)]
pub struct Timeline {
    /// The first bucket's start, epoch milliseconds.
    pub start_ms: i64,
    pub bucket_ms: i64,
    /// The region's zone: axis labels are in it; hover text gives UTC too.
    pub zone: ZoneOffset,
}

impl Timeline {
    fn at(self, i: usize) -> i64 {
        self.start_ms + i as i64 * self.bucket_ms
    }

    /// `2026-12-01 12:05 UTC+8 (04:05 UTC)`.
    pub fn moment(self, i: usize) -> String {
        let ms = self.at(i);
        let local = DateTime::from_epoch_ms(ms, self.zone);
        let utc = DateTime::from_epoch_ms(ms, ZoneOffset::UTC);
        format!(
            "{} {} ({:02}:{:02} UTC)",
            local.to_minute_string(),
            self.zone,
            utc.hour,
            utc.minute
        )
    }

    /// An axis label: the clock time, with the day when the chart spans days.
    fn label(self, i: usize, span_ms: i64) -> String {
        let t = DateTime::from_epoch_ms(self.at(i), self.zone);
        if span_ms > 86_400_000 {
            format!("{:02}-{:02}", t.month, t.day)
        } else {
            format!("{:02}:{:02}", t.hour, t.minute)
        }
    }
}

const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 250.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 8.0;
/// Room for the title and the legend above the plot.
const TOP: f64 = 56.0;
const BOTTOM: f64 = 40.0;

/// Text safe inside SVG, HTML or XML, as content or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The largest value of any series.
fn peak(series: &[Series<'_>]) -> f64 {
    series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
}

/// A step line per series over a shared axis, with a hover title per bucket. `id` must be
/// unique on the page (it names the chart's title for screen readers).
pub fn svg(id: &str, title: &str, series: &[Series<'_>], time: Timeline) -> String {
    let n = series.iter().map(|s| s.values.len()).max().unwrap_or(0);
    let axis = Axis::for_max(peak(series));
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = if n == 0 { plot_w } else { plot_w / n as f64 };
    let y = |v: f64| TOP + plot_h * (1.0 - axis.fraction(v));
    let id = escape(id);
    let mut out = String::new();
    let totals: Vec<String> = series
        .iter()
        .map(|s| {
            let sum: f64 = s.values.iter().filter(|v| v.is_finite()).sum();
            format!(
                "{}: {} in total",
                s.title,
                super::health::thousands(sum as u64)
            )
        })
        .collect();
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(&totals.join("; ")),
    );
    // The title, and a legend that tells the lines apart by their dashes as well as colour.
    let _ = write!(
        out,
        r#"<text class="title" x="0" y="20">{}</text>"#,
        escape(title.split(" of ").next().unwrap_or(title))
    );
    for (k, s) in series.iter().enumerate() {
        let x = LEFT + k as f64 * 200.0;
        let _ = write!(
            out,
            r#"<line class="series s{k}" x1="{x:.1}" x2="{:.1}" y1="38" y2="38" fill="none"/><text class="legend" x="{:.1}" y="43">{}</text>"#,
            x + 24.0,
            x + 30.0,
            escape(s.title)
        );
    }
    // Grid and value labels.
    for tick in axis.ticks() {
        let ty = y(tick);
        let _ = write!(
            out,
            r#"<line class="grid" x1="{LEFT}" x2="{:.1}" y1="{ty:.1}" y2="{ty:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            WIDTH - RIGHT,
            LEFT - 4.0,
            ty + 4.0,
            compact(tick)
        );
    }
    // Time labels: five, evenly spaced, on bucket boundaries.
    if n > 0 {
        let span = n as i64 * time.bucket_ms;
        let marks: Vec<usize> = (0..=4).map(|k| k * n / 4).collect();
        for (k, i) in marks.iter().enumerate() {
            let anchor = match k {
                0 => "start",
                4 => "end",
                _ => "middle",
            };
            let _ = write!(
                out,
                r#"<text class="tick" x="{:.1}" y="{:.1}" text-anchor="{anchor}">{}</text>"#,
                LEFT + *i as f64 * slot,
                HEIGHT - BOTTOM + 20.0,
                time.label(*i, span)
            );
        }
        let _ = write!(
            out,
            r#"<text class="tick zone" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            WIDTH - RIGHT,
            HEIGHT - 4.0,
            escape(&time.zone.to_string())
        );
    }
    // The series: a step per bucket.
    for (k, s) in series.iter().enumerate() {
        if s.values.is_empty() {
            continue;
        }
        let mut d = String::new();
        for (i, v) in s.values.iter().enumerate() {
            let x0 = LEFT + i as f64 * slot;
            let vy = y(*v);
            if i == 0 {
                let _ = write!(d, "M{x0:.1} {vy:.1}");
            } else {
                let _ = write!(d, "V{vy:.1}");
            }
            let _ = write!(d, "H{:.1}", x0 + slot);
        }
        let _ = write!(
            out,
            r#"<path class="series s{k}" d="{d}" fill="none"><title>{}</title></path>"#,
            escape(s.title)
        );
    }
    // Hover: each bucket's moment and values.
    for i in 0..n {
        let values: Vec<String> = series
            .iter()
            .map(|s| {
                let v = s.values.get(i).copied().unwrap_or(0.0);
                format!(
                    "{}: {}",
                    s.title,
                    super::health::thousands(v.max(0.0) as u64)
                )
            })
            .collect();
        let _ = write!(
            out,
            r#"<rect class="hover" x="{:.1}" y="{TOP}" width="{slot:.1}" height="{plot_h:.1}" fill="transparent"><title>{}: {}</title></rect>"#,
            LEFT + i as f64 * slot,
            escape(&time.moment(i)),
            escape(&values.join(", "))
        );
    }
    out.push_str("</svg>");
    out
}

/// The same numbers as a table, one row a bucket, for screen readers and copying.
pub fn table(caption: &str, series: &[Series<'_>], time: Timeline) -> String {
    let n = series.iter().map(|s| s.values.len()).max().unwrap_or(0);
    let mut out = format!(
        r#"<table><caption>{}</caption><thead><tr><th scope="col">Time ({})</th>"#,
        escape(caption),
        escape(&time.zone.to_string())
    );
    for s in series {
        let _ = write!(out, r#"<th scope="col">{}</th>"#, escape(s.title));
    }
    out.push_str("</tr></thead><tbody>");
    for i in 0..n {
        let t = DateTime::from_epoch_ms(time.at(i), time.zone);
        let _ = write!(out, r#"<tr><th scope="row">{}</th>"#, t.to_minute_string());
        for s in series {
            let v = s.values.get(i).copied().unwrap_or(0.0).max(0.0);
            let _ = write!(out, "<td>{}</td>", super::health::thousands(v as u64));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// Counts by category as horizontal bars, one a row, each labelled with its category and its
/// count: a histogram whose bins have names (the lateness of a stream's records).
pub fn bars(id: &str, title: &str, rows: &[(&str, usize)]) -> String {
    const ROW: f64 = 26.0;
    const LABEL: f64 = 230.0;
    let height = 30.0 + ROW * rows.len() as f64;
    let most = rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let plot_w = WIDTH - LABEL - 48.0;
    let id = escape(id);
    let mut out = format!(
        r#"<svg class="chart bars" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{id}-title" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><text class="title" x="0" y="18">{}</text>"#,
        escape(title),
        escape(title)
    );
    for (i, (label, n)) in rows.iter().enumerate() {
        let y = 30.0 + ROW * i as f64;
        let w = plot_w * *n as f64 / most;
        let _ = write!(
            out,
            r#"<text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect class="bar" x="{LABEL}" y="{:.1}" width="{w:.1}" height="{:.1}"><title>{}: {n}</title></rect><text class="tick" x="{:.1}" y="{:.1}">{n}</text>"#,
            LABEL - 6.0,
            y + 16.0,
            escape(label),
            y + 4.0,
            ROW - 8.0,
            escape(label),
            LABEL + w + 4.0,
            y + 16.0,
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn timeline() -> Timeline {
        Timeline {
            start_ms: 1_700_000_000_000,
            bucket_ms: 60_000,
            zone: ZoneOffset::UTC_PLUS_8,
        }
    }

    #[test]
    fn an_empty_or_zero_chart_has_a_unit_axis() {
        for max in [0.0, -3.0, f64::NAN, f64::INFINITY] {
            assert_eq!(
                Axis::for_max(max),
                Axis {
                    top: 1.0,
                    step: 1.0
                }
            );
        }
        let svg = svg("c", "Records", &[], timeline());
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn axes_are_round_and_cover_the_peak() {
        assert_eq!(Axis::for_max(7.0).ticks(), vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(Axis::for_max(1.0).ticks(), vec![0.0, 1.0]);
        let a = Axis::for_max(1234.0);
        assert_eq!(a.step, 500.0);
        assert_eq!(a.top, 1500.0);
        // A spike sets the scale; everything else sits low but on the chart.
        let spike = Axis::for_max(1_000_000.0);
        assert_eq!(spike.fraction(1_000_000.0), 1.0);
        assert!(spike.fraction(10.0) > 0.0 && spike.fraction(10.0) < 0.001);
        assert_eq!(spike.fraction(-5.0), 0.0);
    }

    #[test]
    fn one_bucket_draws_a_step_and_a_hover() {
        let values = [5.0];
        let s = svg(
            "one",
            "Records",
            &[Series {
                title: "Records in",
                values: &values,
            }],
            timeline(),
        );
        assert!(s.contains(r#"<path class="series s0" d="M52.0 "#), "{s}");
        assert_eq!(s.matches("<rect class=\"hover\"").count(), 1);
        assert!(s.contains("Records in: 5"));
        assert!(s.contains("UTC+8"));
    }

    #[test]
    fn gaps_read_as_zero_and_hover_gives_both_clocks() {
        let values = [3.0, 0.0, 0.0, 4.0];
        let series = [Series {
            title: "Records in",
            values: &values,
        }];
        let s = svg("gaps", "Records", &series, timeline());
        assert_eq!(s.matches("<rect class=\"hover\"").count(), 4);
        // 1_700_000_000_000 is 2023-11-14 22:13 UTC, 06:13 the next day at UTC+8.
        assert!(s.contains("2023-11-15 06:13 UTC+8 (22:13 UTC)"), "{s}");
        let t = table("Records", &series, timeline());
        assert_eq!(t.matches("<tr><th scope=\"row\">").count(), 4);
        assert!(t.contains("<td>0</td>") && t.contains("<td>4</td>"));
    }

    #[test]
    fn text_is_escaped() {
        let s = svg("x\"y", "<b>", &[], timeline());
        assert!(!s.contains("<b>") && s.contains("&lt;b&gt;") && s.contains("x&quot;y"));
    }

    #[test]
    fn compact_numbers() {
        assert_eq!(compact(0.0), "0");
        assert_eq!(compact(950.0), "950");
        assert_eq!(compact(1_200.0), "1.2k");
        assert_eq!(compact(2_000.0), "2k");
        assert_eq!(compact(3_400_000.0), "3.4M");
        assert_eq!(compact(250_000.0), "250k");
    }

    proptest! {
        #[test]
        fn the_axis_covers_any_peak_in_about_four_steps(max in 0.001f64..1e12) {
            let a = Axis::for_max(max);
            prop_assert!(a.top >= max);
            prop_assert!(a.step >= 1.0);
            let steps = (a.top / a.step).round() as usize;
            prop_assert!((1..=5).contains(&steps), "{steps} steps for {max}");
        }

        #[test]
        fn every_bucket_has_a_hover(values in proptest::collection::vec(0f64..1e9, 0..100)) {
            let s = svg("p", "Records", &[Series { title: "Records in", values: &values }], timeline());
            prop_assert_eq!(s.matches("<rect class=\"hover\"").count(), values.len());
        }
    }

    #[test]
    fn bars_scale_to_the_largest_count_and_escape_labels() {
        let svg = bars(
            "late",
            "Lateness",
            &[("a < b", 2), ("none", 0), ("most", 4)],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("a &lt; b"));
        let widths: Vec<f64> = svg
            .match_indices("width=\"")
            .filter_map(|(i, _)| svg[i + 7..].split('"').next()?.parse().ok())
            .collect();
        assert_eq!(widths.len(), 3);
        assert_eq!(widths[1], 0.0);
        assert!((widths[2] - 2.0 * widths[0]).abs() < 0.2, "{widths:?}");
        // Nothing counted is still a chart, with empty bars.
        assert!(bars("e", "Empty", &[("x", 0)]).contains("width=\"0.0\""));
    }
}
