//! Every rule of the dump task, through the same entry points the form and the server use.

use super::task::*;
use super::*;
use proptest::prelude::*;

fn valid() -> TaskDraft {
    TaskDraft {
        task_name: "clicks-to-obs".into(),
        obs_bucket_path: "dis-dumps".into(),
        ..TaskDraft::default()
    }
}

fn errors_of(edit: impl FnOnce(&mut TaskDraft), data_type: DataType) -> FieldErrors {
    let mut d = valid();
    edit(&mut d);
    DumpTask::parse(&d, data_type).expect_err("the draft should be refused")
}

fn message(edit: impl FnOnce(&mut TaskDraft), field: Field) -> String {
    let e = errors_of(edit, DataType::Json);
    e.message_for(field)
        .unwrap_or_else(|| panic!("no error for {field}: {e}"))
        .to_string()
}

#[test]
fn the_default_draft_with_a_name_and_bucket_is_valid() {
    let t = DumpTask::parse(&valid(), DataType::Blob).unwrap();
    assert_eq!(t.deliver_time_interval, 300);
    assert_eq!(t.agency_name.as_str(), "dis_admin_agency");
    assert_eq!(t.partition_format, PartitionFormat::Day);
    assert_eq!(t.record_delimiter, RecordDelimiter::Newline);
    assert_eq!(t.processing_schema, None);
}

/// A copy or a modify of a task starts from its draft: a Timestamp schema, which has no
/// format, must read back as itself.
#[test]
fn a_timestamp_schema_survives_its_draft() {
    let d = TaskDraft {
        destination_file_type: "parquet".into(),
        use_processing_schema: true,
        timestamp_name: "ts".into(),
        timestamp_type: "Timestamp".into(),
        timestamp_format: String::new(),
        ..valid()
    };
    let t = DumpTask::parse(&d, DataType::Json).unwrap();
    assert_eq!(t.to_draft().timestamp_format, "");
    assert_eq!(DumpTask::parse(&t.to_draft(), DataType::Json), Ok(t));
}

#[test]
fn all_errors_come_back_at_once_keyed_by_field() {
    let e = errors_of(
        |d| {
            d.task_name = "bad name".into();
            d.agency_name = String::new();
            d.deliver_time_interval = "10".into();
            d.deliver_size_interval = "0".into();
            d.consumer_strategy = "EARLIEST".into();
            d.file_prefix = "/abs".into();
            d.partition_format = "yyyy-MM".into();
            d.obs_bucket_path = "Bucket".into();
            d.destination_file_type = "csv".into();
            d.record_delimiter = "#".into();
            d.use_processing_schema = true;
            d.timestamp_name = String::new();
            d.timestamp_type = "Date".into();
        },
        DataType::Json,
    );
    let fields: Vec<Field> = e.iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        vec![
            Field::TaskName,
            Field::AgencyName,
            Field::DeliverTimeInterval,
            Field::DeliverSizeInterval,
            Field::ConsumerStrategy,
            Field::FilePrefix,
            Field::PartitionFormat,
            Field::ObsBucketPath,
            Field::DestinationFileType,
            Field::RecordDelimiter,
            Field::TimestampName,
            Field::TimestampType,
        ]
    );
}

#[test]
fn task_name_rule() {
    let m = message(|d| d.task_name = "a.b".into(), Field::TaskName);
    assert_eq!(
        m,
        "'.' is not allowed: use 1 to 64 letters, digits, '-' or '_'."
    );
    assert_eq!(
        message(|d| d.task_name.clear(), Field::TaskName),
        "Enter a task name."
    );
}

#[test]
fn agency_rule() {
    let m = message(|d| d.agency_name = "a".repeat(65), Field::AgencyName);
    assert!(m.contains("at most 64"), "{m}");
    assert!(message(|d| d.agency_name = " ".into(), Field::AgencyName).contains("dis_admin_agency"));
    assert!(message(|d| d.agency_name = "a\nb".into(), Field::AgencyName).contains("line break"));
}

