//! The overview: every stream's dump tasks, those that need attention first, as one snapshot
//! the server reads from DIS in the background and shares with every operator.

use super::dis::TaskState;
use super::health::{Attention, TaskHealth};
use serde::{Deserialize, Serialize};

/// What the overview shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct OverviewSnapshot {
    /// When this data was read from DIS; 0 before the first read finished.
    pub taken_ms: i64,
    /// How many DIS calls reading it took.
    pub calls: u32,
    /// Which read of DIS since the server started, from 1; 0 before the first.
    pub read: u64,
    /// Every stream, by name.
    pub streams: Vec<StreamSummary>,
    /// Every dump task, those that need attention first (see [`OverviewSnapshot::sort`]).
    pub tasks: Vec<TaskLine>,
    /// The last read failed: what is above is from `taken_ms`, and stale.
    pub problem: Option<SnapshotProblem>,
    /// How often the server reads DIS again.
    pub refresh_seconds: u32,
}

/// Why the last read of DIS failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotProblem {
    pub at_ms: i64,
    pub message: String,
    pub code: Option<String>,
    /// DIS's request id, for a ticket with the cloud.
    pub request_id: Option<String>,
}

impl std::fmt::Display for SnapshotProblem {
    /// `Reading DIS failed: … (DIS.5000; DIS request id 0a1b…)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        match (&self.code, &self.request_id) {
            (Some(c), Some(r)) => write!(f, " ({c}; DIS request id {r})"),
            (Some(c), None) => write!(f, " ({c})"),
            (None, Some(r)) => write!(f, " (DIS request id {r})"),
            (None, None) => Ok(()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamSummary {
    pub name: String,
    pub data_type: String,
    pub partitions: u32,
    pub tasks: u32,
    /// Records put in the last hour; read for streams without dump tasks only (records that
    /// nothing dumps), `None` when not read.
    pub recent_records: Option<u64>,
    /// What could not be read of this stream.
    pub problem: Option<String>,
}

/// A dump task in the overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskLine {
    pub stream: String,
    pub task: String,
    pub state: TaskState,
    /// `bucket/prefix`.
    pub destination: Option<String>,
    pub interval_seconds: Option<u32>,
    pub last_dump_ms: i64,
    pub health: TaskHealth,
}

/// The counts at the top of the overview.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Counts {
    pub streams: usize,
    pub tasks: usize,
    /// Tasks by the state DIS reports, in a fixed order, states with none left out.
    pub by_state: Vec<(TaskState, usize)>,
    pub late: usize,
    pub attention: usize,
}

/// Which tasks the overview lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum StateFilter {
    #[default]
    All,
    NeedsAttention,
    Failed,
    Late,
    Paused,
    Running,
}

impl StateFilter {
    pub const ALL: [StateFilter; 6] = [
        StateFilter::All,
        StateFilter::NeedsAttention,
        StateFilter::Failed,
        StateFilter::Late,
        StateFilter::Paused,
        StateFilter::Running,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StateFilter::All => "All",
            StateFilter::NeedsAttention => "Needs attention",
            StateFilter::Failed => "Error or abnormal",
            StateFilter::Late => "Late",
            StateFilter::Paused => "Paused",
            StateFilter::Running => "Running",
        }
    }

    pub fn parse(text: &str) -> StateFilter {
        StateFilter::ALL
            .into_iter()
            .find(|f| f.as_str() == text)
            .unwrap_or_default()
    }
}

impl TaskLine {
    /// Whether the line passes the state filter and its stream or task name contains `name`,
    /// ignoring case.
    pub fn matches(&self, state: StateFilter, name: &str) -> bool {
        let a = self.health.attention;
        let by_state = match state {
            StateFilter::All => true,
            StateFilter::NeedsAttention => a != Attention::Healthy,
            StateFilter::Failed => a == Attention::Failed,
            StateFilter::Late => a == Attention::Late,
            StateFilter::Paused => self.state == TaskState::Paused,
            StateFilter::Running => self.state == TaskState::Running,
        };
        let name = name.trim().to_lowercase();
        by_state
            && (name.is_empty()
                || self.stream.to_lowercase().contains(&name)
                || self.task.to_lowercase().contains(&name))
    }
}

const STATE_ORDER: [TaskState; 7] = [
    TaskState::Error,
    TaskState::Abnormal,
    TaskState::Running,
    TaskState::Starting,
    TaskState::Paused,
    TaskState::Delete,
    TaskState::Unknown,
];

impl OverviewSnapshot {
    /// Tasks that need attention first (failed, late, paused with records waiting, then the
    /// rest), most records behind first within each, then by name; streams by name.
    pub fn sort(&mut self) {
        self.tasks.sort_by(|a, b| {
            (
                a.health.attention,
                std::cmp::Reverse(a.health.behind),
                &a.stream,
                &a.task,
            )
                .cmp(&(
                    b.health.attention,
                    std::cmp::Reverse(b.health.behind),
                    &b.stream,
                    &b.task,
                ))
        });
        self.streams.sort_by(|a, b| a.name.cmp(&b.name));
    }

