//! The one table markup every list uses: scrollable on a narrow screen, captioned for screen
//! readers, with column headers scoped to their columns.

use leptos::prelude::*;

/// A column header. A hidden one is read to screen readers but not shown (a checkbox column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub label: &'static str,
    pub hidden: bool,
}

impl Column {
    pub fn hidden(label: &'static str) -> Column {
        Column {
            label,
            hidden: true,
        }
    }
}

/// Visible columns with these headers.
pub fn columns(labels: &[&'static str]) -> Vec<Column> {
    labels
        .iter()
        .map(|&label| Column {
            label,
            hidden: false,
        })
        .collect()
}

/// A table of `columns`, whose rows are the children. On a narrow screen it scrolls sideways:
/// its wrapper takes keyboard focus (so the arrow keys scroll it) and is named by the caption.
#[component]
pub fn Table(caption: &'static str, columns: Vec<Column>, children: Children) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=caption>
            <table>
                <caption class="visually-hidden">{caption}</caption>
                <thead><tr>
                    {columns.into_iter().map(|c| view! {
                        <th scope="col">
                            {if c.hidden {
                                view! { <span class="visually-hidden">{c.label}</span> }.into_any()
                            } else {
                                c.label.into_any()
                            }}
                        </th>
                    }).collect_view()}
                </tr></thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