#[test]
fn interval_rules() {
    for ok in ["30", "300", "900", " 60 "] {
        let mut d = valid();
        d.deliver_time_interval = ok.into();
        assert!(DumpTask::parse(&d, DataType::Blob).is_ok(), "{ok}");
    }
    for (bad, want) in [
        ("29", "Must be 30 to 900 seconds."),
        ("901", "Must be 30 to 900 seconds."),
        ("99999999999999999999999", "Must be 30 to 900 seconds."),
        ("", "Enter 30 to 900 seconds."),
        ("5m", "Enter a whole number: 30 to 900 seconds."),
        ("-40", "Enter a whole number: 30 to 900 seconds."),
        ("30.5", "Enter a whole number: 30 to 900 seconds."),
    ] {
        assert_eq!(
            message(
                |d| d.deliver_time_interval = bad.into(),
                Field::DeliverTimeInterval
            ),
            want
        );
    }
    assert_eq!(
        message(
            |d| d.deliver_size_interval = "301".into(),
            Field::DeliverSizeInterval
        ),
        "Must be 1 to 300 MB."
    );
    let mut d = valid();
    d.deliver_size_interval = "128".into();
    assert_eq!(
        DumpTask::parse(&d, DataType::Blob)
            .unwrap()
            .deliver_size_interval,
        Some(128)
    );
}

#[test]
fn file_prefix_rules() {
    for ok in ["", "logs", "a/b/c_1", &"x".repeat(50)] {
        let mut d = valid();
        d.file_prefix = ok.into();
        assert!(DumpTask::parse(&d, DataType::Blob).is_ok(), "{ok:?}");
    }
    assert_eq!(
        message(|d| d.file_prefix = "/logs".into(), Field::FilePrefix),
        "Must not start with '/'."
    );
    assert!(message(|d| d.file_prefix = "a-b".into(), Field::FilePrefix)
        .starts_with("'-' is not allowed"));
    assert!(message(|d| d.file_prefix = "x".repeat(51), Field::FilePrefix).contains("at most 50"));
    assert!(message(|d| d.file_prefix = "a//b".into(), Field::FilePrefix).contains("'//'"));
    assert!(message(|d| d.file_prefix = "a/".into(), Field::FilePrefix).contains("end with '/'"));
    assert!(message(|d| d.file_prefix = "a/../b".into(), Field::FilePrefix).contains("'.'"));
}

#[test]
fn every_enum_value_parses_and_others_do_not() {
    for p in PartitionFormat::ALL {
        assert_eq!(PartitionFormat::parse(p.as_wire()), Ok(*p));
    }
    for c in ConsumerStrategy::ALL {
        assert_eq!(ConsumerStrategy::parse(c.as_wire()), Ok(*c));
    }
    for f in FileType::ALL {
        assert_eq!(FileType::parse(f.as_wire()), Ok(*f));
    }
    assert_eq!(FileType::parse("CarbonData"), Ok(FileType::Carbon));
    for r in RecordDelimiter::ALL {
        assert_eq!(RecordDelimiter::parse(r.as_wire()), Ok(*r));
    }
    assert_eq!(RecordDelimiter::parse("\\n"), Ok(RecordDelimiter::Newline));
    for t in TimestampFormat::ALL {
        assert_eq!(TimestampFormat::parse(t.as_wire()), Ok(*t));
    }
    assert!(PartitionFormat::parse("yyyy/MM/dd/HH/mm/ss").is_err());
    assert!(PartitionFormat::parse("YYYY").is_err());
    assert!(ConsumerStrategy::parse("latest").is_err());
    assert!(TimestampFormat::parse("yyyy-MM-dd").is_err());
}

