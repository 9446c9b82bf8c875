//! A stream as its forms hold it: every field as the operator typed it. Reading a draft gives
//! the request DIS takes, or every problem with the field it belongs to, in the same words in
//! the browser (as the operator types) and on the server.

use super::stream::{
    check_create, CreateStreamRequest, CsvProperties, StreamDescription, StreamField, Tag,
    UpdateStreamRequest, MAX_TAGS,
};
use super::task::DataType;
use serde::{Deserialize, Serialize};

/// What went wrong, each with its field.
pub type StreamProblems = Vec<(StreamField, String)>;

/// The create form's fields, and the change form's, as text. On the wire (the stream page's
/// data, session storage) it is the list of its texts in [`StreamField::ALL`]'s order: a list
/// of strings reads with code the browser has already, where a struct of its own would bring
/// its own decoder into the WASM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "Vec<String>", from = "Vec<String>")]
pub struct StreamDraft {
    pub stream_name: String,
    pub stream_type: String,
    pub partition_count: String,
    pub data_type: String,
    pub retention: String,
    pub data_schema: String,
    pub delimiter: String,
    pub compression: String,
    /// `"on"` when ticked, empty when not.
    pub auto_scale: String,
    pub auto_scale_min: String,
    pub auto_scale_max: String,
    /// One `key=value` a line.
    pub tags: String,
}

impl Default for StreamDraft {
    /// What a new stream starts as: DIS's own defaults.
    fn default() -> Self {
        StreamDraft {
            stream_name: String::new(),
            stream_type: "COMMON".into(),
            partition_count: "1".into(),
            data_type: "BLOB".into(),
            retention: "24".into(),
            data_schema: String::new(),
            delimiter: ",".into(),
            compression: String::new(),
            auto_scale: String::new(),
            auto_scale_min: String::new(),
            auto_scale_max: String::new(),
            tags: String::new(),
        }
    }
}

impl From<StreamDraft> for Vec<String> {
    fn from(draft: StreamDraft) -> Vec<String> {
        StreamField::ALL
            .iter()
            .map(|f| draft.text(*f).clone())
            .collect()
    }
}

impl From<Vec<String>> for StreamDraft {
    /// Texts missing from the end keep their defaults.
    fn from(texts: Vec<String>) -> StreamDraft {
        let mut draft = StreamDraft::default();
        for (field, text) in StreamField::ALL.iter().zip(texts) {
            *draft.text_mut(*field) = text;
        }
        draft
    }
}

/// The fields a stream's settings change may touch; the rest are fixed once it exists.
pub const CHANGEABLE: [StreamField; 7] = [
    StreamField::Retention,
    StreamField::DataType,
    StreamField::Schema,
    StreamField::Delimiter,
    StreamField::AutoScale,
    StreamField::AutoScaleMin,
    StreamField::AutoScaleMax,
];

impl StreamDraft {
    pub fn text(&self, field: StreamField) -> &String {
        match field {
            StreamField::Name => &self.stream_name,
            StreamField::StreamType => &self.stream_type,
            StreamField::Partitions => &self.partition_count,
            StreamField::DataType => &self.data_type,
            StreamField::Retention => &self.retention,
            StreamField::AutoScale => &self.auto_scale,
            StreamField::AutoScaleMin => &self.auto_scale_min,
            StreamField::AutoScaleMax => &self.auto_scale_max,
            StreamField::Schema => &self.data_schema,
            StreamField::Delimiter => &self.delimiter,
            StreamField::Compression => &self.compression,
            StreamField::Tags => &self.tags,
        }
    }

    pub fn text_mut(&mut self, field: StreamField) -> &mut String {
        match field {
            StreamField::Name => &mut self.stream_name,
            StreamField::StreamType => &mut self.stream_type,
            StreamField::Partitions => &mut self.partition_count,
            StreamField::DataType => &mut self.data_type,
            StreamField::Retention => &mut self.retention,
            StreamField::AutoScale => &mut self.auto_scale,
            StreamField::AutoScaleMin => &mut self.auto_scale_min,
            StreamField::AutoScaleMax => &mut self.auto_scale_max,
            StreamField::Schema => &mut self.data_schema,
            StreamField::Delimiter => &mut self.delimiter,
            StreamField::Compression => &mut self.compression,
            StreamField::Tags => &mut self.tags,
        }
    }

