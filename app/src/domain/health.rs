//! Is every task keeping up? The arithmetic of records behind, the lateness rule and the order
//! the overview lists tasks in. Pure: the server computes it for the overview snapshot and the
//! task page; tests pin every edge.
//!
//! Sequence numbers: describe stream reports a partition's range as `"[first : next]"`, the
//! first record still retained and the number the next record will get (an empty partition
//! reads `"[0 : 0]"`, as in DIS's documented examples). A dump task's `last_transfer_offset` is
//! the next sequence number it will dump. So the records a task has yet to dump in a partition
//! are `next - max(first, offset)`: records that expired before the task read them are not
//! waiting (DIS counts them as discarded), and an offset ahead of the range waits for nothing.

use super::dis::{StreamPartition, TaskDetails, TaskPartition, TaskState};
use serde::{Deserialize, Serialize};

/// A partition's retained sequence numbers: `first` up to, not including, `next`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeqRange {
    pub first: u64,
    pub next: u64,
}

impl SeqRange {
    /// Reads DIS's `"[0 : 10]"`; also `"[0, 10]"` and any spacing. `None` for anything else,
    /// or a range whose end is before its start.
    pub fn parse(text: &str) -> Option<SeqRange> {
        let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?;
        let (first, next) = inner.split_once(':').or_else(|| inner.split_once(','))?;
        let first: u64 = first.trim().parse().ok()?;
        let next: u64 = next.trim().parse().ok()?;
        (first <= next).then_some(SeqRange { first, next })
    }

    /// How many records are retained.
    pub fn len(self) -> u64 {
        self.next - self.first
    }

    pub fn is_empty(self) -> bool {
        self.first == self.next
    }

    /// Records at or after `offset` that are still retained: what a task at `offset` has yet
    /// to dump.
    pub fn behind(self, offset: u64) -> u64 {
        self.next.saturating_sub(offset.max(self.first))
    }
}

impl std::fmt::Display for SeqRange {
    /// DIS's own spelling, `[0 : 10]`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{} : {}]", self.first, self.next)
    }
}

/// One partition of one task: how far it has dumped and what waits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionLag {
    pub partition_id: String,
    /// The partition's range, when DIS reported a readable one.
    pub range: Option<SeqRange>,
    pub offset: u64,
    pub behind: u64,
    pub discard: u64,
    pub last_dump_ms: i64,
}

/// The digits of a partition id (`shardId-0000000003` and `3` name the same partition).
fn partition_number(id: &str) -> Option<u64> {
    id.strip_prefix("shardId-").unwrap_or(id).parse().ok()
}

/// Each of a task's partitions beside the stream's range for it. A task partition the stream
/// does not report has no range and nothing behind.
pub fn partition_lags(stream: &[StreamPartition], task: &[TaskPartition]) -> Vec<PartitionLag> {
    task.iter()
        .map(|p| {
            let number = partition_number(&p.partition_id);
            let range = stream
                .iter()
                .find(|s| {
                    s.partition_id == p.partition_id
                        || (number.is_some() && partition_number(&s.partition_id) == number)
                })
                .and_then(|s| SeqRange::parse(&s.sequence_number_range));
            PartitionLag {
                partition_id: p.partition_id.clone(),
                range,
                offset: p.last_transfer_offset,
                behind: range.map_or(0, |r| r.behind(p.last_transfer_offset)),
                discard: p.discard,
                last_dump_ms: p.last_transfer_timestamp,
            }
        })
        .collect()
}

/// What a task needs from an operator, in the order the overview lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Attention {
    /// DIS reports ERROR or ABNORMAL.
    Failed,
    /// Records wait and the last dump is too old: see [`late_after_ms`].
    Late,
    /// Paused while records wait.
    PausedWaiting,
    /// Nothing to do.
    Healthy,
}

impl Attention {
    pub fn as_str(self) -> &'static str {
        match self {
            Attention::Failed => "Failed",
            Attention::Late => "Late",
            Attention::PausedWaiting => "Paused, records waiting",
            Attention::Healthy => "Healthy",
        }
    }
}

/// Grace a dump gets beyond its interval before a task is late.
pub const LATE_GRACE_MS: i64 = 5 * 60 * 1000;

/// How long after its last dump a running task with records waiting is late: twice its
/// interval, or its interval plus five minutes, whichever is longer. A 30-second task is late
/// after 5 min 30 s (a short interval alone would raise alarms over DIS's own scheduling); a
/// 900-second task after 30 minutes.
pub fn late_after_ms(interval_seconds: u32) -> i64 {
    let interval = i64::from(interval_seconds) * 1000;
    (2 * interval).max(interval + LATE_GRACE_MS)
}

/// A task's health, with the reason in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskHealth {
    pub attention: Attention,
    /// Records waiting, over every partition.
    pub behind: u64,
    /// Records the task skipped, over every partition.
    pub discard: u64,
    /// "last dump 14 min ago, interval 5 min, 2,310 records waiting".
    pub reason: String,
}

