//! The request a draft makes and how to send it from elsewhere: the wizard's last step (the
//! task's settings and, for a modify, what changes) and a task page's export.

use crate::domain::export::{self, Call, ExportTarget};
use crate::domain::settings::{changes, Change};
use crate::domain::DumpTask;
use leptos::prelude::*;

/// A task's settings as a list; with `before`, the task it modifies, and what changes first.
pub fn settings(task: &DumpTask, before: Option<&DumpTask>) -> String {
    let what_changes = before.map(|before| what_changes(changes(before, task)));
    let heading = if before.is_some() {
        "The task after saving"
    } else {
        "The task"
    };
    let list = task
        .settings()
        .into_iter()
        .map(|s| view! { <dt>{s.label}</dt><dd>{s.value}</dd> })
        .collect_view();
    super::html(view! {
        {what_changes}
        <section aria-labelledby="settings-heading">
            <h3 id="settings-heading">{heading}</h3>
            <dl class="facts review"><dt>"Destination"</dt><dd>"OBS"</dd>{list}</dl>
        </section>
    })
}

/// The request that makes `task` and the code that sends it, each block with a button that
/// copies it: the button names its block (`data-copy`), and the page copies on its click.
pub fn export(task: &DumpTask, target: &ExportTarget, call: Call) -> String {
    super::html(
        export::snippets(task, target, call)
            .into_iter()
            .map(|(title, text)| snippet(title, text))
            .collect_view(),
    )
}

/// The settings a modify changes, before → after.
fn what_changes(list: Vec<Change>) -> impl IntoView {
    let body = if list.is_empty() {
        view! { <p class="empty">"Nothing changes: these are the task's settings as DIS reports them."</p> }
            .into_any()
    } else {
        view! {
            <ul class="changes">
                {list.into_iter().map(|c| view! {
                    <li>
                        <strong>{c.label}</strong>": "
                        <del>{c.before}</del>" → "<ins>{c.after}</ins>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="changes-heading">
            <h3 id="changes-heading">"What changes"</h3>
            {body}
        </section>
    }
}

/// A block of text with a button that copies it.
pub(super) fn snippet(title: &'static str, text: String) -> impl IntoView {
    let slug = title.to_lowercase().replace(' ', "-");
    view! {
        <div class="snippet">
            <div class="snippet-head">
                <h4 id=format!("snippet-{slug}")>{title}</h4>
                <button type="button" aria-label=format!("Copy {title}") data-copy=format!("snippet-text-{slug}")>
                    "Copy"
                </button>
            </div>
            // Focusable, so a keyboard can scroll a long line into view.
            <pre id=format!("snippet-text-{slug}") tabindex="0" aria-labelledby=format!("snippet-{slug}")><code>{text}</code></pre>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DataType, StreamName, TaskDraft};

    fn task(prefix: &str) -> DumpTask {
        let d = TaskDraft {
            task_name: "t".into(),
            obs_bucket_path: "b".repeat(3),
            file_prefix: prefix.into(),
            ..TaskDraft::default()
        };
        DumpTask::parse(&d, DataType::Json).unwrap()
    }

    fn target() -> ExportTarget {
        ExportTarget {
            endpoint: "http://127.0.0.1:4000".into(),
            region: "local".into(),
            project_id: "p".into(),
            stream: StreamName::parse("s").unwrap(),
        }
    }

    #[test]
    fn a_modify_lists_what_changes_and_sends_a_put() {
        let (before, after) = (task("a"), task("a/b"));
        let html = settings(&after, Some(&before));
        assert!(
            html.contains("<strong>Directory prefix</strong>: <del>a</del> → <ins>a/b</ins>"),
            "{html}"
        );
        assert!(html.contains("The task after saving"));
        assert!(settings(&before, Some(&before)).contains("Nothing changes"));
        assert!(!settings(&before, None).contains("What changes"));
        let put = export(&after, &target(), Call::Modify);
        assert!(
            put.contains("curl -sS -X PUT") && !put.contains("Python SDK"),
            "{put}"
        );
    }

    #[test]
    fn each_snippet_has_its_copy_target() {
        let html = export(&task(""), &target(), Call::Create);
        for slug in ["request-json", "curl", "python-sdk", "java-sdk", "go-sdk"] {
            assert!(
                html.contains(&format!("data-copy=\"snippet-text-{slug}\"")),
                "{slug}"
            );
            assert!(
                html.contains(&format!("<pre id=\"snippet-text-{slug}\"")),
                "{slug}"
            );
        }
    }
}
