//! The OBS dump task: its fields as types, the form draft they are parsed from, the cross-field
//! rules, and the request JSON DIS receives. The browser runs these parses as the operator types;
//! the server runs them again before anything reaches DIS.

use super::errors::{Field, FieldErrors};
use super::names::{describe_char, TaskName};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The agency name the DIS console creates for dump tasks.
pub const DEFAULT_AGENCY: &str = "dis_admin_agency";
/// At most this many dump tasks per stream (DIS.4357 beyond).
pub const MAX_TASKS_PER_STREAM: usize = 5;

/// The data type of a stream's records; it decides which file types a dump task may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "UPPERCASE")]
pub enum DataType {
    #[default]
    Blob,
    Json,
    Csv,
}

impl DataType {
    pub const ALL: [DataType; 3] = [DataType::Blob, DataType::Json, DataType::Csv];

    pub fn as_str(self) -> &'static str {
        match self {
            DataType::Blob => "BLOB",
            DataType::Json => "JSON",
            DataType::Csv => "CSV",
        }
    }

    pub fn parse(input: &str) -> Result<Self, String> {
        match input.trim() {
            "BLOB" => Ok(DataType::Blob),
            "JSON" => Ok(DataType::Json),
            "CSV" => Ok(DataType::Csv),
            _ => Err("Choose BLOB, JSON or CSV.".to_string()),
        }
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Defines a closed set of wire values with its parse, its wire string and a human label.
macro_rules! wire_enum {
    (
        $(#[$doc:meta])* $name:ident, $help:literal,
        { $($variant:ident => $wire:literal, $label:literal $(| $alias:literal)*;)+ }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value DIS expects in the request JSON.
            pub fn as_wire(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            /// How the console's form names the choice.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(input: &str) -> Result<Self, String> {
                match input {
                    $($wire $(| $alias)* => Ok($name::$variant),)+
                    _ => Err($help.to_string()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

wire_enum!(
    /// Where a new task starts reading: the newest records, or the oldest the stream keeps.
    /// Fixed once the task exists.
    ConsumerStrategy, "Choose LATEST (new records only) or TRIM_HORIZON (oldest records kept by the stream).",
    {
        Latest => "LATEST", "Latest: only records that arrive from now on";
        TrimHorizon => "TRIM_HORIZON", "Trim horizon: the oldest records the stream still keeps";
    }
);

wire_enum!(
    /// The time directories under the prefix.
    PartitionFormat, "Choose no time directories, or one of yyyy, yyyy/MM, yyyy/MM/dd, yyyy/MM/dd/HH, yyyy/MM/dd/HH/mm.",
    {
        Flat => "", "No time directories" | "N/A";
        Year => "yyyy", "yyyy (a directory per year)";
        Month => "yyyy/MM", "yyyy/MM (per month)";
        Day => "yyyy/MM/dd", "yyyy/MM/dd (per day)";
        Hour => "yyyy/MM/dd/HH", "yyyy/MM/dd/HH (per hour)";
        Minute => "yyyy/MM/dd/HH/mm", "yyyy/MM/dd/HH/mm (per minute)";
    }
);

wire_enum!(
    /// The format of the dumped files.
    FileType, "Choose text, parquet or carbon.",
    {
        Text => "text", "Text";
        Parquet => "parquet", "Parquet";
        Carbon => "carbon", "CarbonData" | "CarbonData";
    }
);

wire_enum!(
    /// What separates records inside a text file.
    RecordDelimiter, "Choose a comma, a semicolon, a vertical bar, a line break or none.",
    {
        Newline => "\n", "Line break (\\n)" | "\\n";
        Comma => ",", "Comma (,)";
        Semicolon => ";", "Semicolon (;)";
        Pipe => "|", "Vertical bar (|)";
        Empty => "", "None (records back to back)" | "NULL";
    }
);

impl RecordDelimiter {
    /// The delimiter as it appears in a file.
    pub fn as_text(self) -> &'static str {
        self.as_wire()
    }
}

wire_enum!(
    /// How a String timestamp is written in the records.
    TimestampFormat, "Choose one of the six formats DIS reads, such as yyyy-MM-dd HH:mm:ss.",
    {
        SlashYmd => "yyyy/MM/dd HH:mm:ss", "yyyy/MM/dd HH:mm:ss";
        SlashMdy => "MM/dd/yyyy HH:mm:ss", "MM/dd/yyyy HH:mm:ss";
        SlashDmy => "dd/MM/yyyy HH:mm:ss", "dd/MM/yyyy HH:mm:ss";
        DashYmd => "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss";
        DashMdy => "MM-dd-yyyy HH:mm:ss", "MM-dd-yyyy HH:mm:ss";
        DashDmy => "dd-MM-yyyy HH:mm:ss", "dd-MM-yyyy HH:mm:ss";
    }
);

/// The two kinds of record timestamp DIS reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimestampType {
    /// Text in one of the [`TimestampFormat`]s.
    String,
    /// A 13-digit number of epoch milliseconds.
    Timestamp,
}

impl TimestampType {
    pub const ALL: [TimestampType; 2] = [TimestampType::String, TimestampType::Timestamp];

    pub fn as_wire(self) -> &'static str {
        match self {
            TimestampType::String => "String",
            TimestampType::Timestamp => "Timestamp",
        }
    }

    pub fn parse(input: &str) -> Result<Self, String> {
        match input {
            "String" => Ok(TimestampType::String),
            "Timestamp" => Ok(TimestampType::Timestamp),
            _ => Err(
                "Choose String (formatted text) or Timestamp (13-digit epoch milliseconds).".into(),
            ),
        }
    }
}

/// The time directories come from each record's own timestamp: the attribute that holds it and
/// how it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessingSchema {
    pub timestamp_name: String,
    pub timestamp: RecordTime,
}

/// A record timestamp's type, with the format a String timestamp needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordTime {
    String(TimestampFormat),
    Timestamp,
}

impl RecordTime {
    pub fn timestamp_type(self) -> TimestampType {
        match self {
            RecordTime::String(_) => TimestampType::String,
            RecordTime::Timestamp => TimestampType::Timestamp,
        }
    }

    pub fn format(self) -> Option<TimestampFormat> {
        match self {
            RecordTime::String(f) => Some(f),
            RecordTime::Timestamp => None,
        }
    }
}

impl ProcessingSchema {
    /// The schema part of a draft alone, with its field errors (the sample-record check needs
    /// it while other steps still have problems).
    pub fn from_draft(draft: &TaskDraft) -> Result<ProcessingSchema, FieldErrors> {
        let mut errors = FieldErrors::new();
        match parse_processing_schema(
            &draft.timestamp_name,
            &draft.timestamp_type,
            &draft.timestamp_format,
            &mut errors,
        ) {
            Some(schema) if errors.is_empty() => Ok(schema),
            _ => Err(errors),
        }
    }
}

/// An OBS bucket name, checked against OBS's naming rules.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BucketName(String);

impl BucketName {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim();
        if s.is_empty() {
            return Err("Enter the name of the OBS bucket the files go to.".into());
        }
        if let Some(bad) = s
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '.'))
        {
            let hint = if bad.is_ascii_uppercase() {
                " (bucket names are lowercase)"
            } else {
                ""
            };
            return Err(format!(
                "{} is not allowed{hint}: use lowercase letters, digits, '-' and '.'.",
                describe_char(bad)
            ));
        }
        let len = s.len();
        if !(3..=63).contains(&len) {
            return Err(format!("Use 3 to 63 characters (this one has {len})."));
        }
        let edge_ok = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
        if !edge_ok(s.as_bytes()[0]) || !edge_ok(s.as_bytes()[len - 1]) {
            return Err("Must start and end with a lowercase letter or a digit.".into());
        }
        if s.contains("..") || s.contains(".-") || s.contains("-.") {
            return Err("Must not contain '..', '.-' or '-.'.".into());
        }
        if looks_like_ipv4(s) {
            return Err("Must not be shaped like an IP address (such as 192.168.1.1).".into());
        }
        Ok(BucketName(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn looks_like_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The directory under the bucket: up to 50 of letters, digits, `_` and `/`, in non-empty
/// segments. Empty means the bucket's root.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FilePrefix(String);

pub const MAX_FILE_PREFIX_LEN: usize = 50;

impl FilePrefix {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim();
        if let Some(bad) = s
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '/'))
        {
            return Err(format!(
                "{} is not allowed: use letters, digits, '_' and '/' between directories.",
                describe_char(bad)
            ));
        }
        if s.len() > MAX_FILE_PREFIX_LEN {
            return Err(format!(
                "Use at most 50 characters (this one has {}).",
                s.len()
            ));
        }
        if s.starts_with('/') {
            return Err("Must not start with '/'.".into());
        }
        if s.ends_with('/') {
            return Err("Must not end with '/': the time directories follow after one.".into());
        }
        if s.contains("//") {
            return Err("Must not contain '//': every directory needs a name.".into());
        }
        Ok(FilePrefix(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The IAM agency DIS uses to write to OBS.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AgencyName(String);

impl AgencyName {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim();
        if s.is_empty() {
            return Err(format!(
                "Enter the IAM agency DIS writes to OBS with (the DIS console creates {DEFAULT_AGENCY})."
            ));
        }
        if let Some(bad) = s.chars().find(|c| c.is_control()) {
            return Err(format!("{} is not allowed.", describe_char(bad)));
        }
        let len = s.chars().count();
        if len > 64 {
            return Err(format!("Use at most 64 characters (this one has {len})."));
        }
        Ok(AgencyName(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Parses a whole number in `min..=max` for a field whose unit is `unit`.
fn parse_in_range(input: &str, min: u32, max: u32, unit: &str) -> Result<u32, String> {
    let s = input.trim();
    let range = format!("{min} to {max} {unit}");
    if s.is_empty() {
        return Err(format!("Enter {range}."));
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("Enter a whole number: {range}."));
    }
    match s.parse::<u64>() {
        Ok(n) if n >= u64::from(min) && n <= u64::from(max) => Ok(n as u32),
        _ => Err(format!("Must be {range}.")),
    }
}

pub const MIN_DELIVER_TIME_INTERVAL: u32 = 30;
pub const MAX_DELIVER_TIME_INTERVAL: u32 = 900;
pub const DEFAULT_DELIVER_TIME_INTERVAL: u32 = 300;

/// How often a task writes a file, in seconds (30 to 900).
pub fn parse_deliver_time_interval(input: &str) -> Result<u32, String> {
    parse_in_range(
        input,
        MIN_DELIVER_TIME_INTERVAL,
        MAX_DELIVER_TIME_INTERVAL,
        "seconds",
    )
}

/// The optional size trigger, in MB (1 to 300); empty means none.
pub fn parse_deliver_size_interval(input: &str) -> Result<Option<u32>, String> {
    if input.trim().is_empty() {
        return Ok(None);
    }
    parse_in_range(input, 1, 300, "MB").map(Some)
}

/// The JSON attribute that holds a record's time.
pub fn parse_timestamp_name(input: &str) -> Result<String, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("Enter the name of the record field that holds its time.".into());
    }
    if let Some(bad) = s.chars().find(|c| c.is_control()) {
        return Err(format!("{} is not allowed.", describe_char(bad)));
    }
    let len = s.chars().count();
    if len > 128 {
        return Err(format!("Use at most 128 characters (this one has {len})."));
    }
    Ok(s.to_string())
}

/// The dump task form as typed: every field as text, so nothing the operator entered is lost
/// while it is still wrong. Field values are the wire values of the choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskDraft {
    pub task_name: String,
    pub agency_name: String,
    pub deliver_time_interval: String,
    pub deliver_size_interval: String,
    pub consumer_strategy: String,
    pub file_prefix: String,
    pub partition_format: String,
    pub obs_bucket_path: String,
    pub destination_file_type: String,
    pub record_delimiter: String,
    pub use_processing_schema: bool,
    pub timestamp_name: String,
    pub timestamp_type: String,
    pub timestamp_format: String,
}

impl Default for TaskDraft {
    /// A new task as the DIS console proposes one.
    fn default() -> Self {
        TaskDraft {
            task_name: String::new(),
            agency_name: DEFAULT_AGENCY.to_string(),
            deliver_time_interval: DEFAULT_DELIVER_TIME_INTERVAL.to_string(),
            deliver_size_interval: String::new(),
            consumer_strategy: ConsumerStrategy::Latest.as_wire().to_string(),
            file_prefix: String::new(),
            partition_format: PartitionFormat::Day.as_wire().to_string(),
            obs_bucket_path: String::new(),
            destination_file_type: FileType::Text.as_wire().to_string(),
            record_delimiter: RecordDelimiter::Newline.as_wire().to_string(),
            use_processing_schema: false,
            timestamp_name: String::new(),
            timestamp_type: TimestampType::String.as_wire().to_string(),
            timestamp_format: TimestampFormat::DashYmd.as_wire().to_string(),
        }
    }
}

/// Which member of the draft holds each field's text.
macro_rules! draft_texts {
    ($($field:ident => $member:ident,)+) => {
        impl TaskDraft {
            /// The text the operator typed or chose for `field`.
            pub fn text(&self, field: Field) -> &String {
                match field {
                    $(Field::$field => &self.$member,)+
                }
            }

            /// The text of `field`, to change.
            pub fn text_mut(&mut self, field: Field) -> &mut String {
                match field {
                    $(Field::$field => &mut self.$member,)+
                }
            }
        }
    };
}

draft_texts! {
    TaskName => task_name,
    AgencyName => agency_name,
    DeliverTimeInterval => deliver_time_interval,
    DeliverSizeInterval => deliver_size_interval,
    ConsumerStrategy => consumer_strategy,
    FilePrefix => file_prefix,
    PartitionFormat => partition_format,
    ObsBucketPath => obs_bucket_path,
    DestinationFileType => destination_file_type,
    RecordDelimiter => record_delimiter,
    TimestampName => timestamp_name,
    TimestampType => timestamp_type,
    TimestampFormat => timestamp_format,
}

/// A dump task that satisfies every rule, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpTask {
    pub task_name: TaskName,
    pub agency_name: AgencyName,
    pub deliver_time_interval: u32,
    pub deliver_size_interval: Option<u32>,
    pub consumer_strategy: ConsumerStrategy,
    pub file_prefix: FilePrefix,
    pub partition_format: PartitionFormat,
    pub obs_bucket_path: BucketName,
    pub destination_file_type: FileType,
    pub record_delimiter: RecordDelimiter,
    pub processing_schema: Option<ProcessingSchema>,
}

impl DumpTask {
    /// Parses a draft for a stream of `data_type`, returning every problem at once.
    pub fn parse(draft: &TaskDraft, data_type: DataType) -> Result<DumpTask, FieldErrors> {
        let mut errors = FieldErrors::new();
        let task_name = errors.take(Field::TaskName, TaskName::parse(&draft.task_name));
        let agency_name = errors.take(Field::AgencyName, AgencyName::parse(&draft.agency_name));
        let deliver_time_interval = errors.take(
            Field::DeliverTimeInterval,
            parse_deliver_time_interval(&draft.deliver_time_interval),
        );
        let deliver_size_interval = errors.take(
            Field::DeliverSizeInterval,
            parse_deliver_size_interval(&draft.deliver_size_interval),
        );
        let consumer_strategy = errors.take(
            Field::ConsumerStrategy,
            ConsumerStrategy::parse(draft.consumer_strategy.trim()),
        );
        let file_prefix = errors.take(Field::FilePrefix, FilePrefix::parse(&draft.file_prefix));
        let partition_format = errors.take(
            Field::PartitionFormat,
            PartitionFormat::parse(draft.partition_format.trim()),
        );
        let obs_bucket_path = errors.take(
            Field::ObsBucketPath,
            BucketName::parse(&draft.obs_bucket_path),
        );
        let destination_file_type = errors.take(
            Field::DestinationFileType,
            FileType::parse(draft.destination_file_type.trim()).and_then(|t| {
                check_file_type_for(t, data_type)?;
                Ok(t)
            }),
        );
        // The delimiter is not trimmed: a line break is a value of its own.
        let record_delimiter = errors.take(
            Field::RecordDelimiter,
            RecordDelimiter::parse(&draft.record_delimiter),
        );
        let processing_schema = if draft.use_processing_schema {
            parse_processing_schema(
                &draft.timestamp_name,
                &draft.timestamp_type,
                &draft.timestamp_format,
                &mut errors,
            )
            .map(Some)
        } else {
            Some(None)
        };

        match (
            task_name,
            agency_name,
            deliver_time_interval,
            deliver_size_interval,
            consumer_strategy,
            file_prefix,
            partition_format,
            obs_bucket_path,
            destination_file_type,
            record_delimiter,
            processing_schema,
        ) {
            (
                Some(task_name),
                Some(agency_name),
                Some(deliver_time_interval),
                Some(deliver_size_interval),
                Some(consumer_strategy),
                Some(file_prefix),
                Some(partition_format),
                Some(obs_bucket_path),
                Some(destination_file_type),
                Some(record_delimiter),
                Some(processing_schema),
            ) if errors.is_empty() => Ok(DumpTask {
                task_name,
                agency_name,
                deliver_time_interval,
                deliver_size_interval,
                consumer_strategy,
                file_prefix,
                partition_format,
                obs_bucket_path,
                destination_file_type,
                record_delimiter,
                processing_schema,
            }),
            _ => Err(errors),
        }
    }

    /// The draft that parses back into this task (a clone starts from it).
    pub fn to_draft(&self) -> TaskDraft {
        let schema = self.processing_schema.as_ref();
        let defaults = TaskDraft::default();
        TaskDraft {
            task_name: self.task_name.to_string(),
            agency_name: self.agency_name.as_str().to_string(),
            deliver_time_interval: self.deliver_time_interval.to_string(),
            deliver_size_interval: self
                .deliver_size_interval
                .map(|n| n.to_string())
                .unwrap_or_default(),
            consumer_strategy: self.consumer_strategy.as_wire().to_string(),
            file_prefix: self.file_prefix.as_str().to_string(),
            partition_format: self.partition_format.as_wire().to_string(),
            obs_bucket_path: self.obs_bucket_path.as_str().to_string(),
            destination_file_type: self.destination_file_type.as_wire().to_string(),
            record_delimiter: self.record_delimiter.as_wire().to_string(),
            use_processing_schema: schema.is_some(),
            timestamp_name: schema.map(|s| s.timestamp_name.clone()).unwrap_or_default(),
            timestamp_type: schema
                .map(|s| s.timestamp.timestamp_type().as_wire().to_string())
                .unwrap_or(defaults.timestamp_type),
            // A Timestamp schema has no format; without a schema the form offers the usual one.
            timestamp_format: match schema {
                Some(s) => s
                    .timestamp
                    .format()
                    .map(|f| f.as_wire().to_string())
                    .unwrap_or_default(),
                None => defaults.timestamp_format,
            },
        }
    }

    /// The descriptor exactly as DIS receives it. Every choice is sent explicitly, so the
    /// sources' contradictory defaults never decide anything.
    pub fn descriptor(&self) -> ObsDestinationDescriptor {
        ObsDestinationDescriptor {
            task_name: Some(self.task_name.to_string()),
            agency_name: Some(self.agency_name.as_str().to_string()),
            deliver_time_interval: Some(self.deliver_time_interval),
            deliver_size_interval: self.deliver_size_interval,
            consumer_strategy: Some(self.consumer_strategy.as_wire().to_string()),
            file_prefix: Some(self.file_prefix.as_str().to_string()),
            partition_format: Some(self.partition_format.as_wire().to_string()),
            obs_bucket_path: Some(self.obs_bucket_path.as_str().to_string()),
            destination_file_type: Some(self.destination_file_type.as_wire().to_string()),
            processing_schema: self
                .processing_schema
                .as_ref()
                .map(|s| WireProcessingSchema {
                    timestamp_name: Some(s.timestamp_name.clone()),
                    timestamp_type: Some(s.timestamp.timestamp_type().as_wire().to_string()),
                    timestamp_format: s.timestamp.format().map(|f| f.as_wire().to_string()),
                }),
            record_delimiter: Some(self.record_delimiter.as_wire().to_string()),
        }
    }

    /// The body of `POST` (create) and `PUT` (modify) `…/transfer-tasks`: the bytes the review
    /// step shows and the client signs and sends.
    pub fn request_body(&self) -> String {
        let request = CreateTransferTaskRequest {
            destination_type: Some("OBS".to_string()),
            obs_destination_descriptor: Some(self.descriptor()),
        };
        serde_json::to_string_pretty(&request).expect("plain structs of strings always serialise")
    }

    /// Reads a descriptor as DIS does: fields left out take DIS's defaults (consumer strategy
    /// LATEST, no prefix, no time directories, text files, `\n` delimiter), then every rule
    /// applies. The embedded DIS backend judges requests with this.
    pub fn from_descriptor(
        d: &ObsDestinationDescriptor,
        data_type: DataType,
    ) -> Result<DumpTask, FieldErrors> {
        let or =
            |v: &Option<String>, default: &str| v.clone().unwrap_or_else(|| default.to_string());
        let schema = d.processing_schema.as_ref();
        let draft = TaskDraft {
            task_name: or(&d.task_name, ""),
            agency_name: or(&d.agency_name, ""),
            deliver_time_interval: d
                .deliver_time_interval
                .map(|n| n.to_string())
                .unwrap_or_default(),
            deliver_size_interval: d
                .deliver_size_interval
                .map(|n| n.to_string())
                .unwrap_or_default(),
            consumer_strategy: or(&d.consumer_strategy, ConsumerStrategy::Latest.as_wire()),
            file_prefix: or(&d.file_prefix, ""),
            partition_format: or(&d.partition_format, PartitionFormat::Flat.as_wire()),
            obs_bucket_path: or(&d.obs_bucket_path, ""),
            destination_file_type: or(&d.destination_file_type, FileType::Text.as_wire()),
            record_delimiter: or(&d.record_delimiter, RecordDelimiter::Newline.as_wire()),
            use_processing_schema: schema.is_some(),
            timestamp_name: schema
                .and_then(|s| s.timestamp_name.clone())
                .unwrap_or_default(),
            timestamp_type: schema
                .and_then(|s| s.timestamp_type.clone())
                .unwrap_or_default(),
            // Absent stays absent: only a String timestamp needs (and may have) a format.
            timestamp_format: schema
                .and_then(|s| s.timestamp_format.clone())
                .unwrap_or_default(),
        };
        DumpTask::parse(&draft, data_type)
    }
}

/// Parquet and carbon files need JSON records.
fn check_file_type_for(file_type: FileType, data_type: DataType) -> Result<(), String> {
    match (file_type, data_type) {
        (FileType::Text, _) | (_, DataType::Json) => Ok(()),
        _ => Err(format!(
            "{} files need a stream whose data type is JSON; this stream holds {data_type}. Choose text.",
            file_type.label()
        )),
    }
}

fn parse_processing_schema(
    name: &str,
    timestamp_type: &str,
    format: &str,
    errors: &mut FieldErrors,
) -> Option<ProcessingSchema> {
    let name = errors.take(Field::TimestampName, parse_timestamp_name(name));
    let kind = errors.take(
        Field::TimestampType,
        TimestampType::parse(timestamp_type.trim()),
    );
    let format = format.trim();
    let timestamp = match kind? {
        TimestampType::String if format.is_empty() => {
            errors.push(
                Field::TimestampFormat,
                "Choose the format of the String timestamps, such as yyyy-MM-dd HH:mm:ss.",
            );
            None
        }
        TimestampType::String => errors
            .take(Field::TimestampFormat, TimestampFormat::parse(format))
            .map(RecordTime::String),
        TimestampType::Timestamp if !format.is_empty() => {
            errors.push(
                Field::TimestampFormat,
                "Leave the format empty: Timestamp values are 13-digit epoch milliseconds and have none.",
            );
            None
        }
        TimestampType::Timestamp => Some(RecordTime::Timestamp),
    };
    Some(ProcessingSchema {
        timestamp_name: name?,
        timestamp: timestamp?,
    })
}

/// `{"destination_type": "OBS", "obs_destination_descriptor": {…}}`. Fields are optional so the
/// embedded backend can read what any client sends; the console always fills them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CreateTransferTaskRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub obs_destination_descriptor: Option<ObsDestinationDescriptor>,
}

/// The OBS descriptor in DIS's field order. In responses DIS calls it
/// `obs_destination_description`; the shape is the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ObsDestinationDescriptor {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deliver_time_interval: Option<u32>,
    /// Newer endpoints only: sent when the operator sets it, never otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deliver_size_interval: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumer_strategy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition_format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub obs_bucket_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_file_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub processing_schema: Option<WireProcessingSchema>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_delimiter: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct WireProcessingSchema {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp_format: Option<String>,
}