/// What [`assess`] reads of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskFacts {
    pub state: TaskState,
    /// The dump interval; `None` when DIS did not report one (the task is then never late).
    pub interval_seconds: Option<u32>,
    /// The last dump, 0 for never.
    pub last_dump_ms: i64,
    /// When the task was created: how long a task that never dumped has waited.
    pub create_ms: i64,
    pub behind: u64,
    pub discard: u64,
}

/// Judges a task at `now_ms`.
pub fn assess(facts: TaskFacts, now_ms: i64) -> TaskHealth {
    let TaskFacts {
        state,
        interval_seconds,
        last_dump_ms,
        create_ms,
        behind,
        discard,
    } = facts;
    let waiting = format!(
        "{} {} waiting",
        thousands(behind),
        plural(behind, "record", "records")
    );
    let since = if last_dump_ms > 0 {
        last_dump_ms
    } else {
        create_ms
    };
    let waited = now_ms.saturating_sub(since).max(0);
    let last = if last_dump_ms > 0 {
        format!("last dump {} ago", duration_words(waited))
    } else {
        format!("no dump yet, created {} ago", duration_words(waited))
    };
    let (attention, reason) = match state {
        TaskState::Error | TaskState::Abnormal => (
            Attention::Failed,
            format!("DIS reports {}; {waiting}", state.as_str()),
        ),
        TaskState::Paused if behind > 0 => (Attention::PausedWaiting, format!("paused, {waiting}")),
        TaskState::Running | TaskState::Starting if behind > 0 => match interval_seconds {
            Some(interval) if waited > late_after_ms(interval) => (
                Attention::Late,
                format!(
                    "{last}, interval {}, {waiting}",
                    duration_words(i64::from(interval) * 1000)
                ),
            ),
            _ => (Attention::Healthy, format!("{last}, {waiting}")),
        },
        _ if behind == 0 => (Attention::Healthy, "up to date".to_owned()),
        _ => (Attention::Healthy, waiting),
    };
    TaskHealth {
        attention,
        behind,
        discard,
        reason,
    }
}

/// A task's partitions beside the stream's, and its health at `now_ms`.
pub fn task_health(
    task: &TaskDetails,
    stream: &[StreamPartition],
    now_ms: i64,
) -> (Vec<PartitionLag>, TaskHealth) {
    let lags = partition_lags(stream, &task.partitions);
    let health = assess(
        TaskFacts {
            state: task.state,
            interval_seconds: task.interval_seconds(),
            last_dump_ms: task.last_transfer_timestamp,
            create_ms: task.create_time,
            behind: lags.iter().map(|l| l.behind).sum(),
            discard: lags.iter().map(|l| l.discard).sum(),
        },
        now_ms,
    );
    (lags, health)
}

