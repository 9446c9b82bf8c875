//! Field errors: what is wrong with which field of a dump task, in words an operator can act on.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How a form shows one field: the name of its input (its element id is `field-{name}`), its
/// label, the rule in a line under it, and whether it takes a whole number. The dump task's
/// fields and a stream's both describe themselves this way, so one set of field components
/// serves every form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldMeta {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    pub numeric: bool,
}

/// A field of the dump task form. Serialised as the wire name of the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    TaskName,
    AgencyName,
    DeliverTimeInterval,
    DeliverSizeInterval,
    ConsumerStrategy,
    FilePrefix,
    PartitionFormat,
    ObsBucketPath,
    DestinationFileType,
    RecordDelimiter,
    TimestampName,
    TimestampType,
    TimestampFormat,
}

impl Field {
    pub const ALL: [Field; 13] = [
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
        Field::TimestampFormat,
    ];

    /// The name DIS gives the field in the request JSON.
    pub fn wire_name(self) -> &'static str {
        match self {
            Field::TaskName => "task_name",
            Field::AgencyName => "agency_name",
            Field::DeliverTimeInterval => "deliver_time_interval",
            Field::DeliverSizeInterval => "deliver_size_interval",
            Field::ConsumerStrategy => "consumer_strategy",
            Field::FilePrefix => "file_prefix",
            Field::PartitionFormat => "partition_format",
            Field::ObsBucketPath => "obs_bucket_path",
            Field::DestinationFileType => "destination_file_type",
            Field::RecordDelimiter => "record_delimiter",
            Field::TimestampName => "timestamp_name",
            Field::TimestampType => "timestamp_type",
            Field::TimestampFormat => "timestamp_format",
        }
    }

    /// The label the console's form shows for the field.
    pub fn label(self) -> &'static str {
        match self {
            Field::TaskName => "Task name",
            Field::AgencyName => "IAM agency",
            Field::DeliverTimeInterval => "Dump interval (seconds)",
            Field::DeliverSizeInterval => "Dump size (MB, optional)",
            Field::ConsumerStrategy => "Start from (cannot be changed later)",
            Field::FilePrefix => "Directory prefix",
            Field::PartitionFormat => "Time directories",
            Field::ObsBucketPath => "OBS bucket",
            Field::DestinationFileType => "File type",
            Field::RecordDelimiter => "Record delimiter",
            Field::TimestampName => "Timestamp field",
            Field::TimestampType => "Timestamp type",
            Field::TimestampFormat => "Timestamp format",
        }
    }
    /// What the form says under the field: the rule in a line, when there is one to say.
    pub fn hint(self) -> Option<&'static str> {
        Some(match self {
            Field::TaskName => "1 to 64 letters, digits, '-' or '_'; unique within the stream.",
            Field::AgencyName => {
                "The agency DIS uses to write to OBS. The DIS console creates dis_admin_agency."
            }
            Field::ObsBucketPath => "3 to 63 lowercase letters, digits, '-' and '.'.",
            Field::FilePrefix => {
                "Optional. Up to 50 letters, digits, '_' and '/' between directories; no leading '/'."
            }
            Field::DeliverTimeInterval => {
                "30 to 900. DIS writes a file this often when records arrived."
            }
            Field::DeliverSizeInterval => {
                "1 to 300: also dump once this much has gathered. Newer DIS endpoints only."
            }
            Field::RecordDelimiter => "What separates records inside a text file.",
            Field::TimestampName => "The attribute of each JSON record that holds its time.",
            Field::ConsumerStrategy
            | Field::PartitionFormat
            | Field::DestinationFileType
            | Field::TimestampType
            | Field::TimestampFormat => return None,
        })
    }

    /// Whether the field takes a whole number (phones then offer a number pad).
    pub fn numeric(self) -> bool {
        matches!(
            self,
            Field::DeliverTimeInterval | Field::DeliverSizeInterval
        )
    }
}

impl Field {
    /// How the form shows the field.
    pub fn meta(self) -> FieldMeta {
        FieldMeta {
            name: self.wire_name(),
            label: self.label(),
            hint: self.hint(),
            numeric: self.numeric(),
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.wire_name())
    }
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

/// Every problem found in a form, in field order. Validation collects them all rather than
/// stopping at the first, so the operator sees everything to fix at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, field: Field, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            message: message.into(),
        });
    }

    /// Keeps the value of a parse, or records its error under `field`.
    pub fn take<T>(&mut self, field: Field, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(message) => {
                self.push(field, message);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    /// The first message for `field`, the one a form shows beside it.
    pub fn message_for(&self, field: Field) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn has(&self, field: Field) -> bool {
        self.message_for(field).is_some()
    }

    /// Every error but those of `field` (the operator has edited it).
    pub fn without(&self, field: Field) -> FieldErrors {
        FieldErrors(
            self.0
                .iter()
                .filter(|e| e.field != field)
                .cloned()
                .collect(),
        )
    }

    /// Keeps only the errors of the given fields (a wizard step shows its own).
    pub fn only(&self, fields: &[Field]) -> FieldErrors {
        FieldErrors(
            self.0
                .iter()
                .filter(|e| fields.contains(&e.field))
                .cloned()
                .collect(),
        )
    }
}

impl fmt::Display for FieldErrors {
    /// `task_name: Use 1 to 64 …; obs_bucket_path: …`, the form DIS.4200 messages take.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", e.field, e.message)?;
        }
        Ok(())
    }
}
