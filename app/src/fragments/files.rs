//! What landed in OBS: a task's recent files with their totals per directory and the clock
//! they show, a file's first lines, and a stream's last hour per task. Buttons carry
//! `data-action` and `data-value` for the page's one click handler (`ServerPart`'s).

use crate::components::table::{columns, Table};
use crate::components::time::Ago;
use crate::domain::clock::{ClockFinding, RegionClock};
use crate::domain::files::{self, FirstLines, StoredObject, FILES_PER_PAGE};
use crate::domain::health::thousands;
use crate::domain::{DateTime, ZoneOffset};
use crate::services::files::{TaskFiles, TaskHour, Unlisted, WINDOW_MS};
use leptos::prelude::*;

fn minute(ms: i64, zone: ZoneOffset) -> String {
    DateTime::from_epoch_ms(ms, zone)
        .to_iso_string()
        .replace('T', " ")
}

/// The clock line: what the files say, and what the previews use.
fn clock_line(finding: &ClockFinding, clock: RegionClock) -> String {
    let words = finding.words(clock.zone());
    match finding {
        ClockFinding::Measured { zone, .. } if *zone != clock.zone() => format!(
            "{words} DIS_TIME_ZONE sets {} and the previews keep it.",
            clock.zone()
        ),
        ClockFinding::Measured { .. } => format!("{words} Previews use it: {}.", clock.label()),
        ClockFinding::Kept { .. } => words,
    }
}

