//! A stream's own life cycle: creating, scaling, changing and deleting it, and the applications
//! that consume it. DIS's wire JSON for those calls, the rules the console checks before sending
//! them, and how far behind a consuming application is.
//!
//! Where DIS's documents disagree the official SDKs decide the field names and shapes
//! (`huaweicloudsdkdis` v2): `data_duration` on requests and `retention_period` in answers;
//! `update_partition_counts[]` in a description; `result_msg` is left out of what the console
//! reads (the SDK types it as a number, the API reference as text).

use super::dis::DescribeStreamResponse;
use super::errors::FieldMeta;
use super::names::{check_allowlisted, describe_char};
use super::task::DataType;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Common partitions a project may hold at once: DIS's default quota.
pub const COMMON_PARTITION_QUOTA: u32 = 50;
/// Advanced partitions a project may hold at once: DIS's default quota.
pub const ADVANCED_PARTITION_QUOTA: u32 = 10;
/// Retention bounds, in hours (`data_duration`).
pub const RETENTION_HOURS: std::ops::RangeInclusive<u32> = 24..=72;
/// The longest consumer application name.
pub const MAX_APP_NAME_LEN: usize = 200;
/// Scalings DIS allows a stream in one hour. Its documents disagree ("five times an hour, then
/// none for an hour" against "ten up and one down an hour"); the embedded backend keeps five,
/// and the console shows whatever DIS answers.
pub const SCALINGS_PER_HOUR: usize = 5;

/// The partitions a project may hold at once, of each type. DIS's defaults are 50 and 10; a
/// ticket to the cloud raises them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartitionQuota {
    pub common: u32,
    pub advanced: u32,
}

impl Default for PartitionQuota {
    fn default() -> Self {
        PartitionQuota {
            common: COMMON_PARTITION_QUOTA,
            advanced: ADVANCED_PARTITION_QUOTA,
        }
    }
}

impl PartitionQuota {
    /// `COMMON/ADVANCED`, such as `50/10`.
    pub fn parse(input: &str) -> Result<Self, String> {
        let bad =
            || format!("expected COMMON/ADVANCED partition counts such as 50/10, got {input:?}");
        let (common, advanced) = input.trim().split_once('/').ok_or_else(bad)?;
        let number = |t: &str| {
            t.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=100_000).contains(n))
        };
        Ok(PartitionQuota {
            common: number(common).ok_or_else(bad)?,
            advanced: number(advanced).ok_or_else(bad)?,
        })
    }

    pub fn of(self, stream_type: StreamType) -> u32 {
        match stream_type {
            StreamType::Common => self.common,
            StreamType::Advanced => self.advanced,
        }
    }
}

/// A stream's partition class: each has its own quota and throughput.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum StreamType {
    #[default]
    Common,
    Advanced,
}

impl StreamType {
    pub fn as_str(self) -> &'static str {
        match self {
            StreamType::Common => "COMMON",
            StreamType::Advanced => "ADVANCED",
        }
    }

    pub fn parse(input: &str) -> Result<Self, String> {
        match input.trim().to_ascii_uppercase().as_str() {
            "COMMON" | "" => Ok(StreamType::Common),
            "ADVANCED" => Ok(StreamType::Advanced),
            other => Err(format!(
                "{other:?} is not a stream type: use COMMON or ADVANCED."
            )),
        }
    }

    /// The project's quota of partitions of this type.
    pub fn quota(self) -> u32 {
        match self {
            StreamType::Common => COMMON_PARTITION_QUOTA,
            StreamType::Advanced => ADVANCED_PARTITION_QUOTA,
        }
    }
}

/// How DIS compresses a stream's records when it stores them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    Snappy,
    Gzip,
    Zip,
}

