//! The stream page's consumer applications: each application that reads the stream, with its
//! checkpoint and how many records it is behind on each partition.

use crate::components::table::{columns, Table};
use crate::domain::health::thousands;
use crate::error::AppError;
use crate::services::stream_changes::Consumer;
use leptos::prelude::*;

/// The section, or why the applications could not be read (the rest of the page stands).
pub fn consumers(read: Result<&[Consumer], &AppError>) -> String {
    let body = match read {
        Err(e) => view! {
            <p class="hint">{format!("The consumer applications could not be read: {e}")}</p>
        }
        .into_any(),
        Ok([]) => view! {
            <p class="hint">"No application reads this stream with checkpoints."</p>
        }
        .into_any(),
        Ok(apps) => {
            let rows: Vec<[String; 4]> = apps
                .iter()
                .flat_map(|c| {
                    c.partitions.iter().map(|(partition, lag)| {
                        [
                            c.app.clone(),
                            partition.clone(),
                            lag.checkpoint
                                .map_or_else(|| "none yet".to_owned(), |n| n.to_string()),
                            thousands(lag.behind),
                        ]
                    })
                })
                .collect();
            view! {
                <Table caption="Consumer applications" columns=columns(&["Application", "Partition", "Last read", "Records behind"])>
                    {rows.into_iter().map(|[app, partition, checkpoint, behind]| view! {
                        <tr><td>{app}</td><td>{partition}</td><td>{checkpoint}</td><td>{behind}</td></tr>
                    }).collect_view()}
                </Table>
            }
            .into_any()
        }
    };
    super::html(view! {
        <h2>"Consumer applications"</h2>
        {body}
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stream::Lag;

    #[test]
    fn each_partition_of_each_application_is_a_row_and_names_are_escaped() {
        let apps = vec![Consumer {
            app: "billing<b>".into(),
            partitions: vec![
                (
                    "shardId-0000000000".into(),
                    Lag {
                        behind: 12_345,
                        checkpoint: Some(7),
                    },
                ),
                (
                    "shardId-0000000001".into(),
                    Lag {
                        behind: 3,
                        checkpoint: None,
                    },
                ),
            ],
        }];
        let html = consumers(Ok(&apps));
        assert!(html.contains("<h2>Consumer applications</h2>"), "{html}");
        assert_eq!(html.matches("<tr><td>").count(), 2, "{html}");
        assert!(
            html.contains("12,345") && html.contains("none yet"),
            "{html}"
        );
        assert!(
            html.contains("billing&lt;b&gt;") && !html.contains("<b>"),
            "{html}"
        );
        assert!(consumers(Ok(&[])).contains("No application reads this stream"));
        let failed = consumers(Err(&AppError::Rejected("DIS said no".into())));
        assert!(
            failed.contains("could not be read: DIS said no"),
            "{failed}"
        );
    }
}