#[test]
fn bucket_rules() {
    for ok in [
        "abc",
        "my.bucket-01",
        "a1b",
        &"a".repeat(63),
        "1.2.3",
        "192.168.1.1a",
    ] {
        assert!(BucketName::parse(ok).is_ok(), "{ok}");
    }
    let cases = [
        ("ab", "Use 3 to 63 characters (this one has 2)."),
        ("My-Bucket", "'M' is not allowed (bucket names are lowercase): use lowercase letters, digits, '-' and '.'."),
        ("my_bucket", "'_' is not allowed: use lowercase letters, digits, '-' and '.'."),
        ("-abc", "Must start and end with a lowercase letter or a digit."),
        ("abc.", "Must start and end with a lowercase letter or a digit."),
        ("a..b", "Must not contain '..', '.-' or '-.'."),
        ("a.-b", "Must not contain '..', '.-' or '-.'."),
        ("a-.b", "Must not contain '..', '.-' or '-.'."),
        ("192.168.1.1", "Must not be shaped like an IP address (such as 192.168.1.1)."),
        ("", "Enter the name of the OBS bucket the files go to."),
    ];
    for (bad, want) in cases {
        assert_eq!(BucketName::parse(bad).unwrap_err(), want, "{bad}");
    }
    assert!(BucketName::parse(&"a".repeat(64))
        .unwrap_err()
        .contains("has 64"));
}

#[test]
fn parquet_and_carbon_need_a_json_stream() {
    for file_type in ["parquet", "carbon"] {
        for data_type in [DataType::Blob, DataType::Csv] {
            let e = errors_of(|d| d.destination_file_type = file_type.into(), data_type);
            let m = e.message_for(Field::DestinationFileType).unwrap();
            assert!(m.contains("need a stream whose data type is JSON"), "{m}");
            assert!(m.contains(data_type.as_str()), "{m}");
        }
        let mut d = valid();
        d.destination_file_type = file_type.into();
        assert!(DumpTask::parse(&d, DataType::Json).is_ok());
    }
}

#[test]
fn timestamp_format_follows_the_timestamp_type() {
    let with_schema = |t: &str, f: &str| {
        let mut d = valid();
        d.use_processing_schema = true;
        d.timestamp_name = "ts".into();
        d.timestamp_type = t.into();
        d.timestamp_format = f.into();
        d
    };
    let e = DumpTask::parse(&with_schema("String", ""), DataType::Json).unwrap_err();
    assert!(e
        .message_for(Field::TimestampFormat)
        .unwrap()
        .starts_with("Choose the format"));
    let e = DumpTask::parse(
        &with_schema("Timestamp", "yyyy-MM-dd HH:mm:ss"),
        DataType::Json,
    )
    .unwrap_err();
    assert!(e
        .message_for(Field::TimestampFormat)
        .unwrap()
        .starts_with("Leave the format empty"));
    let t = DumpTask::parse(&with_schema("Timestamp", ""), DataType::Json).unwrap();
    assert_eq!(
        t.processing_schema.unwrap().timestamp,
        RecordTime::Timestamp
    );
    for f in TimestampFormat::ALL {
        let t = DumpTask::parse(&with_schema("String", f.as_wire()), DataType::Json).unwrap();
        assert_eq!(
            t.processing_schema.unwrap().timestamp,
            RecordTime::String(*f)
        );
    }
    // With the schema switched off, its fields are ignored, whatever they hold.
    let mut d = with_schema("nonsense", "nonsense");
    d.use_processing_schema = false;
    assert!(DumpTask::parse(&d, DataType::Json)
        .unwrap()
        .processing_schema
        .is_none());
}

#[test]
fn the_schema_parses_alone_with_the_same_rules() {
    let mut d = TaskDraft {
        use_processing_schema: true,
        timestamp_name: "ts".into(),
        timestamp_type: "Timestamp".into(),
        timestamp_format: String::new(),
        ..TaskDraft::default()
    };
    // The rest of the draft is invalid (no name, no bucket); the schema still parses.
    let schema = ProcessingSchema::from_draft(&d).unwrap();
    assert_eq!(schema.timestamp, RecordTime::Timestamp);
    d.timestamp_type = "String".into();
    let e = ProcessingSchema::from_draft(&d).unwrap_err();
    assert!(e.has(Field::TimestampFormat) && e.len() == 1, "{e}");
}