impl Compression {
    pub fn as_str(self) -> &'static str {
        match self {
            Compression::Snappy => "snappy",
            Compression::Gzip => "gzip",
            Compression::Zip => "zip",
        }
    }

    /// `None` for none (an empty input).
    pub fn parse(input: &str) -> Result<Option<Self>, String> {
        match input.trim().to_ascii_lowercase().as_str() {
            "" | "none" => Ok(None),
            "snappy" => Ok(Some(Compression::Snappy)),
            "gzip" => Ok(Some(Compression::Gzip)),
            "zip" => Ok(Some(Compression::Zip)),
            other => Err(format!(
                "{other:?} is not a compression format: use snappy, gzip or zip, or none."
            )),
        }
    }
}

/// `csv_properties` of a CSV stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct CsvProperties {
    pub delimiter: String,
}

/// A resource tag: key 1 to 36 characters, value 0 to 43.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// Tags a stream may carry.
pub const MAX_TAGS: usize = 10;

impl Tag {
    /// Checks a tag's key and value.
    pub fn check(&self) -> Result<(), String> {
        let key = self.key.trim();
        let key_len = key.chars().count();
        if key_len == 0 || key_len > 36 {
            return Err(format!(
                "A tag key is 1 to 36 characters ({key:?} has {key_len})."
            ));
        }
        if let Some(bad) = key.chars().find(|c| !tag_char(*c)) {
            return Err(format!(
                "{} is not allowed in the tag key {key:?}: use letters, digits, '_', '-' or '.'.",
                describe_char(bad)
            ));
        }
        let value_len = self.value.chars().count();
        if value_len > 43 {
            return Err(format!(
                "The value of tag {key:?} is at most 43 characters (it has {value_len})."
            ));
        }
        if let Some(bad) = self.value.chars().find(|c| !(tag_char(*c) || *c == ' ')) {
            return Err(format!(
                "{} is not allowed in the value of tag {key:?}: use letters, digits, spaces, '_', \
                 '-' or '.'.",
                describe_char(bad)
            ));
        }
        Ok(())
    }
}

/// What a tag's key and value may hold, as Huawei Cloud's tag service words it: letters,
/// digits, `_`, `-`, `.`, and Chinese characters (U+4E00 to U+9FFF).
fn tag_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '\u{4E00}'..='\u{9FFF}')
}

/// `POST /v2/{project}/streams`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CreateStreamRequest {
    pub stream_name: String,
    pub partition_count: u32,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub stream_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub data_type: Option<String>,
    /// Retention in hours; DIS's default, 24, when absent.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub data_duration: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub auto_scale_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub auto_scale_min_partition_count: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub auto_scale_max_partition_count: Option<u32>,
    /// An Avro schema, as JSON text.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub data_schema: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub csv_properties: Option<CsvProperties>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub compression_format: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub tags: Vec<Tag>,
}

/// `PUT /v2/{project}/streams/{stream}`: scaling to a number of partitions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdatePartitionCountRequest {
    pub stream_name: String,
    pub target_partition_count: u32,
}

/// `PUT /v3/{project}/streams/{stream}`: retention, data type, schema and auto-scaling. An absent
/// field is left as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct UpdateStreamRequest {
    pub stream_name: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub data_duration: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub data_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub data_schema: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub auto_scale_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub auto_scale_min_partition_count: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub auto_scale_max_partition_count: Option<u32>,
}

/// A stream's description with its settings (`GET /v2/{project}/streams/{stream}`), for its
/// life cycle. The pages carry the lean [`DescribeStreamResponse`] to the browser; these fields
/// stay on the server, so their code is not in the WASM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct StreamDescription {
    #[serde(flatten)]
    pub stream: DescribeStreamResponse,
    /// An Avro schema, as JSON text, for JSON and CSV streams.
    pub data_schema: Option<String>,
    pub compression_format: Option<String>,
    pub csv_properties: Option<CsvProperties>,
    /// The stream's scalings, newest last.
    pub update_partition_counts: Vec<PartitionCountChange>,
    pub tags: Vec<Tag>,
    pub auto_scale_enabled: bool,
    pub auto_scale_min_partition_count: Option<u32>,
    pub auto_scale_max_partition_count: Option<u32>,
}

