//! A dump task's settings as an operator reads them, and what differs between two versions of
//! a task. The wizard's review lists the settings; modifying a task lists its changes before →
//! after, names them in the audit line, and compares what DIS reports with what the form
//! started from. All of them read this one list.

use super::task::{DataType, DumpTask, TaskDraft};

/// One setting: its name in the request JSON, its label in the console and its value in
/// words. Within one key, different values read differently, so comparing the words compares
/// the values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
}

/// What one setting was, and what it becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub key: &'static str,
    pub label: &'static str,
    pub before: String,
    pub after: String,
}

/// The settings a modify keeps as they were: DIS names a task by its name, and its start
/// position only decides where a new task starts reading.
pub const KEPT_BY_MODIFY: [&str; 2] = ["task_name", "consumer_strategy"];

impl DumpTask {
    /// Every setting, in the order the wizard asks for them.
    pub fn settings(&self) -> Vec<Setting> {
        let setting = |key, label, value: String| Setting { key, label, value };
        let schema = match &self.processing_schema {
            None => "None: directories follow the time of the dump".to_string(),
            // The field name is quoted and escaped: no name can read like another setting.
            Some(s) => match s.timestamp.format() {
                Some(f) => format!("{:?}, String, {}", s.timestamp_name, f.as_wire()),
                None => format!("{:?}, Timestamp (epoch milliseconds)", s.timestamp_name),
            },
        };
        vec![
            setting("task_name", "Task name", self.task_name.to_string()),
            setting(
                "agency_name",
                "IAM agency",
                self.agency_name.as_str().into(),
            ),
            setting(
                "consumer_strategy",
                "Start from",
                self.consumer_strategy.label().into(),
            ),
            setting(
                "destination_file_type",
                "File type",
                self.destination_file_type.label().into(),
            ),
            setting(
                "record_delimiter",
                "Record delimiter",
                self.record_delimiter.label().into(),
            ),
            setting(
                "obs_bucket_path",
                "OBS bucket",
                self.obs_bucket_path.as_str().into(),
            ),
            setting(
                "file_prefix",
                "Directory prefix",
                match self.file_prefix.as_str() {
                    "" => "(none)".into(),
                    prefix => prefix.into(),
                },
            ),
            setting(
                "partition_format",
                "Time directories",
                self.partition_format.label().into(),
            ),
            setting(
                "deliver_time_interval",
                "Dump interval",
                format!("{} seconds", self.deliver_time_interval),
            ),
            setting(
                "deliver_size_interval",
                "Dump size",
                self.deliver_size_interval
                    .map(|mb| format!("{mb} MB"))
                    .unwrap_or_else(|| "(not set)".into()),
            ),
            setting("processing_schema", "Timestamp schema", schema),
        ]
    }
}

/// The settings of `after` that differ from `before`, in the wizard's order, leaving out those
/// a modify keeps ([`KEPT_BY_MODIFY`]).
pub fn changes(before: &DumpTask, after: &DumpTask) -> Vec<Change> {
    before
        .settings()
        .into_iter()
        .zip(after.settings())
        .filter(|(b, a)| b.value != a.value && !KEPT_BY_MODIFY.contains(&b.key))
        .map(|(b, a)| Change {
            key: b.key,
            label: b.label,
            before: b.value,
            after: a.value,
        })
        .collect()
}

/// The keys of `changes`, as the audit line names them: `file_prefix, deliver_time_interval`.
pub fn keys(changes: &[Change]) -> String {
    changes.iter().map(|c| c.key).collect::<Vec<_>>().join(", ")
}

