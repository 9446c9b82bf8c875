//! The overview's Refresh, and the parts of pages the server renders to HTML.

pub use crate::domain::views::Part;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::{envelope, serve::serve},
    crate::domain::export::Call,
    crate::domain::overview::StateFilter,
    crate::domain::{AuditFilter, DataType, DumpTask, Role, StreamName, TaskDraft, ZoneOffset},
    crate::fragments,
    crate::services::{files, operators, sample, streams, traffic},
};

#[cfg(feature = "ssr")]
fn status() -> Result<super::status::ConsoleStatus, AppError> {
    envelope::status()
}

/// The zone of the region's time directories: measured from files, or `DIS_TIME_ZONE`.
#[cfg(feature = "ssr")]
fn zone() -> Result<ZoneOffset, AppError> {
    Ok(status()?.clock.zone())
}

/// A draft a page shows. The page has checked it against the stream's data type; showing it
/// needs none.
#[cfg(feature = "ssr")]
fn read_draft(draft: &TaskDraft) -> Result<DumpTask, AppError> {
    DumpTask::parse(draft, DataType::Json).map_err(|fields| AppError::Invalid { fields })
}

/// The most of a pasted sample record the wizard reads.
#[cfg(feature = "ssr")]
const MAX_PASTED: usize = 64 * 1024;

/// How many audit lines "Recent changes" shows admins.
#[cfg(feature = "ssr")]
const RECENT_CHANGES: usize = 10;

/// A new read of DIS for the overview, shared with every operator who asks while it runs.
/// Answers with the number of the read.
#[server(endpoint = "refresh_overview", output = crate::api::codec::PageJson)]
pub async fn refresh_overview() -> Result<u64, AppError> {
    serve::<RefreshOverview>()
        .run(|| async { Ok(envelope::overview()?.refresh().await.read) })
        .await
}

/// A part of a page, as HTML the server rendered. Its row in the access table is the least any
/// part needs; the call requires each part's own role ([`Part::role`]).
#[server(endpoint = "get_part", input = server_fn::codec::Json, output = crate::api::codec::PageJson)]
pub async fn get_part(part: Part) -> Result<String, AppError> {
    serve::<GetPart>()
        .requiring(part.role())
        .run_as(|me| async move {
            let now = crate::clock::now_ms();
            match part {
                Part::Overview { state, name } => {
                    let name: String = name.chars().take(64).collect();
                    let recent = if me.is_some_and(|me| me.role >= Role::Admin) {
                        let accounts = envelope::accounts()?;
                        let mut lines =
                            operators::audit(accounts.as_ref(), &AuditFilter::default()).await?;
                        lines.truncate(RECENT_CHANGES);
                        Some(lines)
                    } else {
                        None
                    };
                    let snapshot = envelope::overview()?.current();
                    Ok(fragments::overview::overview(
                        &snapshot,
                        StateFilter::parse(&state),
                        &name,
                        recent,
                        now,
                    ))
                }
                Part::Traffic {
                    stream,
                    partition,
                    window,
                } => {
                    let zone = zone()?;
                    let dis = envelope::dis()?;
                    let t = traffic::traffic(
                        dis.as_ref(),
                        &stream,
                        partition.as_deref(),
                        &window,
                        zone,
                        now,
                    )
                    .await?;
                    Ok(fragments::traffic::traffic(&t))
                }
                Part::TaskProgress { stream, task } => {
                    let dis = envelope::dis()?;
                    let export = status()?.export;
                    streams::task_progress(dis.as_ref(), &stream, &task, zone()?, &export).await
                }
                Part::Streams {
                    after,
                    limit,
                    filter,
                } => {
                    let dis = envelope::dis()?;
                    let page =
                        streams::page(dis.as_ref(), Some(after.clone()), limit, &filter).await?;
                    Ok(fragments::streams::streams(page, &after, limit, &filter))
                }
                Part::TaskSettings { draft, before } => {
                    let before = before.as_deref().map(read_draft).transpose()?;
                    Ok(fragments::request::settings(
                        &read_draft(&draft)?,
                        before.as_ref(),
                    ))
                }
                Part::Export {
                    stream,
                    draft,
                    modify,
                } => {
                    let target = status()?
                        .export
                        .target(StreamName::parse(&stream).map_err(AppError::Rejected)?);
                    let call = if modify { Call::Modify } else { Call::Create };
                    Ok(fragments::request::export(
                        &read_draft(&draft)?,
                        &target,
                        call,
                    ))
                }
                Part::TaskFiles {
                    stream,
                    task,
                    day,
                    page,
                } => {
                    let (dis, obs) = (envelope::dis()?, envelope::obs()?);
                    let day = Some(day.as_str()).filter(|d| !d.is_empty());
                    let view =
                        files::task_files(dis.as_ref(), &obs, &stream, &task, day, now).await?;
                    // The measurement just made is the clock the page shows times on.
                    let clock = status()?.clock;
                    let can_read = me.is_some_and(|me| me.role >= Role::Operator);
                    Ok(fragments::files::task_files(
                        &view,
                        page as usize,
                        can_read,
                        clock,
                        now,
                    ))
                }
                Part::FirstLines { stream, task, key } => {
                    let (dis, obs) = (envelope::dis()?, envelope::obs()?);
                    let (object, lines) =
                        files::first_lines(dis.as_ref(), &obs, &stream, &task, &key).await?;
                    Ok(fragments::files::first_lines(&object, &lines))
                }
                Part::StreamFiles { stream } => {
                    let (dis, obs) = (envelope::dis()?, envelope::obs()?);
                    let rows = files::stream_hour(dis.as_ref(), &obs, &stream, now).await?;
                    Ok(fragments::files::stream_hour(rows))
                }
                Part::PastedSample { text, draft } => {
                    let text: String = text.chars().take(MAX_PASTED).collect();
                    Ok(fragments::sample::pasted(&text, &draft, status()?.clock))
                }
                Part::Records {
                    stream,
                    from,
                    read,
                    draft,
                    suggest,
                } => {
                    if read == 0 {
                        return Ok(fragments::sample::read_buttons());
                    }
                    let (dis, kept) = (envelope::dis()?, envelope::samples()?);
                    let operator = me.map(|me| me.name).unwrap_or_default();
                    let read =
                        sample::kept(dis.as_ref(), &kept, &operator, &stream, from, read, now)
                            .await?;
                    Ok(fragments::sample::records(&read, &draft, zone()?, suggest))
                }
                Part::NewStream { draft } => {
                    let request = draft.parse().map_err(|problems| {
                        AppError::Rejected(crate::services::stream_changes::words(&problems))
                    })?;
                    let stream =
                        StreamName::parse(&request.stream_name).map_err(AppError::Rejected)?;
                    let target = status()?.export.target(stream);
                    Ok(fragments::stream::new_stream(&request, &target))
                }
                Part::Audit(filter) => {
                    let accounts = envelope::accounts()?;
                    let lines = operators::audit(accounts.as_ref(), &filter).await?;
                    Ok(fragments::audit::audit(&filter, lines))
                }
            }
        })
        .await
}