/// One change of a stream's partition count, in its description's `update_partition_counts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct PartitionCountChange {
    /// Epoch milliseconds.
    pub create_timestamp: i64,
    pub src_partition_count: u32,
    pub target_partition_count: u32,
    /// 0 when it succeeded.
    pub result_code: i64,
    /// Whether auto-scaling made it.
    pub auto_scale: bool,
}

/// What the schema check reads of an Avro record. (Typed, rather than a `serde_json::Value`:
/// the browser runs this check, and the typed reader costs its WASM less.)
#[derive(Deserialize)]
struct AvroRecord {
    #[serde(rename = "type")]
    kind: Option<String>,
    name: Option<String>,
    fields: Option<Vec<AvroField>>,
}

#[derive(Deserialize)]
struct AvroField {
    name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<serde::de::IgnoredAny>,
}

/// Checks an Avro record schema given as JSON text: an object of `"type": "record"` with a
/// `name` and at least one field, each with a `name` and a `type`. The wording names what to fix.
pub fn check_schema(text: &str) -> Result<(), String> {
    let record: AvroRecord = serde_json::from_str(text).map_err(|e| {
        if e.is_data() {
            format!("The schema must be a JSON object, an Avro record: {e}.")
        } else {
            format!("The schema is not JSON: {e}.")
        }
    })?;
    if record.kind.as_deref() != Some("record") {
        return Err("The schema's \"type\" must be \"record\".".into());
    }
    if record.name.as_deref().is_none_or(str::is_empty) {
        return Err("The schema needs a \"name\".".into());
    }
    let Some(fields) = record.fields else {
        return Err("The schema needs \"fields\", a list of the record's fields.".into());
    };
    if fields.is_empty() {
        return Err("The schema's \"fields\" is empty: name at least one field.".into());
    }
    for (i, field) in fields.iter().enumerate() {
        let name = field.name.as_deref().unwrap_or("");
        if name.is_empty() {
            return Err(format!("Field {} of the schema has no \"name\".", i + 1));
        }
        if field.kind.is_none() {
            return Err(format!("The schema's field {name:?} has no \"type\"."));
        }
        if fields[..i].iter().any(|f| f.name.as_deref() == Some(name)) {
            return Err(format!("The schema names the field {name:?} twice."));
        }
    }
    Ok(())
}

