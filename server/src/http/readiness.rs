//! `/readyz`: whether this process can serve operators, check by check.
//!
//! A check answers with a short reason an operator can act on. Reasons never quote file system
//! paths or upstream answers: the endpoint is reachable without logging in.

use crate::dis::{DisClient, DisError};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// How long `/readyz` waits for DIS before calling it unreachable.
pub const DIS_CHECK_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Report {
    pub ready: bool,
    pub checks: Vec<Check>,
}

/// What the checks look at.
#[derive(Debug, Clone)]
pub struct Probe {
    pub site_root: PathBuf,
    pub data_dir: PathBuf,
    /// The DIS the console manages; `None` skips the check.
    pub dis: Option<Arc<DisClient>>,
}

impl Probe {
    pub async fn run(&self) -> Report {
        let mut checks = vec![
            check("site_assets", site_assets(&self.site_root).await),
            check("data_dir", data_dir_writable(&self.data_dir).await),
        ];
        if let Some(dis) = &self.dis {
            checks.push(check("dis", dis_reachable(dis).await));
        }
        Report {
            ready: checks.iter().all(|c| c.ok),
            checks,
        }
    }
}

fn check(name: &'static str, result: Result<(), String>) -> Check {
    Check {
        name,
        ok: result.is_ok(),
        reason: result.err(),
    }
}

/// The browser needs the compiled JS, WASM and CSS to hydrate the pages.
async fn site_assets(site_root: &Path) -> Result<(), String> {
    let pkg = site_root.join(app::PKG_DIR);
    for ext in ["js", "wasm", "css"] {
        let file = pkg.join(format!("{}.{ext}", app::OUTPUT_NAME));
        match tokio::fs::metadata(&file).await {
            Ok(meta) if meta.is_file() => {}
            _ => {
                return Err(format!(
                    "the compiled {ext} bundle is missing from the site root; build with cargo leptos build"
                ))
            }
        }
    }
    Ok(())
}

/// DIS answers an authenticated list call. The reason names the kind of failure and DIS's code,
/// never its message or the endpoint.
async fn dis_reachable(dis: &DisClient) -> Result<(), String> {
    match tokio::time::timeout(DIS_CHECK_TIMEOUT, dis.stream_page(1, None)).await {
        Ok(Ok(_)) => Ok(()),
        Err(_) | Ok(Err(DisError::Timeout(_))) => Err("DIS did not answer in time".into()),
        Ok(Err(DisError::Connect)) => Err("cannot connect to DIS".into()),
        Ok(Err(e)) if e.is_auth() => Err(format!(
            "DIS refused the console's credentials ({})",
            e.code().unwrap_or("no code")
        )),
        Ok(Err(e)) => Err(match e.code() {
            Some(code) => format!("DIS answered with an error ({code})"),
            None => "DIS answered something the console cannot read".into(),
        }),
    }
}

/// State is written under the data directory; a read-only or missing one is not ready.
async fn data_dir_writable(dir: &Path) -> Result<(), String> {
    let probe = dir.join(format!(".readyz-{}", uuid::Uuid::new_v4()));
    tokio::fs::write(&probe, b"ok")
        .await
        .map_err(|_| "the data directory is not writable".to_owned())?;
    let _ = tokio::fs::remove_file(&probe).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn touch_assets(root: &Path) {
        let pkg = root.join("pkg");
        tokio::fs::create_dir_all(&pkg).await.unwrap();
        for ext in ["js", "wasm", "css"] {
            tokio::fs::write(pkg.join(format!("{}.{ext}", app::OUTPUT_NAME)), b"x")
                .await
                .unwrap();
        }
    }

    #[tokio::test]
    async fn ready_only_when_every_check_passes() {
        let site = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let probe = Probe {
            site_root: site.path().into(),
            data_dir: data.path().into(),
            dis: None,
        };

        let report = probe.run().await;
        assert!(!report.ready);
        assert_eq!(report.checks[0].name, "site_assets");
        assert!(!report.checks[0].ok);
        assert!(report.checks[1].ok);

        touch_assets(site.path()).await;
        let report = probe.run().await;
        assert!(report.ready, "{report:?}");
        // The probe leaves nothing behind in the data directory.
        assert_eq!(std::fs::read_dir(data.path()).unwrap().count(), 0);
    }

    #[tokio::test]
    async fn a_missing_data_dir_is_not_ready_and_the_reason_has_no_path() {
        let site = tempfile::tempdir().unwrap();
        touch_assets(site.path()).await;
        let gone = site.path().join("no-such-dir");
        let report = Probe {
            site_root: site.path().into(),
            data_dir: gone.clone(),
            dis: None,
        }
        .run()
        .await;
        assert!(!report.ready);
        let reason = report.checks[1].reason.clone().unwrap();
        assert!(!reason.contains(gone.to_str().unwrap()));
    }
}
