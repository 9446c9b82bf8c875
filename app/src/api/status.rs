//! What the console is connected to, for the overview page.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A summary of the console's configuration that is safe to show any operator: it never holds a
/// credential. The server builds it once at start-up and provides it as context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleStatus {
    pub version: String,
    pub dis: DisTargetSummary,
    /// The zone assumed for time directories (`DIS_TIME_ZONE`), in minutes east of UTC.
    pub time_zone_minutes: i32,
    /// Whether `DIS_TIME_ZONE` set that zone (then it overrides what files show).
    pub time_zone_set: bool,
    /// The clock previews use: the zone above, or the one measured from files.
    pub clock: crate::domain::clock::RegionClock,
    /// Where exported snippets send their requests.
    pub export: ExportInfo,
}

/// The DIS address exported snippets use: never a credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ExportInfo {
    pub endpoint: String,
    pub region: String,
    pub project_id: String,
}

impl ExportInfo {
    /// Where exported snippets for `stream` send their requests.
    pub fn target(&self, stream: crate::domain::StreamName) -> crate::domain::export::ExportTarget {
        crate::domain::export::ExportTarget {
            endpoint: self.endpoint.clone(),
            region: self.region.clone(),
            project_id: self.project_id.clone(),
            stream,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DisTargetSummary {
    /// `DIS_ENDPOINT` is unset: the console talks to its embedded DIS-compatible backend.
    Embedded,
    /// A real DIS endpoint.
    Remote {
        endpoint: String,
        region: String,
        project_id: String,
    },
}

#[server(endpoint = "console_status", output = crate::api::codec::PageJson)]
pub async fn get_console_status() -> Result<ConsoleStatus, AppError> {
    super::serve::serve::<GetConsoleStatus>()
        .run(|| async { super::envelope::status() })
        .await
}