    pub fn counts(&self) -> Counts {
        let by_state = STATE_ORDER
            .into_iter()
            .map(|s| (s, self.tasks.iter().filter(|t| t.state == s).count()))
            .filter(|(_, n)| *n > 0)
            .collect();
        Counts {
            streams: self.streams.len(),
            tasks: self.tasks.len(),
            by_state,
            late: self
                .tasks
                .iter()
                .filter(|t| t.health.attention == Attention::Late)
                .count(),
            attention: self
                .tasks
                .iter()
                .filter(|t| t.health.attention != Attention::Healthy)
                .count(),
        }
    }

    /// Streams no dump task reads.
    pub fn undumped(&self) -> impl Iterator<Item = &StreamSummary> {
        self.streams.iter().filter(|s| s.tasks == 0)
    }

    /// Whether the page should say the data is old: the last read failed, or none has finished
    /// for three refresh periods.
    pub fn is_stale(&self, now_ms: i64) -> bool {
        let period = i64::from(self.refresh_seconds.max(1)) * 1000;
        self.problem.is_some() || now_ms.saturating_sub(self.taken_ms) > 3 * period
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(
        stream: &str,
        task: &str,
        state: TaskState,
        attention: Attention,
        behind: u64,
    ) -> TaskLine {
        TaskLine {
            stream: stream.into(),
            task: task.into(),
            state,
            destination: None,
            interval_seconds: Some(60),
            last_dump_ms: 0,
            health: TaskHealth {
                attention,
                behind,
                discard: 0,
                reason: String::new(),
            },
        }
    }

    fn snapshot() -> OverviewSnapshot {
        let mut s = OverviewSnapshot {
            taken_ms: 1_000,
            refresh_seconds: 30,
            tasks: vec![
                line("b", "healthy", TaskState::Running, Attention::Healthy, 0),
                line(
                    "a",
                    "paused",
                    TaskState::Paused,
                    Attention::PausedWaiting,
                    5,
                ),
                line("z", "late-small", TaskState::Running, Attention::Late, 3),
                line("a", "late-big", TaskState::Running, Attention::Late, 900),
                line("c", "broken", TaskState::Abnormal, Attention::Failed, 0),
            ],
            streams: ["c", "a", "b", "z", "quiet"]
                .into_iter()
                .map(|n| StreamSummary {
                    name: n.into(),
                    data_type: "JSON".into(),
                    partitions: 1,
                    tasks: u32::from(n != "quiet"),
                    recent_records: None,
                    problem: None,
                })
                .collect(),
            ..Default::default()
        };
        s.sort();
        s
    }

    #[test]
    fn attention_first_then_most_behind() {
        let s = snapshot();
        let order: Vec<&str> = s.tasks.iter().map(|t| t.task.as_str()).collect();
        assert_eq!(
            order,
            ["broken", "late-big", "late-small", "paused", "healthy"]
        );
        assert_eq!(s.streams[0].name, "a");
        assert_eq!(
            s.undumped().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            ["quiet"]
        );
    }

    #[test]
    fn counts_by_state_and_attention() {
        let c = snapshot().counts();
        assert_eq!((c.streams, c.tasks, c.late, c.attention), (5, 5, 2, 4));
        assert_eq!(
            c.by_state,
            vec![
                (TaskState::Abnormal, 1),
                (TaskState::Running, 3),
                (TaskState::Paused, 1)
            ]
        );
        assert_eq!(OverviewSnapshot::default().counts(), Counts::default());
    }

    #[test]
    fn filters_by_state_and_name() {
        let s = snapshot();
        let names = |f: StateFilter, n: &str| -> Vec<String> {
            s.tasks
                .iter()
                .filter(|t| t.matches(f, n))
                .map(|t| t.task.clone())
                .collect()
        };
        assert_eq!(names(StateFilter::Late, ""), ["late-big", "late-small"]);
        assert_eq!(names(StateFilter::NeedsAttention, "").len(), 4);
        assert_eq!(
            names(StateFilter::All, " A ").len(),
            4,
            "stream a, and names with an a"
        );
        assert_eq!(names(StateFilter::Paused, "PAUSED"), ["paused"]);
        assert_eq!(names(StateFilter::Running, "nothing"), Vec::<String>::new());
        for f in StateFilter::ALL {
            assert_eq!(StateFilter::parse(f.as_str()), f);
        }
        assert_eq!(StateFilter::parse("bogus"), StateFilter::All);
    }

    #[test]
    fn stale_after_a_failure_or_three_periods() {
        let mut s = snapshot();
        assert!(!s.is_stale(1_000 + 90_000));
        assert!(s.is_stale(1_000 + 90_001));
        s.problem = Some(SnapshotProblem {
            at_ms: 2_000,
            message: "DIS could not be reached.".into(),
            code: None,
            request_id: None,
        });
        assert!(s.is_stale(2_000));
    }
}