/// What a create asks for, checked: every problem with the field it belongs to.
pub fn check_create(request: &CreateStreamRequest) -> Result<(), Vec<(StreamField, String)>> {
    let mut problems = Vec::new();
    let mut problem = |field, message: String| problems.push((field, message));
    if let Err(e) = super::names::StreamName::parse(&request.stream_name) {
        problem(StreamField::Name, e);
    }
    let stream_type = match StreamType::parse(request.stream_type.as_deref().unwrap_or("")) {
        Ok(t) => t,
        Err(e) => {
            problem(StreamField::StreamType, e);
            StreamType::Common
        }
    };
    let quota = stream_type.quota();
    if !(1..=quota).contains(&request.partition_count) {
        problem(
            StreamField::Partitions,
            format!(
                "A {} stream has 1 to {quota} partitions (the project's quota).",
                stream_type.as_str().to_ascii_lowercase()
            ),
        );
    }
    let data_type = match DataType::parse(request.data_type.as_deref().unwrap_or("BLOB")) {
        Ok(t) => t,
        Err(e) => {
            problem(StreamField::DataType, e);
            DataType::Blob
        }
    };
    if let Some(hours) = request.data_duration {
        if let Err(e) = check_retention(hours) {
            problem(StreamField::Retention, e);
        }
    }
    if let Err(e) = check_auto_scale(
        request.auto_scale_enabled.unwrap_or(false),
        request.auto_scale_min_partition_count,
        request.auto_scale_max_partition_count,
        request.partition_count,
        quota,
    ) {
        problem(StreamField::AutoScale, e);
    }
    match (&request.data_schema, data_type) {
        (Some(_), DataType::Blob) => problem(
            StreamField::Schema,
            "A BLOB stream has no schema: choose JSON or CSV, or leave the schema empty.".into(),
        ),
        (Some(schema), _) => {
            if let Err(e) = check_schema(schema) {
                problem(StreamField::Schema, e);
            }
        }
        (None, _) => {}
    }
    match (&request.csv_properties, data_type) {
        (Some(csv), DataType::Csv) if csv.delimiter.chars().count() != 1 => problem(
            StreamField::Delimiter,
            "The CSV delimiter is one character, such as ','.".into(),
        ),
        (Some(_), DataType::Blob | DataType::Json) => problem(
            StreamField::Delimiter,
            "Only a CSV stream has a delimiter.".into(),
        ),
        _ => {}
    }
    if let Some(format) = &request.compression_format {
        if let Err(e) = Compression::parse(format) {
            problem(StreamField::Compression, e);
        }
    }
    if let Err(e) = check_tags(&request.tags) {
        problem(StreamField::Tags, e);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Retention in hours: 24 to 72.
pub fn check_retention(hours: u32) -> Result<(), String> {
    if RETENTION_HOURS.contains(&hours) {
        Ok(())
    } else {
        Err(format!(
            "Keep records {} to {} hours ({hours} asked).",
            RETENTION_HOURS.start(),
            RETENTION_HOURS.end()
        ))
    }
}

/// Auto-scaling: when on, both bounds are given, `1 <= min <= partitions <= max <= quota`.
pub fn check_auto_scale(
    enabled: bool,
    min: Option<u32>,
    max: Option<u32>,
    partitions: u32,
    quota: u32,
) -> Result<(), String> {
    if !enabled {
        return Ok(());
    }
    let (Some(min), Some(max)) = (min, max) else {
        return Err("With auto-scaling on, give the fewest and the most partitions.".into());
    };
    if min < 1 || max > quota || min > max {
        return Err(format!(
            "Auto-scaling's bounds are 1 to {quota} partitions, the fewest no more than the most \
             ({min} to {max} asked)."
        ));
    }
    if !(min..=max).contains(&partitions) {
        return Err(format!(
            "The stream's {partitions} partitions must lie within auto-scaling's {min} to {max}."
        ));
    }
    Ok(())
}

/// At most ten tags, each valid, no key twice.
pub fn check_tags(tags: &[Tag]) -> Result<(), String> {
    if tags.len() > MAX_TAGS {
        return Err(format!(
            "A stream carries at most {MAX_TAGS} tags ({} given).",
            tags.len()
        ));
    }
    for (i, tag) in tags.iter().enumerate() {
        tag.check()?;
        if tags[..i].iter().any(|t| t.key.trim() == tag.key.trim()) {
            return Err(format!("The tag key {:?} is given twice.", tag.key.trim()));
        }
    }
    Ok(())
}

/// A scaling, checked against the stream's current count and what the project has left of its
/// quota (`available`: the quota less the other streams' partitions of this type).
pub fn check_scale(current: u32, target: u32, available: u32) -> Result<(), String> {
    if target == current {
        return Err(format!("The stream has {current} partitions already."));
    }
    if target < 1 {
        return Err("A stream keeps at least 1 partition.".into());
    }
    if target > available {
        return Err(format!(
            "The project's quota leaves room for {available} partitions on this stream ({target} \
             asked)."
        ));
    }
    Ok(())
}

/// The fields a check's problems name, in order; none when it passed. For tests.
#[cfg(test)]
pub(crate) fn problem_fields<T>(
    checked: Result<T, Vec<(StreamField, String)>>,
) -> Vec<StreamField> {
    checked
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|(f, _)| f)
        .collect()
}

/// The part of a stream a rule belongs to, for a message beside its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum StreamField {
    Name,
    StreamType,
    Partitions,
    DataType,
    Retention,
    AutoScale,
    AutoScaleMin,
    AutoScaleMax,
    Schema,
    Delimiter,
    Compression,
    Tags,
}

