//! A stream's or a partition's traffic: the totals, the charts and the same numbers as a table.
//! The page shows the charts or the table (`.as-table` on the section).

use crate::domain::health::thousands;
use crate::services::traffic::Traffic;
use leptos::prelude::*;

pub fn traffic(t: &Traffic) -> String {
    let totals = t
        .totals
        .iter()
        .map(|(title, n)| format!("{title}: {}", thousands(*n)))
        .collect::<Vec<_>>()
        .join(" · ");
    super::html(view! {
        <p class="muted">{format!("Last {}. {totals}", t.window)}</p>
        <div class="charts" inner_html=t.charts.concat()></div>
        // Focusable, so a keyboard can scroll the table sideways on a narrow screen.
        <div class="table-wrap chart-table" tabindex="0" role="region"
            aria-label=format!("Traffic as a table, last {}", t.window) inner_html=t.table.clone()></div>
    })
}