/// The Files panel: page `page` (from 0) of the task's recent files newest first, the clock
/// line, and the last day's totals per directory. `can_read` shows "Show first lines".
pub fn task_files(
    view: &TaskFiles,
    page: usize,
    can_read: bool,
    clock: RegionClock,
    now_ms: i64,
) -> String {
    let recent = match &view.listing {
        Ok(recent) => recent.clone(),
        Err(Unlisted::Unavailable(why)) => {
            return super::html(view! { <p class="hint">{why.clone()}</p> })
        }
        Err(Unlisted::Refused(why)) => {
            return super::html(view! { <p role="alert" class="error banner">{why.clone()}</p> })
        }
    };
    let zone = clock.zone();
    let objects = &recent.objects;
    let pages = objects.len().div_ceil(FILES_PER_PAGE).max(1);
    let page = page.min(pages - 1);
    let shown: Vec<StoredObject> = objects
        .iter()
        .skip(page * FILES_PER_PAGE)
        .take(FILES_PER_PAGE)
        .cloned()
        .collect();
    // The last day's files by default; all of a chosen day directory's.
    let since = if view.day.is_some() {
        i64::MIN
    } else {
        now_ms - WINDOW_MS
    };
    let totals = files::totals_since(objects, since);
    let (day_files, day_bytes) = files::written_since(objects, since);
    let text = view.task.destination_file_type == crate::domain::task::FileType::Text;
    let clock_line = view.finding.as_ref().map(|f| clock_line(f, clock));
    let cut = if recent.truncated {
        "; there are more than 10,000 files a directory, so the oldest are left out"
    } else {
        ""
    };
    let summary = match (&view.day, objects.is_empty()) {
        (None, true) => "No files in the last day's directories yet. A running task writes its first file one dump interval after records arrive.".to_owned(),
        (Some(day), true) => format!("No files in {day}."),
        (None, false) => format!(
            "{} files ({}) in the last 24 hours{cut}.",
            thousands(day_files as u64),
            files::size_words(day_bytes),
        ),
        (Some(day), false) => format!(
            "{} files ({}) in {day}{cut}.",
            thousands(day_files as u64),
            files::size_words(day_bytes),
        ),
    };
    let by_directory = if view.day.is_some() {
        "By directory"
    } else {
        "Last 24 hours by directory"
    };
    let shown_day = view.day.clone().unwrap_or_default();
    let days: Vec<(String, String)> = view
        .days
        .iter()
        .map(|d| {
            let label = d
                .strip_prefix(&files::key_prefix(view.task.file_prefix.as_str()))
                .unwrap_or(d)
                .trim_end_matches('/')
                .to_owned();
            (d.clone(), label)
        })
        .collect();
    let region = format!("Last modified ({zone})");
    super::html(view! {
        {clock_line.map(|line| view! { <p class="clock-line"><strong>"DIS's clock: "</strong>{line}</p> })}
        <p>{summary}</p>
        {(!shown.is_empty()).then(|| view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label="Files, newest first">
                <table>
                    <caption class="visually-hidden">"Files, newest first"</caption>
                    <thead><tr>
                        <th scope="col">"Key"</th>
                        <th scope="col">"Size"</th>
                        <th scope="col">{region.clone()}</th>
                        <th scope="col">"Last modified (UTC)"</th>
                        {can_read.then(|| view! { <th scope="col"><span class="visually-hidden">"First lines"</span></th> })}
                    </tr></thead>
                    <tbody>
                        {shown.into_iter().map(|o| view! {
                            <tr>
                                <td><code class="object-path">{o.key.clone()}</code></td>
                                <td class="num">{files::size_words(o.size)}</td>
                                <td>{minute(o.last_modified_ms, zone)}</td>
                                <td>{minute(o.last_modified_ms, ZoneOffset::UTC)}</td>
                                {can_read.then(|| view! {
                                    <td>{text.then(|| view! {
                                        <button type="button" data-action="first-lines" data-value=o.key.clone()
                                            aria-label=format!("Show first lines of {}", o.key)>"Show first lines"</button>
                                    })}</td>
                                })}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {(pages > 1).then(|| view! {
                <nav class="actions pager" aria-label="Files pages">
                    <button type="button" data-action="files-page" data-value=(page.saturating_sub(1)).to_string()
                        disabled=page == 0>"Newer files"</button>
                    <span>{format!("Page {} of {pages}", page + 1)}</span>
                    <button type="button" data-action="files-page" data-value=(page + 1).to_string()
                        disabled=page + 1 >= pages>"Older files"</button>
                </nav>
            })}
        })}
        {(!days.is_empty()).then(|| view! {
            <nav class="actions days" aria-label="Days">
                <button type="button" data-action="files-day" data-value=""
                    aria-pressed=(shown_day.is_empty()).to_string()>"Last 24 hours"</button>
                {days.into_iter().map(|(day, label)| view! {
                    <button type="button" data-action="files-day" data-value=day.clone()
                        aria-pressed=(day == shown_day).to_string()>{label}</button>
                }).collect_view()}
            </nav>
        })}
        {(!totals.is_empty()).then(|| view! {
            <h3>{by_directory}</h3>
            <Table caption=by_directory columns=columns(&["Directory", "Files", "Size", "Newest file"])>
                {totals.into_iter().map(|t| view! {
                    <tr>
                        <td><code class="object-path">{format!("{}/", t.directory)}</code></td>
                        <td class="num">{thousands(t.files as u64)}</td>
                        <td class="num">{files::size_words(t.bytes)}</td>
                        <td><Ago ms=t.newest_ms/></td>
                    </tr>
                }).collect_view()}
            </Table>
        })}
    })
}

/// The first lines of a file, cut to 4 KB; or why they cannot be shown.
pub fn first_lines(object: &StoredObject, lines: &Result<FirstLines, String>) -> String {
    let heading = format!("First lines of {}", object.key);
    let body = match lines {
        Err(why) => view! { <p role="alert" class="error banner">{why.clone()}</p> }.into_any(),
        Ok(FirstLines::Binary) => view! {
            <p class="hint">"This file is not text: it holds bytes that are not UTF-8 text."</p>
        }
        .into_any(),
        Ok(FirstLines::Text { text, more }) => {
            let note = if *more {
                format!(
                    "The first {} of {}.",
                    files::size_words(files::FIRST_BYTES),
                    files::size_words(object.size)
                )
            } else {
                format!("The whole file, {}.", files::size_words(object.size))
            };
            view! {
                <p class="hint">{note}</p>
                <pre class="first-lines" tabindex="0" aria-label=heading.clone()>{text.clone()}</pre>
            }
            .into_any()
        }
    };
    super::html(view! {
        <section class="first-lines-card" aria-label=heading.clone()>
            <h3>{heading.clone()}</h3>
            {body}
        </section>
    })
}

/// Each of a stream's tasks with the files and bytes it wrote in the last hour.
pub fn stream_hour(rows: Vec<TaskHour>) -> String {
    if rows.is_empty() {
        return super::html(view! { <p class="hint">"No dump tasks on this stream."</p> });
    }
    super::html(view! {
        <Table caption="Files written in the last hour" columns=columns(&["Dump task", "Files", "Size", "Newest file"])>
            {rows.into_iter().map(|r| match r.written {
                Ok((count, bytes, newest)) => view! {
                    <tr>
                        <td>{r.task}</td>
                        <td class="num">{thousands(count as u64)}</td>
                        <td class="num">{files::size_words(bytes)}</td>
                        <td><Ago ms=newest.unwrap_or(0)/></td>
                    </tr>
                }.into_any(),
                Err(why) => view! {
                    <tr><td>{r.task}</td><td colspan="3">{why}</td></tr>
                }.into_any(),
            }).collect_view()}
        </Table>
    })
}