    /// Whether the form shows `field` for the data type chosen: the schema for JSON and CSV,
    /// the delimiter for CSV, the bounds while auto-scaling is ticked.
    pub fn shows(&self, field: StreamField) -> bool {
        let data_type = DataType::parse(&self.data_type).unwrap_or(DataType::Blob);
        match field {
            StreamField::Schema => data_type != DataType::Blob,
            StreamField::Delimiter => data_type == DataType::Csv,
            StreamField::AutoScaleMin | StreamField::AutoScaleMax => self.auto_scaled(),
            _ => true,
        }
    }

    fn auto_scaled(&self) -> bool {
        !self.auto_scale.is_empty()
    }

    /// The create request this draft makes, checked by [`check_create`]; or every problem.
    /// Fields the data type does not show are left out of the request.
    pub fn parse(&self) -> Result<CreateStreamRequest, StreamProblems> {
        let mut problems = StreamProblems::new();
        let mut number = |field: StreamField, required: bool| -> Option<u32> {
            let text = self.text(field).trim();
            if text.is_empty() && !required {
                return None;
            }
            match text.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    problems.push((field, whole_number(text)));
                    None
                }
            }
        };
        let partitions = number(StreamField::Partitions, true);
        let retention = number(StreamField::Retention, true);
        let auto = self.auto_scaled();
        let min = auto
            .then(|| number(StreamField::AutoScaleMin, true))
            .flatten();
        let max = auto
            .then(|| number(StreamField::AutoScaleMax, true))
            .flatten();
        let tags = parse_tags(&self.tags).unwrap_or_else(|e| {
            problems.push((StreamField::Tags, e));
            Vec::new()
        });
        let schema = self.data_schema.trim();
        let request = CreateStreamRequest {
            stream_name: self.stream_name.trim().to_owned(),
            partition_count: partitions.unwrap_or(1),
            stream_type: Some(self.stream_type.trim().to_ascii_uppercase()),
            data_type: Some(self.data_type.trim().to_ascii_uppercase()),
            data_duration: Some(retention.unwrap_or(24)),
            auto_scale_enabled: Some(auto),
            auto_scale_min_partition_count: min,
            auto_scale_max_partition_count: max,
            data_schema: (self.shows(StreamField::Schema) && !schema.is_empty())
                .then(|| schema.to_owned()),
            csv_properties: self.shows(StreamField::Delimiter).then(|| CsvProperties {
                delimiter: self.delimiter.clone(),
            }),
            compression_format: Some(self.compression.trim().to_ascii_lowercase())
                .filter(|c| !c.is_empty() && c != "none"),
            tags,
        };
        if let Err(found) = check_create(&request) {
            // A number that did not read has said so already; the rules would only repeat it.
            for (field, message) in found {
                let unread = |f: StreamField| problems.iter().any(|(p, _)| *p == f);
                let repeats = match field {
                    StreamField::Partitions => unread(StreamField::Partitions),
                    StreamField::Retention => unread(StreamField::Retention),
                    StreamField::AutoScale => {
                        unread(StreamField::AutoScaleMin)
                            || unread(StreamField::AutoScaleMax)
                            || unread(StreamField::Partitions)
                    }
                    _ => false,
                };
                if !repeats {
                    problems.push((field, message));
                }
            }
        }
        if problems.is_empty() {
            Ok(request)
        } else {
            Err(problems)
        }
    }

    /// A draft of an existing stream's settings: what its change form starts from.
    pub fn of_stream(d: &StreamDescription) -> StreamDraft {
        let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        StreamDraft {
            stream_name: d.stream.stream_name.clone(),
            stream_type: Some(d.stream.stream_type.clone())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| "COMMON".into()),
            partition_count: d.stream.writable_partition_count.max(1).to_string(),
            data_type: d.stream.data_type().as_str().into(),
            retention: d.stream.retention_period.to_string(),
            data_schema: d.data_schema.clone().unwrap_or_default(),
            delimiter: d
                .csv_properties
                .as_ref()
                .map(|c| c.delimiter.clone())
                .unwrap_or_else(|| ",".into()),
            compression: d.compression_format.clone().unwrap_or_default(),
            auto_scale: if d.auto_scale_enabled {
                "on".into()
            } else {
                String::new()
            },
            auto_scale_min: number(d.auto_scale_min_partition_count),
            auto_scale_max: number(d.auto_scale_max_partition_count),
            tags: d
                .tags
                .iter()
                .map(|t| format!("{}={}", t.key, t.value))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    /// The change that takes a stream from `base` (its settings as DIS reported them) to this
    /// draft: only what differs is sent, and `None` when nothing does. Checked by the rules a
    /// new stream meets, less those of what a change cannot touch (compression and tags, as
    /// the server checks it too): a tag DIS once took is no reason to refuse a new retention.
    pub fn change_from(
        &self,
        base: &StreamDraft,
    ) -> Result<Option<UpdateStreamRequest>, StreamProblems> {
        let checked = |d: &StreamDraft| StreamDraft {
            compression: String::new(),
            tags: String::new(),
            ..d.clone()
        };
        let after = checked(self).parse()?;
        let before = checked(base).parse().ok();
        let kept = |same: fn(&CreateStreamRequest, &CreateStreamRequest) -> bool| {
            before.as_ref().is_some_and(|b| same(b, &after))
        };
        let mut change = UpdateStreamRequest {
            stream_name: after.stream_name.clone(),
            ..UpdateStreamRequest::default()
        };
        if !kept(|b, a| b.data_duration == a.data_duration) {
            change.data_duration = after.data_duration;
        }
        if !kept(|b, a| b.data_type == a.data_type) {
            change.data_type = after.data_type.clone();
        }
        if !kept(|b, a| b.data_schema == a.data_schema) {
            // An empty schema clears the stream's.
            change.data_schema = Some(after.data_schema.clone().unwrap_or_default());
        }
        if !kept(|b, a| {
            (
                b.auto_scale_enabled,
                b.auto_scale_min_partition_count,
                b.auto_scale_max_partition_count,
            ) == (
                a.auto_scale_enabled,
                a.auto_scale_min_partition_count,
                a.auto_scale_max_partition_count,
            )
        }) {
            change.auto_scale_enabled = after.auto_scale_enabled;
            change.auto_scale_min_partition_count = after.auto_scale_min_partition_count;
            change.auto_scale_max_partition_count = after.auto_scale_max_partition_count;
        }
        let nothing = UpdateStreamRequest {
            stream_name: after.stream_name,
            ..UpdateStreamRequest::default()
        };
        Ok((change != nothing).then_some(change))
    }
}