#[test]
fn the_wire_json_is_exact_and_explicit() {
    let mut d = valid();
    d.use_processing_schema = true;
    d.timestamp_name = "event_time".into();
    d.timestamp_type = "String".into();
    d.timestamp_format = "yyyy/MM/dd HH:mm:ss".into();
    d.file_prefix = "app".into();
    let body = DumpTask::parse(&d, DataType::Json).unwrap().request_body();
    let want = r#"{
  "destination_type": "OBS",
  "obs_destination_descriptor": {
    "task_name": "clicks-to-obs",
    "agency_name": "dis_admin_agency",
    "deliver_time_interval": 300,
    "consumer_strategy": "LATEST",
    "file_prefix": "app",
    "partition_format": "yyyy/MM/dd",
    "obs_bucket_path": "dis-dumps",
    "destination_file_type": "text",
    "processing_schema": {
      "timestamp_name": "event_time",
      "timestamp_type": "String",
      "timestamp_format": "yyyy/MM/dd HH:mm:ss"
    },
    "record_delimiter": "\n"
  }
}"#;
    assert_eq!(body, want);
    // Without a schema there is no processing_schema key at all, and no size unless set.
    let body = DumpTask::parse(&valid(), DataType::Json)
        .unwrap()
        .request_body();
    assert!(!body.contains("processing_schema") && !body.contains("deliver_size_interval"));
    assert!(body.contains("\"partition_format\": \"yyyy/MM/dd\""));
}

#[test]
fn descriptors_read_with_dis_defaults() {
    let req: CreateTransferTaskRequest = serde_json::from_str(
        r#"{"destination_type":"OBS","obs_destination_descriptor":{"task_name":"t1","agency_name":"dis_admin_agency","deliver_time_interval":60,"obs_bucket_path":"bkt"}}"#,
    )
    .unwrap();
    let t = DumpTask::from_descriptor(
        req.obs_destination_descriptor.as_ref().unwrap(),
        DataType::Blob,
    )
    .unwrap();
    assert_eq!(t.consumer_strategy, ConsumerStrategy::Latest);
    assert_eq!(t.partition_format, PartitionFormat::Flat);
    assert_eq!(t.destination_file_type, FileType::Text);
    assert_eq!(t.file_prefix.as_str(), "");
    // Missing required fields are named.
    let e = DumpTask::from_descriptor(&ObsDestinationDescriptor::default(), DataType::Blob)
        .unwrap_err();
    for f in [
        Field::TaskName,
        Field::AgencyName,
        Field::DeliverTimeInterval,
        Field::ObsBucketPath,
    ] {
        assert!(e.has(f), "{f}: {e}");
    }
}

fn arb_draft() -> impl Strategy<Value = TaskDraft> {
    let any_text = || prop_oneof![".*", "[a-zA-Z0-9_/.-]{0,70}", Just(String::new())];
    (
        (
            any_text(),
            any_text(),
            any_text(),
            any_text(),
            any_text(),
            any_text(),
            any_text(),
        ),
        (
            any_text(),
            any_text(),
            any_text(),
            any::<bool>(),
            any_text(),
            any_text(),
            any_text(),
        ),
    )
        .prop_map(|((a, b, c, d, e, f, g), (h, i, j, k, l, m, n))| TaskDraft {
            task_name: a,
            agency_name: b,
            deliver_time_interval: c,
            deliver_size_interval: d,
            consumer_strategy: e,
            file_prefix: f,
            partition_format: g,
            obs_bucket_path: h,
            destination_file_type: i,
            record_delimiter: j,
            use_processing_schema: k,
            timestamp_name: l,
            timestamp_type: m,
            timestamp_format: n,
        })
}