impl StreamField {
    /// Every field, in the order the create form shows them.
    pub const ALL: [StreamField; 12] = [
        StreamField::Name,
        StreamField::StreamType,
        StreamField::Partitions,
        StreamField::DataType,
        StreamField::Retention,
        StreamField::Schema,
        StreamField::Delimiter,
        StreamField::Compression,
        StreamField::AutoScale,
        StreamField::AutoScaleMin,
        StreamField::AutoScaleMax,
        StreamField::Tags,
    ];

    pub fn label(self) -> &'static str {
        match self {
            StreamField::Name => "Stream name",
            StreamField::StreamType => "Stream type",
            StreamField::Partitions => "Partitions",
            StreamField::DataType => "Data type",
            StreamField::Retention => "Retention (hours)",
            StreamField::AutoScale => "Scale automatically",
            StreamField::AutoScaleMin => "Fewest partitions",
            StreamField::AutoScaleMax => "Most partitions",
            StreamField::Schema => "Schema (Avro, JSON)",
            StreamField::Delimiter => "CSV delimiter",
            StreamField::Compression => "Compression",
            StreamField::Tags => "Tags",
        }
    }

    /// How the form shows the field; its input is named as DIS names the field.
    pub fn meta(self) -> FieldMeta {
        let (name, hint) = match self {
            StreamField::Name => (
                "stream_name",
                Some("1 to 64 letters, digits, '-' or '_'; unique in the project."),
            ),
            StreamField::StreamType => (
                "stream_type",
                Some("Advanced partitions carry more; the project has fewer of them."),
            ),
            StreamField::Partitions => (
                "partition_count",
                Some("Each partition takes up to 1,000 records or 1 MB a second."),
            ),
            StreamField::DataType => ("data_type", None),
            StreamField::Retention => (
                "data_duration",
                Some("24 to 72: how long DIS keeps a record."),
            ),
            StreamField::AutoScale => (
                "auto_scale_enabled",
                Some("DIS adds and removes partitions with the traffic, within the bounds."),
            ),
            StreamField::AutoScaleMin => ("auto_scale_min_partition_count", None),
            StreamField::AutoScaleMax => ("auto_scale_max_partition_count", None),
            StreamField::Schema => (
                "data_schema",
                Some("Optional: an Avro record describing each record, for JSON and CSV."),
            ),
            StreamField::Delimiter => ("delimiter", Some("One character, such as ','.")),
            StreamField::Compression => ("compression_format", None),
            StreamField::Tags => ("tags", Some("Optional: one key=value a line, at most 10.")),
        };
        FieldMeta {
            name,
            label: self.label(),
            hint,
            numeric: matches!(
                self,
                StreamField::Partitions
                    | StreamField::Retention
                    | StreamField::AutoScaleMin
                    | StreamField::AutoScaleMax
            ),
        }
    }
}

impl fmt::Display for StreamField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A consumer application's name: 1 to 200 of `A-Z a-z 0-9 - _`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AppName(String);

impl AppName {
    pub fn parse(input: &str) -> Result<Self, String> {
        check_allowlisted(input, "Enter an application name.", MAX_APP_NAME_LEN).map(AppName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AppName {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        Self::parse(&value)
    }
}

impl From<AppName> for String {
    fn from(value: AppName) -> String {
        value.0
    }
}

impl fmt::Display for AppName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `POST /v2/{project}/apps`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateAppRequest {
    pub app_name: String,
}

/// A consumer application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct AppInfo {
    pub app_name: String,
    pub app_id: String,
    /// Epoch milliseconds.
    pub create_time: i64,
    /// The streams it has committed checkpoints on.
    pub commit_checkpoint_stream_names: Vec<String>,
}

/// `GET /v2/{project}/apps`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ListAppsResponse {
    pub has_more_app: bool,
    pub apps: Vec<AppInfo>,
    pub total_number: u64,
}

