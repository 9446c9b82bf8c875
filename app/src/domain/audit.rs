//! The audit log's vocabulary: what is recorded, how it ended, and how to filter it.

use serde::{Deserialize, Serialize};

/// Declares an enum whose variants travel and are stored as the given words.
macro_rules! worded {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $word:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $word)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The word the log stores and shows.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                }
            }

            pub fn parse(word: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == word)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

worded! {
    /// What the audit log records.
    AuditAction {
        Login = "login",
        Logout = "logout",
        AddTask = "add task",
        ModifyTask = "modify task",
        StartTasks = "start tasks",
        PauseTasks = "pause tasks",
        DeleteTask = "delete task",
        SendTestRecords = "send test records",
        CreateStream = "create stream",
        ScaleStream = "scale stream",
        ChangeStream = "change stream",
        DeleteStream = "delete stream",
        AddOperator = "add operator",
        ChangeRole = "change role",
        SetPassword = "set password",
        DisableOperator = "disable operator",
        EnableOperator = "enable operator",
    }
}

worded! {
    /// How an audited action ended.
    AuditOutcome {
        /// It was done.
        Ok = "ok",
        /// The console refused it: input, session or role.
        Refused = "refused",
        /// DIS or the console failed while doing it.
        Failed = "failed",
        /// Too many failed logins.
        Throttled = "throttled",
    }
}

impl From<super::dis::TaskAction> for AuditAction {
    fn from(action: super::dis::TaskAction) -> Self {
        match action {
            super::dis::TaskAction::Start => AuditAction::StartTasks,
            super::dis::TaskAction::Stop => AuditAction::PauseTasks,
        }
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at_ms: i64,
    /// The operator's name, or the name typed at a failed login.
    pub operator: String,
    pub action: AuditAction,
    /// `stream/task`, a stream, or an operator's name.
    pub target: String,
    pub outcome: AuditOutcome,
    pub dis_code: Option<String>,
    pub request_id: String,
    /// For an operator who signs on through the identity provider: who they are there.
    #[serde(default)]
    pub identity: Option<super::sso::SignOnIdentity>,
}

/// Which audit lines to list. Action and outcome travel as the words the page shows, so a
/// filter link stays readable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AuditFilter {
    pub operator: String,
    pub action: String,
    pub outcome: String,
    /// Lines before this time only (paging), 0 for the newest.
    pub before_ms: i64,
}

/// A filter that passed [`AuditFilter::check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditQuery {
    /// Empty for any operator.
    pub operator: String,
    pub action: Option<AuditAction>,
    pub outcome: Option<AuditOutcome>,
    /// Lines before this time only; `i64::MAX` for the newest.
    pub before_ms: i64,
}

impl AuditQuery {
    /// The newest lines of `operator` (empty for anyone's), of any action and outcome.
    pub fn newest(operator: &str) -> AuditQuery {
        AuditQuery {
            operator: operator.to_owned(),
            action: None,
            outcome: None,
            before_ms: i64::MAX,
        }
    }
}

impl AuditFilter {
    /// Checks the filter: action and outcome are one of the known ones (or empty); the operator
    /// is free text (failed logins record whatever name was typed), at most 64 characters.
    pub fn check(&self) -> Result<AuditQuery, String> {
        if self.operator.chars().count() > 64 {
            return Err("An operator filter is at most 64 characters.".into());
        }
        let words = |all: &[&str]| all.join(", ");
        let action = match self.action.trim() {
            "" => None,
            a => Some(AuditAction::parse(a).ok_or_else(|| {
                let all: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
                format!("Filter by one of the actions: {}.", words(&all))
            })?),
        };
        let outcome = match self.outcome.trim() {
            "" => None,
            o => Some(AuditOutcome::parse(o).ok_or_else(|| {
                let all: Vec<&str> = AuditOutcome::ALL.iter().map(|o| o.as_str()).collect();
                format!("Filter by one of the outcomes: {}.", words(&all))
            })?),
        };
        Ok(AuditQuery {
            operator: self.operator.trim().to_owned(),
            action,
            outcome,
            before_ms: if self.before_ms > 0 {
                self.before_ms
            } else {
                i64::MAX
            },
        })
    }
}

/// The most characters an audit line keeps of a target or a typed name.
pub const MAX_AUDIT_TEXT: usize = 200;

/// What the audit log keeps of text an operator typed: control characters escaped (so a line
/// cannot fake another), and cut to at most [`MAX_AUDIT_TEXT`] characters, visibly, with the
/// length of the whole. Text that passed validation is short and plain, and is kept as it is.
pub fn bounded(text: &str) -> String {
    let mut kept = String::new();
    let mut total = 0usize;
    for c in text.chars() {
        let mut one = |c: char| {
            total += 1;
            if total <= MAX_AUDIT_TEXT {
                kept.push(c);
            }
        };
        if c.is_control() {
            c.escape_unicode().for_each(&mut one);
        } else {
            one(c);
        }
    }
    if total <= MAX_AUDIT_TEXT {
        return kept;
    }
    let tail = format!("… [{total} characters]");
    let keep = MAX_AUDIT_TEXT - tail.chars().count();
    kept.chars().take(keep).chain(tail.chars()).collect()
}

/// The most audit lines one page lists.
pub const AUDIT_PAGE: u32 = 100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_travel_as_words() {
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.as_str()), Some(*a));
        }
        for o in AuditOutcome::ALL {
            assert_eq!(AuditOutcome::parse(o.as_str()), Some(*o));
        }
        assert_eq!(
            serde_json::to_string(&AuditAction::SendTestRecords).unwrap(),
            "\"send test records\""
        );
        assert_eq!(AuditAction::parse("drop table"), None);
    }

    #[test]
    fn typed_text_is_kept_bounded_and_plain() {
        assert_eq!(bounded("demo-orders/task-1"), "demo-orders/task-1");
        assert_eq!(bounded("a\nb\u{1b}[31m"), "a\\u{a}b\\u{1b}[31m");
        let long = "x".repeat(1_048_579);
        let cut = bounded(&long);
        assert!(cut.chars().count() <= MAX_AUDIT_TEXT, "{}", cut.len());
        assert!(cut.ends_with("… [1048579 characters]"), "{cut}");
        assert_eq!(bounded(&cut), cut, "bounding twice changes nothing");
        let wide = "通".repeat(500);
        assert_eq!(bounded(&wide).chars().count(), MAX_AUDIT_TEXT);
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_bounded(text in ".{0,400}") {
            let b = bounded(&text);
            proptest::prop_assert!(b.chars().count() <= MAX_AUDIT_TEXT);
            proptest::prop_assert!(!b.chars().any(char::is_control));
            proptest::prop_assert_eq!(bounded(&b), b.clone());
        }
    }

    #[test]
    fn filters_name_what_is_allowed() {
        let bad = AuditFilter {
            action: "nope".into(),
            ..Default::default()
        };
        assert!(bad.check().unwrap_err().contains("add task"));
        let bad = AuditFilter {
            outcome: "maybe".into(),
            ..Default::default()
        };
        assert!(bad.check().unwrap_err().contains("throttled"));
        let q = AuditFilter {
            operator: " ann ".into(),
            action: "login".into(),
            ..Default::default()
        }
        .check()
        .unwrap();
        assert_eq!(q.operator, "ann");
        assert_eq!(q.action, Some(AuditAction::Login));
        assert_eq!(q.before_ms, i64::MAX);
    }
}
