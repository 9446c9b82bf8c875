//! The wizard's state: the steps, the draft and what the operator has touched, the errors to
//! show under each field, and what session storage keeps.

use crate::components::fields::FieldModel;
use crate::domain::dis::TaskDetails;
use crate::domain::{DataType, DumpTask, Field, FieldErrors, TaskDraft};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    Destination,
    FileType,
    Partition,
    Schema,
    Review,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::Destination,
        Step::FileType,
        Step::Partition,
        Step::Schema,
        Step::Review,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Step::Destination => "Destination",
            Step::FileType => "File type",
            Step::Partition => "Partition",
            Step::Schema => "Timestamp schema",
            Step::Review => "Review",
        }
    }

    pub fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// The fields this step asks for, in the order it shows them.
    pub fn fields(self) -> &'static [Field] {
        match self {
            Step::Destination => &[Field::TaskName, Field::AgencyName, Field::ConsumerStrategy],
            Step::FileType => &[Field::DestinationFileType, Field::RecordDelimiter],
            Step::Partition => &[
                Field::ObsBucketPath,
                Field::FilePrefix,
                Field::PartitionFormat,
                Field::DeliverTimeInterval,
                Field::DeliverSizeInterval,
            ],
            Step::Schema => &[
                Field::TimestampName,
                Field::TimestampType,
                Field::TimestampFormat,
            ],
            Step::Review => &[],
        }
    }

    /// The step that asks for `field`.
    pub fn of(field: Field) -> Step {
        Step::ALL
            .into_iter()
            .find(|s| s.fields().contains(&field))
            .unwrap_or(Step::Review)
    }
}

/// What the wizard makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    New,
    /// A new task from a copy of this one.
    Clone(String),
    /// This task, modified in place: its name and start position are fixed.
    Modify(String),
}

impl Mode {
    /// Where session storage keeps the draft: each task's copy and modify has its own.
    pub(super) fn storage_key(&self, stream: &str) -> String {
        match self {
            Mode::New => format!("dis-console:add-task:{stream}"),
            Mode::Clone(task) => format!("dis-console:add-task:{stream}:clone:{task}"),
            Mode::Modify(task) => format!("dis-console:modify-task:{stream}/{task}"),
        }
    }
}

/// A task's settings as DIS reports them, as a draft; or why the console cannot read them.
pub(super) fn reported_draft(t: &TaskDetails, data_type: DataType) -> Result<TaskDraft, String> {
    let d = t
        .obs_destination_description
        .as_ref()
        .ok_or_else(|| format!("{} does not dump to OBS.", t.task_name))?;
    DumpTask::from_descriptor(d, data_type)
        .map(|task| task.to_draft())
        .map_err(|e| {
            format!(
                "DIS reports settings for {} that the console cannot read: {e}",
                t.task_name
            )
        })
}

/// What session storage keeps of a wizard in progress.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Saved {
    pub draft: TaskDraft,
    pub step: Step,
    pub sample: String,
    /// A modify's settings as DIS reported them when the form was filled: what saving compares
    /// with DIS again, and what the review lists changes from.
    #[serde(default)]
    pub base: Option<TaskDraft>,
}

/// A field's bit in [`WizardState::touched`].
pub(super) fn touched_bit(field: Field) -> u32 {
    1 << field as u32
}

/// The draft and its errors, shared by every step.
#[derive(Clone, Copy)]
pub(super) struct WizardState {
    pub draft: RwSignal<TaskDraft>,
    /// The fields touched, as bits ([`touched_bit`]): a signal type the pages share.
    pub touched: RwSignal<u32>,
    /// Errors the server reported for the last create, until the field is edited.
    pub server_errors: RwSignal<FieldErrors>,
    pub errors: Memo<FieldErrors>,
}

impl WizardState {
    /// Everything a field component needs to edit `field` of the draft.
    pub fn model(self, field: Field) -> FieldModel {
        FieldModel {
            meta: field.meta(),
            value: self.value(field),
            on_change: self.setter(field),
            error: self.error(field),
            on_blur: self.touch(field),
        }
    }

    fn value(self, field: Field) -> Signal<String> {
        let draft = self.draft;
        Signal::derive(move || draft.with(|d| d.text(field).clone()))
    }

    fn setter(self, field: Field) -> Callback<String> {
        let s = self;
        Callback::new(move |v: String| {
            s.draft.update(|d| *d.text_mut(field) = v);
            s.touched.update(|t| *t |= touched_bit(field));
            s.server_errors.update(|e| *e = e.without(field));
        })
    }

    fn touch(self, field: Field) -> Callback<()> {
        let touched = self.touched;
        Callback::new(move |_| touched.update(|t| *t |= touched_bit(field)))
    }

    /// The message to show under a field: the server's, else the rule's once touched.
    fn error(self, field: Field) -> Signal<Option<String>> {
        let s = self;
        Signal::derive(move || {
            if let Some(m) = s
                .server_errors
                .with(|e| e.message_for(field).map(str::to_string))
            {
                return Some(m);
            }
            if s.touched.get() & touched_bit(field) == 0 {
                return None;
            }
            s.errors.with(|e| e.message_for(field).map(str::to_string))
        })
    }
}