/// The checkpoint type the console reads: the last record an application read.
pub const LAST_READ: &str = "LAST_READ";

/// `POST /v2/{project}/checkpoints`: an application's progress on one partition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitCheckpointRequest {
    pub app_name: String,
    pub checkpoint_type: String,
    pub stream_name: String,
    pub partition_id: String,
    pub sequence_number: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub metadata: Option<String>,
}

/// `GET /v2/{project}/apps/{app}/streams/{stream}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ConsumerStateResponse {
    pub has_more: bool,
    pub stream_name: String,
    pub app_name: String,
    pub partition_consuming_states: Vec<PartitionConsumingState>,
}

/// One partition as an application consumes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct PartitionConsumingState {
    pub partition_id: String,
    /// The checkpoint: the sequence number of the last record the application read; empty or
    /// `-1` before its first checkpoint.
    pub sequence_number: String,
    /// The sequence number the partition's next record gets.
    pub latest_offset: i64,
    /// The sequence number of the oldest record kept.
    pub earliest_offset: i64,
    pub checkpoint_type: String,
    pub status: String,
}

/// How far an application is behind on one partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lag {
    /// Records kept that it has not read.
    pub behind: u64,
    /// The last record it read, when it has committed a checkpoint.
    pub checkpoint: Option<u64>,
}

