//! Names that travel in DIS URLs: stream and dump task names. Both are checked against an
//! allowlist (letters, digits, `-`, `_`), so `..`, `/`, `%` and the like are refused here and
//! never need encoding.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest stream or task name. Sources give a stream name's maximum as 60 and as 64; the
/// console accepts 64 so that no existing stream is refused.
pub const MAX_NAME_LEN: usize = 64;

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Checks a stream or task name; `what` names it in the messages ("task name").
fn check_name(input: &str, what: &str) -> Result<String, String> {
    check_allowlisted(input, &format!("Enter a {what}."), MAX_NAME_LEN)
}

/// Checks a name of 1 to `max` of `A-Z a-z 0-9 - _`, trimmed; `empty` is the message for none.
pub(crate) fn check_allowlisted(input: &str, empty: &str, max: usize) -> Result<String, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err(empty.to_owned());
    }
    if let Some(bad) = s.chars().find(|c| !is_name_char(*c)) {
        return Err(format!(
            "{} is not allowed: use 1 to {max} letters, digits, '-' or '_'.",
            describe_char(bad)
        ));
    }
    let len = s.chars().count();
    if len > max {
        return Err(format!(
            "Use 1 to {max} letters, digits, '-' or '_' (this one has {len} characters)."
        ));
    }
    Ok(s.to_string())
}

/// How a message names a character: `'.'`, or `A space` for whitespace.
pub(crate) fn describe_char(c: char) -> String {
    match c {
        ' ' => "A space".to_string(),
        '\t' => "A tab".to_string(),
        '\n' | '\r' => "A line break".to_string(),
        c if c.is_control() => format!("The control character U+{:04X}", c as u32),
        c => format!("'{c}'"),
    }
}

macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(input: &str) -> Result<Self, String> {
                check_name(input, $what).map($name)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(value: String) -> Result<Self, String> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

name_type!(
    /// A DIS stream name: 1 to 64 of `A-Z a-z 0-9 - _`.
    StreamName,
    "stream name"
);
name_type!(
    /// A dump task name: 1 to 64 of `A-Z a-z 0-9 - _`, unique within its stream.
    TaskName,
    "task name"
);

/// A partition id as DIS's URLs take it: `shardId-` and ten digits, or the plain number.
/// Either spelling is kept as typed: DIS accepts both.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PartitionId(String);

impl PartitionId {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim();
        let digits = s.strip_prefix("shardId-").unwrap_or(s);
        let ok = !digits.is_empty()
            && digits.len() <= 10
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits.len() == 10 || !s.starts_with("shardId-"));
        if ok {
            Ok(PartitionId(s.to_string()))
        } else {
            Err(
                "A partition is shardId- and ten digits (shardId-0000000000), or its number."
                    .into(),
            )
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The partition's number.
    pub fn number(&self) -> u64 {
        let digits = self.0.strip_prefix("shardId-").unwrap_or(&self.0);
        digits.parse().unwrap_or(0)
    }
}

impl fmt::Display for PartitionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn partition_ids_are_dis_spellings_only() {
        for ok in ["shardId-0000000003", "3", "0"] {
            assert_eq!(PartitionId::parse(ok).unwrap().as_str(), ok);
        }
        assert_eq!(
            PartitionId::parse("shardId-0000000012").unwrap().number(),
            12
        );
        for bad in [
            "",
            "shardId-",
            "shardId-12",
            "-1",
            "1/..",
            "12345678901",
            "shardId-000000000a",
        ] {
            assert!(PartitionId::parse(bad).is_err(), "{bad}");
        }
    }

    use super::*;

    #[test]
    fn accepts_the_allowlist() {
        for ok in ["a", "task-1", "My_Task_2024", &"x".repeat(64)] {
            assert_eq!(TaskName::parse(ok).unwrap().as_str(), ok);
            assert!(StreamName::parse(ok).is_ok());
        }
        assert_eq!(TaskName::parse("  padded ").unwrap().as_str(), "padded");
    }

    #[test]
    fn refuses_path_tricks_and_says_why() {
        for (bad, named) in [
            ("..", "'.'"),
            ("a/b", "'/'"),
            ("a%2Fb", "'%'"),
            ("a b", "A space"),
            ("tâche", "'â'"),
            ("a\u{0}", "U+0000"),
            ("a?x=1", "'?'"),
        ] {
            let e = TaskName::parse(bad).unwrap_err();
            assert!(e.contains(named), "{bad:?}: {e}");
            assert!(e.contains("letters, digits, '-' or '_'"), "{e}");
        }
        assert_eq!(TaskName::parse("").unwrap_err(), "Enter a task name.");
        assert_eq!(
            StreamName::parse("   ").unwrap_err(),
            "Enter a stream name."
        );
        assert!(TaskName::parse(&"x".repeat(65))
            .unwrap_err()
            .contains("has 65 characters"));
    }

    #[test]
    fn serde_checks_too() {
        assert!(serde_json::from_str::<StreamName>("\"../x\"").is_err());
        let s: StreamName = serde_json::from_str("\"dis-demo\"").unwrap();
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"dis-demo\"");
    }
}
