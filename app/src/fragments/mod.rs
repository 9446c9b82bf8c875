//! Parts of pages that the server renders to HTML for a server function to answer with: what
//! the browser only shows and never edits (the overview, a task's progress, the partitions
//! table, the traffic charts, a task's settings and the request that makes it, with its curl and
//! SDK code). The page inserts the markup as it is, so none of this code, nor
//! the types it reads, is in the WASM. Server only.

pub mod audit;
pub mod consumers;
pub mod files;
pub mod overview;
pub mod progress;
pub mod request;
pub mod sample;
pub mod stream;
pub mod streams;
pub mod traffic;

use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;

/// A view rendered to an HTML string. The renderer's hydration markers (`<!>`, an empty
/// comment after text) are dropped: nothing hydrates this markup. Text in it is escaped, so no
/// marker can come from data.
pub fn html(view: impl IntoView) -> String {
    view.into_view().to_html().replace("<!>", "")
}