impl PartitionConsumingState {
    /// Records behind: from the one after the checkpoint (or the oldest kept, when that is later
    /// or there is no checkpoint) to the newest. Never negative, whatever DIS reports.
    pub fn lag(&self) -> Lag {
        let checkpoint = self
            .sequence_number
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0);
        let earliest = self.earliest_offset.max(0);
        let latest = self.latest_offset.max(earliest);
        let next = checkpoint.map_or(earliest, |c| c.saturating_add(1).max(earliest));
        Lag {
            behind: u64::try_from(latest.saturating_sub(next)).unwrap_or(0),
            checkpoint: checkpoint.and_then(|c| u64::try_from(c).ok()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> CreateStreamRequest {
        CreateStreamRequest {
            stream_name: "orders-json".into(),
            partition_count: 3,
            stream_type: Some("COMMON".into()),
            data_type: Some("JSON".into()),
            data_duration: Some(48),
            ..Default::default()
        }
    }

    const SCHEMA: &str = r#"{"type":"record","name":"order","fields":[{"name":"id","type":"string"},{"name":"ts","type":"long"}]}"#;

    fn fields(r: &CreateStreamRequest) -> Vec<StreamField> {
        problem_fields(check_create(r))
    }

    #[test]
    fn a_plain_request_passes_and_each_rule_names_its_field() {
        assert_eq!(check_create(&request()), Ok(()));
        type Change = Box<dyn Fn(&mut CreateStreamRequest)>;
        let cases: Vec<(Change, StreamField)> = vec![
            (
                Box::new(|r| r.stream_name = "a/b".into()),
                StreamField::Name,
            ),
            (Box::new(|r| r.partition_count = 0), StreamField::Partitions),
            (
                Box::new(|r| r.partition_count = 51),
                StreamField::Partitions,
            ),
            (
                Box::new(|r| {
                    r.stream_type = Some("ADVANCED".into());
                    r.partition_count = 11;
                }),
                StreamField::Partitions,
            ),
            (
                Box::new(|r| r.stream_type = Some("FAST".into())),
                StreamField::StreamType,
            ),
            (
                Box::new(|r| r.data_type = Some("XML".into())),
                StreamField::DataType,
            ),
            (
                Box::new(|r| r.data_duration = Some(23)),
                StreamField::Retention,
            ),
            (
                Box::new(|r| r.data_duration = Some(73)),
                StreamField::Retention,
            ),
            (
                Box::new(|r| r.auto_scale_enabled = Some(true)),
                StreamField::AutoScale,
            ),
            (
                Box::new(|r| {
                    r.auto_scale_enabled = Some(true);
                    r.auto_scale_min_partition_count = Some(4);
                    r.auto_scale_max_partition_count = Some(8);
                }),
                StreamField::AutoScale,
            ),
            (
                Box::new(|r| r.data_schema = Some("{".into())),
                StreamField::Schema,
            ),
            (
                Box::new(|r| {
                    r.data_type = Some("CSV".into());
                    r.csv_properties = Some(CsvProperties {
                        delimiter: ",,".into(),
                    });
                }),
                StreamField::Delimiter,
            ),
            (
                Box::new(|r| {
                    r.csv_properties = Some(CsvProperties {
                        delimiter: ",".into(),
                    })
                }),
                StreamField::Delimiter,
            ),
            (
                Box::new(|r| r.compression_format = Some("lz4".into())),
                StreamField::Compression,
            ),
            (
                Box::new(|r| {
                    r.tags = vec![Tag {
                        key: "".into(),
                        value: "x".into(),
                    }]
                }),
                StreamField::Tags,
            ),
        ];
        for (change, field) in cases {
            let mut r = request();
            change(&mut r);
            assert_eq!(fields(&r), vec![field], "{r:?}");
        }
    }

    #[test]
    fn json_and_csv_streams_take_a_record_schema_and_blob_none() {
        let mut r = request();
        r.data_schema = Some(SCHEMA.into());
        assert_eq!(check_create(&r), Ok(()));
        r.data_type = Some("CSV".into());
        r.csv_properties = Some(CsvProperties {
            delimiter: ";".into(),
        });
        assert_eq!(check_create(&r), Ok(()));
        r.data_type = Some("BLOB".into());
        r.csv_properties = None;
        assert_eq!(fields(&r), vec![StreamField::Schema]);
        for (schema, expect) in [
            ("[]", "JSON object"),
            ("{\"type\": \"record\"", "not JSON"),
            (
                r#"{"type":["record"],"name":"x"}"#,
                "Avro record: invalid type",
            ),
            (r#"{"type":"enum","name":"x","fields":[]}"#, "\"record\""),
            (
                r#"{"type":"record","fields":[{"name":"a","type":"int"}]}"#,
                "\"name\"",
            ),
            (r#"{"type":"record","name":"x","fields":[]}"#, "empty"),
            (
                r#"{"type":"record","name":"x","fields":[{"name":"a"}]}"#,
                "no \"type\"",
            ),
            (
                r#"{"type":"record","name":"x","fields":[{"name":"a","type":"int"},{"name":"a","type":"int"}]}"#,
                "twice",
            ),
        ] {
            let e = check_schema(schema).unwrap_err();
            assert!(e.contains(expect), "{schema}: {e}");
        }
    }

    #[test]
    fn a_quota_reads_as_common_slash_advanced() {
        assert_eq!(
            PartitionQuota::parse("50/10"),
            Ok(PartitionQuota::default())
        );
        assert_eq!(
            PartitionQuota::parse(" 500 / 20 ").map(|q| q.of(StreamType::Advanced)),
            Ok(20)
        );
        for bad in ["50", "a/b", "0/10", "50/", "-1/2"] {
            assert!(PartitionQuota::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn auto_scaling_bounds_hold_the_partition_count() {
        assert_eq!(check_auto_scale(false, None, None, 3, 50), Ok(()));
        assert_eq!(check_auto_scale(true, Some(1), Some(5), 3, 50), Ok(()));
        assert!(check_auto_scale(true, Some(1), None, 3, 50).is_err());
        assert!(check_auto_scale(true, Some(5), Some(1), 3, 50).is_err());
        assert!(check_auto_scale(true, Some(1), Some(51), 3, 50).is_err());
        assert!(check_auto_scale(true, Some(4), Some(6), 3, 50).is_err());
    }

    #[test]
    fn tags_scalings_and_app_names() {
        let tag = |k: &str, v: &str| Tag {
            key: k.into(),
            value: v.into(),
        };
        assert_eq!(
            check_tags(&[tag("team", "data platform"), tag("env", "")]),
            Ok(())
        );
        assert!(check_tags(&[tag(&"k".repeat(37), "")]).is_err());
        assert!(check_tags(&[tag("k", &"v".repeat(44))]).is_err());
        assert!(check_tags(&[tag("a=b", "")]).unwrap_err().contains("'='"));
        assert!(check_tags(&[tag("k", ""), tag("k", "2")])
            .unwrap_err()
            .contains("twice"));
        let many: Vec<Tag> = (0..11).map(|i| tag(&format!("k{i}"), "")).collect();
        assert!(check_tags(&many).is_err());

        assert_eq!(check_scale(3, 5, 50), Ok(()));
        assert_eq!(check_scale(3, 1, 50), Ok(()));
        assert!(check_scale(3, 3, 50).unwrap_err().contains("already"));
        assert!(check_scale(3, 0, 50).is_err());
        assert!(check_scale(3, 9, 8).unwrap_err().contains("room for 8"));

        assert!(AppName::parse("consumer_1-a").is_ok());
        assert!(AppName::parse(&"a".repeat(200)).is_ok());
        assert!(AppName::parse(&"a".repeat(201)).is_err());
        assert!(AppName::parse("../x").unwrap_err().contains("'.'"));
        assert!(AppName::parse(" ").is_err());
    }

    fn state(seq: &str, earliest: i64, latest: i64) -> PartitionConsumingState {
        PartitionConsumingState {
            partition_id: "shardId-0000000000".into(),
            sequence_number: seq.into(),
            latest_offset: latest,
            earliest_offset: earliest,
            ..Default::default()
        }
    }

    #[test]
    fn lag_counts_from_after_the_checkpoint_or_the_oldest_record_kept() {
        assert_eq!(
            state("9", 0, 10).lag(),
            Lag {
                behind: 0,
                checkpoint: Some(9)
            }
        );
        assert_eq!(
            state("4", 0, 10).lag(),
            Lag {
                behind: 5,
                checkpoint: Some(4)
            }
        );
        assert_eq!(
            state("", 0, 10).lag(),
            Lag {
                behind: 10,
                checkpoint: None
            }
        );
        assert_eq!(
            state("-1", 3, 10).lag(),
            Lag {
                behind: 7,
                checkpoint: None
            }
        );
        // Records before the checkpoint expired: only those kept count.
        assert_eq!(state("1", 6, 10).lag().behind, 4);
        // A checkpoint ahead of the newest (DIS lagging behind itself) is no lag.
        assert_eq!(state("20", 0, 10).lag().behind, 0);
    }

    proptest::proptest! {
        /// Whatever DIS reports, the lag is at most the records kept, and a checkpoint inside
        /// the kept range leaves exactly the records after it.
        #[test]
        fn lag_is_never_more_than_what_is_kept(
            seq in proptest::prop_oneof![
                proptest::strategy::Just(String::new()),
                "-?[0-9]{1,22}",
                "[a-z ]{0,4}",
            ],
            earliest in proptest::num::i64::ANY,
            latest in proptest::num::i64::ANY,
        ) {
            let lag = state(&seq, earliest, latest).lag();
            let first = earliest.max(0);
            let kept = latest.max(first).saturating_sub(first);
            proptest::prop_assert!(lag.behind <= u64::try_from(kept).unwrap_or(u64::MAX));
            if let Some(c) = lag.checkpoint {
                let c = i64::try_from(c).unwrap();
                if c >= first && c < latest {
                    proptest::prop_assert_eq!(lag.behind, u64::try_from(latest - c - 1).unwrap());
                }
            }
        }
    }
}