/// `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn plural<'a>(n: u64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// A span as an operator says it: "40 s", "14 min", "2 h 5 min", "3 days".
pub fn duration_words(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min", s / 60),
        3600..=86_399 if s % 3600 >= 60 => format!("{} h {} min", s / 3600, s % 3600 / 60),
        3600..=86_399 => format!("{} h", s / 3600),
        86_400..=172_799 => "1 day".to_owned(),
        _ => format!("{} days", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn facts(state: TaskState, interval: u32, last: i64, behind: u64) -> TaskFacts {
        TaskFacts {
            state,
            interval_seconds: Some(interval),
            last_dump_ms: last,
            create_ms: 1_000,
            behind,
            discard: 0,
        }
    }

    #[test]
    fn ranges_read_dis_spellings() {
        assert_eq!(
            SeqRange::parse("[0 : 10]"),
            Some(SeqRange { first: 0, next: 10 })
        );
        assert_eq!(
            SeqRange::parse(" [289911:289927] "),
            Some(SeqRange {
                first: 289_911,
                next: 289_927
            })
        );
        assert_eq!(SeqRange::parse("[3, 7]").map(SeqRange::len), Some(4));
        assert!(SeqRange::parse("[0 : 0]").unwrap().is_empty());
        for bad in [
            "",
            "0 : 10",
            "[10 : 2]",
            "[a : 1]",
            "[-1 : -1]",
            "[1 : 2 : 3]",
        ] {
            assert_eq!(SeqRange::parse(bad), None, "{bad}");
        }
        assert_eq!(
            SeqRange { first: 4, next: 9 }.to_string(),
            "[4 : 9]".to_string()
        );
    }

    #[test]
    fn records_behind_covers_empty_expired_and_ahead() {
        let empty = SeqRange { first: 0, next: 0 };
        assert_eq!(empty.behind(0), 0);
        // Records 100..150 retained; the task stopped at 40: 60 expired unread, 50 wait.
        let trimmed = SeqRange {
            first: 100,
            next: 150,
        };
        assert_eq!(trimmed.behind(40), 50);
        assert_eq!(trimmed.behind(120), 30);
        assert_eq!(trimmed.behind(150), 0);
        // An offset ahead of the range (DIS's numbers disagree for a moment): nothing waits.
        assert_eq!(trimmed.behind(900), 0);
    }

    #[test]
    fn lags_pair_partitions_by_number() {
        let stream = vec![
            StreamPartition {
                partition_id: "shardId-0000000000".into(),
                sequence_number_range: "[0 : 10]".into(),
                ..Default::default()
            },
            StreamPartition {
                partition_id: "shardId-0000000001".into(),
                sequence_number_range: "garbled".into(),
                ..Default::default()
            },
        ];
        let task = vec![
            TaskPartition {
                partition_id: "0".into(),
                last_transfer_offset: 4,
                discard: 2,
                ..Default::default()
            },
            TaskPartition {
                partition_id: "shardId-0000000001".into(),
                last_transfer_offset: 4,
                ..Default::default()
            },
            TaskPartition {
                partition_id: "shardId-0000000009".into(),
                ..Default::default()
            },
        ];
        let lags = partition_lags(&stream, &task);
        assert_eq!(lags[0].behind, 6);
        assert_eq!(lags[0].discard, 2);
        assert_eq!(lags[1].range, None);
        assert_eq!(lags[1].behind, 0);
        assert_eq!(lags[2].behind, 0);
    }

    #[test]
    fn late_is_the_longer_of_twice_the_interval_and_interval_plus_five_minutes() {
        assert_eq!(late_after_ms(30), 330_000);
        assert_eq!(late_after_ms(300), 600_000);
        assert_eq!(late_after_ms(900), 1_800_000);
    }

    #[test]
    fn a_running_task_with_waiting_records_and_an_old_dump_is_late() {
        let now = 10_000_000;
        let h = assess(
            facts(TaskState::Running, 300, now - 14 * 60_000, 2_310),
            now,
        );
        assert_eq!(h.attention, Attention::Late);
        assert_eq!(
            h.reason,
            "last dump 14 min ago, interval 5 min, 2,310 records waiting"
        );
        // The same age is fine with nothing waiting, or within the limit.
        let fine = assess(facts(TaskState::Running, 300, now - 14 * 60_000, 0), now);
        assert_eq!(fine.attention, Attention::Healthy);
        let soon = assess(facts(TaskState::Running, 300, now - 9 * 60_000, 5), now);
        assert_eq!(soon.attention, Attention::Healthy);
    }

    #[test]
    fn a_task_that_never_dumped_counts_from_its_creation() {
        let h = assess(
            TaskFacts {
                last_dump_ms: 0,
                create_ms: 0,
                ..facts(TaskState::Running, 60, 0, 1)
            },
            3_600_000,
        );
        assert_eq!(h.attention, Attention::Late);
        assert!(
            h.reason.starts_with("no dump yet, created 1 h ago"),
            "{}",
            h.reason
        );
    }

    #[test]
    fn states_order_failed_late_paused_healthy() {
        let now = 100_000_000;
        let old = now - 3_600_000;
        let failed = assess(facts(TaskState::Abnormal, 60, now, 0), now);
        let late = assess(facts(TaskState::Running, 60, old, 1), now);
        let paused = assess(facts(TaskState::Paused, 60, old, 1), now);
        let paused_idle = assess(facts(TaskState::Paused, 60, old, 0), now);
        assert_eq!(failed.attention, Attention::Failed);
        assert_eq!(late.attention, Attention::Late);
        assert_eq!(paused.attention, Attention::PausedWaiting);
        assert_eq!(paused_idle.attention, Attention::Healthy);
        assert!(failed.attention < late.attention && late.attention < paused.attention);
        assert_eq!(paused.reason, "paused, 1 record waiting");
    }

    #[test]
    fn words_for_numbers_and_spans() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(duration_words(-5), "0 s");
        assert_eq!(duration_words(40_000), "40 s");
        assert_eq!(duration_words(14 * 60_000), "14 min");
        assert_eq!(duration_words(3_600_000), "1 h");
        assert_eq!(duration_words(7_500_000), "2 h 5 min");
        assert_eq!(duration_words(3 * 86_400_000), "3 days");
    }

    proptest! {
        #[test]
        fn behind_never_exceeds_what_is_retained(first in 0u64..1_000_000, len in 0u64..1_000_000, offset in 0u64..3_000_000) {
            let r = SeqRange { first, next: first + len };
            prop_assert!(r.behind(offset) <= r.len());
            // Dumping more never leaves more waiting.
            prop_assert!(r.behind(offset + 1) <= r.behind(offset));
            prop_assert_eq!(SeqRange::parse(&r.to_string()), Some(r));
        }

        #[test]
        fn lateness_needs_waiting_records_and_an_old_dump(interval in 30u32..=900, age in 0i64..10_000_000, behind in 0u64..10_000) {
            let now = 50_000_000_000;
            let h = assess(facts(TaskState::Running, interval, now - age, behind), now);
            let late = behind > 0 && age > late_after_ms(interval);
            prop_assert_eq!(h.attention == Attention::Late, late);
            prop_assert_eq!(h.behind, behind);
        }

        #[test]
        fn thousands_keeps_the_digits(n in any::<u64>()) {
            prop_assert_eq!(thousands(n).replace(',', ""), n.to_string());
        }
    }
}