fn arb_data_type() -> impl Strategy<Value = DataType> {
    prop_oneof![
        Just(DataType::Blob),
        Just(DataType::Json),
        Just(DataType::Csv)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any input at all: a task or a list of field errors, never a panic; errors are never
    /// empty and every message ends as a sentence.
    #[test]
    fn parse_never_panics(draft in arb_draft(), data_type in arb_data_type()) {
        match DumpTask::parse(&draft, data_type) {
            Ok(task) => {
                // A valid task survives its draft and its wire JSON.
                prop_assert_eq!(DumpTask::parse(&task.to_draft(), data_type), Ok(task.clone()));
                let wire: CreateTransferTaskRequest = serde_json::from_str(&task.request_body()).unwrap();
                prop_assert_eq!(
                    DumpTask::from_descriptor(&wire.obs_destination_descriptor.unwrap(), data_type),
                    Ok(task)
                );
            }
            Err(e) => {
                prop_assert!(!e.is_empty());
                for err in e.iter() {
                    prop_assert!(err.message.ends_with('.'), "{}", err.message);
                }
            }
        }
    }

    #[test]
    fn names_and_buckets_accept_only_their_alphabets(s in ".*") {
        if let Ok(n) = TaskName::parse(&s) {
            prop_assert!(n.as_str().chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
            prop_assert!((1..=64).contains(&n.as_str().len()));
        }
        if let Ok(b) = BucketName::parse(&s) {
            prop_assert!(b.as_str().bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.'));
        }
        if let Ok(p) = FilePrefix::parse(&s) {
            prop_assert!(!p.as_str().starts_with('/') && p.as_str().len() <= 50);
        }
    }

    #[test]
    fn timestamp_parsing_never_panics(s in ".*", f in 0usize..6) {
        let _ = preview::parse_timestamp(&s, TimestampFormat::ALL[f]);
    }

    /// Rendering then parsing a wall-clock time gives it back, for every format.
    #[test]
    fn timestamps_round_trip(ms in -2_000_000_000_000i64..32_000_000_000_000i64, f in 0usize..6) {
        let t = DateTime::from_epoch_ms(ms - ms.rem_euclid(1000), ZoneOffset::UTC);
        let fmt = TimestampFormat::ALL[f];
        let text = fmt
            .as_wire()
            .replace("yyyy", &format!("{:04}", t.year))
            .replace("MM", &format!("{:02}", t.month))
            .replace("dd", &format!("{:02}", t.day))
            .replace("HH", &format!("{:02}", t.hour))
            .replace("mm", &format!("{:02}", t.minute))
            .replace("ss", &format!("{:02}", t.second));
        prop_assert_eq!(preview::parse_timestamp(&text, fmt), Ok(t));
    }

    /// An instant always lies inside the span of its own directory, on any clock.
    #[test]
    fn instants_lie_inside_their_directory(ms in any::<i32>().prop_map(|n| i64::from(n) * 1000), zone in -720i32..=840, f in 1usize..6) {
        let zone = ZoneOffset::from_minutes(zone).unwrap();
        let t = DateTime::from_epoch_ms(ms, zone);
        let (start, end) = PartitionFormat::ALL[f].span(&t).unwrap();
        prop_assert!(start <= t && t < end);
        prop_assert_eq!(PartitionFormat::ALL[f].render(&start), PartitionFormat::ALL[f].render(&t));
    }

    #[test]
    fn samples_never_panic(record in ".*", ts in any::<i64>()) {
        let schema = ProcessingSchema { timestamp_name: "ts".into(), timestamp: RecordTime::Timestamp };
        let _ = preview::sample_landing(&record, &schema, "b", "p", PartitionFormat::Minute, crate::domain::clock::RegionClock::assumed(ZoneOffset::UTC_PLUS_8));
        let rec = format!("{{\"ts\": {ts}}}");
        prop_assert!(preview::sample_landing(&rec, &schema, "b", "p", PartitionFormat::Minute, crate::domain::clock::RegionClock::assumed(ZoneOffset::UTC_PLUS_8)).is_ok());
    }
}