fn whole_number(text: &str) -> String {
    if text.is_empty() {
        "Enter a whole number.".into()
    } else {
        format!("{text:?} is not a whole number: enter one such as 3.")
    }
}

/// Tags written one `key=value` a line (blank lines skipped; a line without `=` is a key with
/// an empty value), checked as DIS checks them.
pub fn parse_tags(text: &str) -> Result<Vec<Tag>, String> {
    let tags: Vec<Tag> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (key, value) = line.split_once('=').unwrap_or((line, ""));
            Tag {
                key: key.trim().to_owned(),
                value: value.trim().to_owned(),
            }
        })
        .collect();
    if tags.len() > MAX_TAGS {
        return Err(format!(
            "A stream carries at most {MAX_TAGS} tags ({} lines given).",
            tags.len()
        ));
    }
    super::stream::check_tags(&tags)?;
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SCHEMA: &str =
        r#"{"type":"record","name":"order","fields":[{"name":"id","type":"string"}]}"#;

    fn json_draft() -> StreamDraft {
        StreamDraft {
            stream_name: " orders-json ".into(),
            partition_count: "3".into(),
            data_type: "JSON".into(),
            retention: "48".into(),
            data_schema: SCHEMA.into(),
            tags: "team=orders\n\n env = prod ".into(),
            ..StreamDraft::default()
        }
    }

    fn fields(d: &StreamDraft) -> Vec<StreamField> {
        crate::domain::stream::problem_fields(d.parse())
    }

    #[test]
    fn a_draft_reads_as_the_request_dis_takes() {
        let r = json_draft().parse().unwrap();
        assert_eq!(r.stream_name, "orders-json");
        assert_eq!(r.partition_count, 3);
        assert_eq!(r.data_type.as_deref(), Some("JSON"));
        assert_eq!(r.data_duration, Some(48));
        assert_eq!(r.data_schema.as_deref(), Some(SCHEMA));
        assert_eq!(r.csv_properties, None, "only CSV sends a delimiter");
        assert_eq!(r.compression_format, None);
        assert_eq!(r.auto_scale_enabled, Some(false));
        assert_eq!(
            r.tags,
            vec![
                Tag {
                    key: "team".into(),
                    value: "orders".into()
                },
                Tag {
                    key: "env".into(),
                    value: "prod".into()
                }
            ]
        );
        assert_eq!(
            StreamDraft::default().parse().err().map(|p| p[0].0),
            Some(StreamField::Name)
        );
    }

    #[test]
    fn what_the_data_type_hides_is_not_sent() {
        let blob = StreamDraft {
            data_type: "BLOB".into(),
            ..json_draft()
        };
        let r = blob.parse().unwrap();
        assert_eq!((r.data_schema, r.csv_properties), (None, None));
        let csv = StreamDraft {
            data_type: "CSV".into(),
            delimiter: ";".into(),
            compression: "gzip".into(),
            ..json_draft()
        };
        let r = csv.parse().unwrap();
        assert_eq!(r.csv_properties.unwrap().delimiter, ";");
        assert_eq!(r.compression_format.as_deref(), Some("gzip"));
        assert!(!blob.shows(StreamField::Schema) && csv.shows(StreamField::Delimiter));
    }

    #[test]
    fn each_problem_names_its_field_once() {
        let d = StreamDraft {
            partition_count: "three".into(),
            ..json_draft()
        };
        let p = d.parse().unwrap_err();
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, StreamField::Partitions);
        assert!(
            p[0].1.contains("\"three\" is not a whole number"),
            "{}",
            p[0].1
        );

        let cases: Vec<(StreamDraft, StreamField)> = vec![
            (
                StreamDraft {
                    retention: "12".into(),
                    ..json_draft()
                },
                StreamField::Retention,
            ),
            (
                StreamDraft {
                    data_schema: "{".into(),
                    ..json_draft()
                },
                StreamField::Schema,
            ),
            (
                StreamDraft {
                    data_type: "CSV".into(),
                    delimiter: ";;".into(),
                    ..json_draft()
                },
                StreamField::Delimiter,
            ),
            (
                StreamDraft {
                    tags: "a=1\na=2".into(),
                    ..json_draft()
                },
                StreamField::Tags,
            ),
            (
                StreamDraft {
                    auto_scale: "on".into(),
                    auto_scale_min: "x".into(),
                    auto_scale_max: "4".into(),
                    ..json_draft()
                },
                StreamField::AutoScaleMin,
            ),
            (
                StreamDraft {
                    auto_scale: "on".into(),
                    auto_scale_min: "1".into(),
                    auto_scale_max: "2".into(),
                    ..json_draft()
                },
                StreamField::AutoScale,
            ),
            (
                StreamDraft {
                    stream_type: "ADVANCED".into(),
                    partition_count: "11".into(),
                    ..json_draft()
                },
                StreamField::Partitions,
            ),
        ];
        for (draft, field) in cases {
            assert_eq!(fields(&draft), vec![field], "{draft:?}");
        }
        let many: String = (0..11).map(|i| format!("k{i}=v\n")).collect();
        assert!(parse_tags(&many).unwrap_err().contains("at most 10"));
    }

    #[test]
    fn a_change_sends_only_what_differs() {
        let base = json_draft();
        assert_eq!(base.change_from(&base), Ok(None));
        let longer = StreamDraft {
            retention: "72".into(),
            ..base.clone()
        };
        let c = longer.change_from(&base).unwrap().unwrap();
        assert_eq!(c.stream_name, "orders-json");
        assert_eq!(c.data_duration, Some(72));
        assert_eq!(
            (c.data_type, c.data_schema, c.auto_scale_enabled),
            (None, None, None)
        );
        let scaled = StreamDraft {
            auto_scale: "on".into(),
            auto_scale_min: "1".into(),
            auto_scale_max: "6".into(),
            data_schema: String::new(),
            ..base.clone()
        };
        let c = scaled.change_from(&base).unwrap().unwrap();
        assert_eq!(c.data_duration, None);
        assert_eq!(
            (
                c.auto_scale_enabled,
                c.auto_scale_min_partition_count,
                c.auto_scale_max_partition_count
            ),
            (Some(true), Some(1), Some(6))
        );
        assert_eq!(
            c.data_schema.as_deref(),
            Some(""),
            "a cleared schema is sent as empty"
        );
        let broken = StreamDraft {
            retention: "100".into(),
            ..base.clone()
        };
        assert_eq!(
            broken.change_from(&base).unwrap_err()[0].0,
            StreamField::Retention
        );
    }

    #[test]
    fn a_change_is_not_refused_for_what_it_cannot_touch() {
        // Tags and compression another tool set, which this console's rules would refuse.
        let base = StreamDraft {
            tags: "owner:team=orders".into(),
            compression: "lz4".into(),
            ..json_draft()
        };
        assert!(base.parse().is_err());
        let longer = StreamDraft {
            retention: "72".into(),
            ..base.clone()
        };
        let c = longer.change_from(&base).unwrap().unwrap();
        assert_eq!(c.data_duration, Some(72));
    }

    #[test]
    fn a_draft_travels_as_its_list_of_texts() {
        let d = json_draft();
        let json = serde_json::to_string(&d).unwrap();
        assert!(
            json.starts_with("[\" orders-json \",\"COMMON\",\"3\""),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<StreamDraft>(&json).unwrap(), d);
        let short: StreamDraft = serde_json::from_str(r#"["s"]"#).unwrap();
        assert_eq!(short.stream_name, "s");
        assert_eq!(short.retention, "24", "what is missing keeps its default");
    }

    #[test]
    fn a_stream_reads_back_as_the_draft_that_made_it() {
        let request = json_draft().parse().unwrap();
        let described = StreamDescription {
            stream: crate::domain::dis::DescribeStreamResponse {
                stream_name: request.stream_name.clone(),
                stream_type: "COMMON".into(),
                data_type: "JSON".into(),
                retention_period: 48,
                writable_partition_count: 3,
                ..Default::default()
            },
            data_schema: request.data_schema.clone(),
            tags: request.tags.clone(),
            ..Default::default()
        };
        assert_eq!(StreamDraft::of_stream(&described).parse(), Ok(request));
    }

    proptest! {
        /// Any valid request, written into a draft as an operator would type it, reads back as
        /// the same request.
        #[test]
        fn a_typed_request_reads_back_unchanged(
            name in "[A-Za-z0-9_-]{1,64}",
            advanced in any::<bool>(),
            partitions in 1u32..=10,
            data_type in 0usize..3,
            retention in 24u32..=72,
            auto in any::<bool>(),
            spread in 0u32..=5,
            tags in proptest::collection::btree_map("[A-Za-z0-9_.-]{1,36}", "[A-Za-z0-9_.-]{0,43}", 0..=10),
            compression in 0usize..4,
        ) {
            let data_type = ["BLOB", "JSON", "CSV"][data_type];
            let draft = StreamDraft {
                stream_name: name.clone(),
                stream_type: if advanced { "ADVANCED" } else { "COMMON" }.into(),
                partition_count: partitions.to_string(),
                data_type: data_type.into(),
                retention: retention.to_string(),
                data_schema: if data_type == "BLOB" { String::new() } else { SCHEMA.into() },
                delimiter: "|".into(),
                compression: ["", "snappy", "gzip", "zip"][compression].into(),
                auto_scale: if auto { "on".into() } else { String::new() },
                auto_scale_min: "1".into(),
                auto_scale_max: (partitions + spread).min(10).to_string(),
                tags: tags.iter().map(|(k, v)| format!("{k}={v}\n")).collect(),
            };
            let r = draft.parse().map_err(|p| TestCaseError::fail(format!("{p:?}")))?;
            prop_assert_eq!(&r.stream_name, &name);
            prop_assert_eq!(r.partition_count, partitions);
            prop_assert_eq!(r.data_duration, Some(retention));
            prop_assert_eq!(r.tags.len(), tags.len());
            prop_assert_eq!(r.csv_properties.is_some(), data_type == "CSV");
            prop_assert_eq!(r.auto_scale_max_partition_count.is_some(), auto);
            prop_assert_eq!(check_create(&r), Ok(()));
        }
    }
}