/// The keys of what a modify from the draft `before` to the draft `after` asks to change, when
/// both are valid: what the audit line of a modify names.
pub fn asked(before: &TaskDraft, after: &TaskDraft) -> Option<String> {
    let parse = |d| DumpTask::parse(d, DataType::Json).ok();
    Some(keys(&changes(&parse(before)?, &parse(after)?)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn task(edit: impl FnOnce(&mut TaskDraft)) -> DumpTask {
        let mut d = TaskDraft {
            task_name: "orders-to-obs".into(),
            obs_bucket_path: "dumps".into(),
            file_prefix: "orders".into(),
            ..TaskDraft::default()
        };
        edit(&mut d);
        DumpTask::parse(&d, DataType::Json).expect("a valid draft")
    }

    #[test]
    fn a_modify_lists_each_changed_setting_before_and_after() {
        let before = task(|_| {});
        let after = task(|d| {
            d.file_prefix = "orders/v2".into();
            d.deliver_time_interval = "120".into();
        });
        let c = changes(&before, &after);
        assert_eq!(
            c,
            vec![
                Change {
                    key: "file_prefix",
                    label: "Directory prefix",
                    before: "orders".into(),
                    after: "orders/v2".into(),
                },
                Change {
                    key: "deliver_time_interval",
                    label: "Dump interval",
                    before: "300 seconds".into(),
                    after: "120 seconds".into(),
                },
            ]
        );
        assert_eq!(keys(&c), "file_prefix, deliver_time_interval");
        assert!(changes(&before, &before).is_empty());
        assert_eq!(
            asked(&before.to_draft(), &after.to_draft()).as_deref(),
            Some("file_prefix, deliver_time_interval")
        );
        let broken = TaskDraft {
            deliver_time_interval: "ten".into(),
            ..after.to_draft()
        };
        assert_eq!(asked(&before.to_draft(), &broken), None);
    }

    #[test]
    fn the_name_and_start_position_are_not_changes() {
        let before = task(|_| {});
        let after = task(|d| {
            d.task_name = "other".into();
            d.consumer_strategy = "TRIM_HORIZON".into();
        });
        assert!(changes(&before, &after).is_empty());
    }

    #[test]
    fn a_schema_reads_as_one_setting() {
        let before = task(|_| {});
        let after = task(|d| {
            d.destination_file_type = "parquet".into();
            d.use_processing_schema = true;
            d.timestamp_name = "ts".into();
            d.timestamp_type = "Timestamp".into();
            d.timestamp_format = String::new();
        });
        let c = changes(&before, &after);
        let schema = c.iter().find(|c| c.key == "processing_schema").unwrap();
        assert_eq!(
            schema.before,
            "None: directories follow the time of the dump"
        );
        assert_eq!(schema.after, "\"ts\", Timestamp (epoch milliseconds)");
        assert_eq!(keys(&c), "destination_file_type, processing_schema");
    }

    fn draft() -> impl Strategy<Value = TaskDraft> {
        (
            prop::sample::select(vec!["dis_admin_agency", "writer", "a b"]),
            prop::sample::select(vec!["30", "300", "900"]),
            prop::sample::select(vec!["", "64"]),
            prop::sample::select(vec!["", "a", "a/b", "none"]),
            prop::sample::select(vec!["", "yyyy", "yyyy/MM/dd"]),
            prop::sample::select(vec!["dumps", "other-bucket"]),
            prop::sample::select(vec!["text", "parquet"]),
            prop::sample::select(vec!["\n", "|"]),
            prop::sample::select(vec![
                None,
                Some(("ts", "Timestamp", "")),
                Some(("ts", "String", "yyyy-MM-dd HH:mm:ss")),
                Some(("ts\", String, x", "Timestamp", "")),
                Some(("time", "String", "yyyy/MM/dd HH:mm:ss")),
            ]),
        )
            .prop_map(
                |(agency, interval, size, prefix, partitions, bucket, file, delim, schema)| {
                    TaskDraft {
                        task_name: "t".into(),
                        agency_name: agency.into(),
                        deliver_time_interval: interval.into(),
                        deliver_size_interval: size.into(),
                        file_prefix: prefix.into(),
                        partition_format: partitions.into(),
                        obs_bucket_path: bucket.into(),
                        destination_file_type: file.into(),
                        record_delimiter: delim.into(),
                        use_processing_schema: schema.is_some(),
                        timestamp_name: schema.map(|s| s.0).unwrap_or_default().into(),
                        timestamp_type: schema.map(|s| s.1).unwrap_or("String").into(),
                        timestamp_format: schema.map(|s| s.2).unwrap_or_default().into(),
                        ..TaskDraft::default()
                    }
                },
            )
    }

    proptest! {
        /// No change listed exactly when the tasks are equal: the words tell every value apart.
        #[test]
        fn nothing_changes_exactly_when_the_tasks_are_equal(a in draft(), b in draft()) {
            let (a, b) = (
                DumpTask::parse(&a, DataType::Json).unwrap(),
                DumpTask::parse(&b, DataType::Json).unwrap(),
            );
            let c = changes(&a, &b);
            prop_assert_eq!(c.is_empty(), a == b);
            prop_assert!(c.iter().all(|c| c.before != c.after));
            prop_assert_eq!(changes(&b, &a).len(), c.len());
        }

        /// A task's draft (what a copy or a modify starts from) reads back as the same task.
        #[test]
        fn a_task_read_back_from_its_draft_is_the_same_task(d in draft()) {
            let t = DumpTask::parse(&d, DataType::Json).unwrap();
            prop_assert_eq!(DumpTask::parse(&t.to_draft(), DataType::Json), Ok(t));
        }
    }
}
