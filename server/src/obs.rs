//! The console's side of OBS: reading the files dump tasks wrote. OBS speaks S3's REST API and
//! accepts AWS Signature Version 4 with the console's access key pair; `rusty-s3` builds and
//! presigns the requests and parses listings, and the console's own reqwest client sends them,
//! with timeouts, no redirects, and retries for these reads, which are safe to repeat.
//!
//! Buckets reach URLs only as allowlisted [`BucketName`]s; keys only after
//! `app::domain::files::check_task_key` (and `rusty-s3` encodes them).

use crate::dis::Limits;
use app::domain::files::{ObjectPage, StoredObject};
use app::domain::task::BucketName;
use app::ports::{ObsPort, UpstreamError, UpstreamKind};
use instant_xml::FromXml;
use reqwest::StatusCode;
use rusty_s3::{actions::S3Action, Bucket, Credentials, UrlStyle};
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;

/// How long a presigned request stays valid: long enough for a retried read.
const SIGNED_FOR: Duration = Duration::from_secs(120);

/// Where OBS is and how the console signs for it.
pub struct ObsConfig {
    /// `https://obs.cn-north-4.myhuaweicloud.com`, without a path.
    pub endpoint: String,
    /// `true`: `https://endpoint/<bucket>/<key>`; `false`: `https://<bucket>.endpoint/<key>`.
    pub path_style: bool,
    /// The region in the signature's scope.
    pub region: String,
    pub access_key: SecretString,
    pub secret_key: SecretString,
    pub limits: Limits,
}

impl std::fmt::Debug for ObsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObsConfig")
            .field("endpoint", &self.endpoint)
            .field("path_style", &self.path_style)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

pub struct ObsClient {
    http: reqwest::Client,
    endpoint: url::Url,
    style: UrlStyle,
    region: String,
    access_key: SecretString,
    secret_key: SecretString,
    limits: Limits,
}

impl std::fmt::Debug for ObsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObsClient")
            .field("endpoint", &self.endpoint.as_str())
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

/// S3's error body: `<Error><Code/><Message/><RequestId/></Error>`.
#[derive(Debug, Default, FromXml)]
#[xml(rename = "Error")]
struct ErrorBody {
    #[xml(rename = "Code")]
    code: Option<String>,
    #[xml(rename = "Message")]
    message: Option<String>,
    #[xml(rename = "RequestId")]
    request_id: Option<String>,
}

struct Answer {
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl ObsClient {
    pub fn new(config: ObsConfig) -> Result<Self, String> {
        let endpoint =
            url::Url::parse(&config.endpoint).map_err(|_| "OBS_ENDPOINT is not a URL")?;
        let http = crate::dis::client::http_client(&config.limits)?;
        Ok(ObsClient {
            http,
            endpoint,
            style: if config.path_style {
                UrlStyle::Path
            } else {
                UrlStyle::VirtualHost
            },
            region: config.region,
            access_key: config.access_key,
            secret_key: config.secret_key,
            limits: config.limits,
        })
    }

    fn bucket(&self, name: &BucketName) -> Result<Bucket, UpstreamError> {
        Bucket::new(
            self.endpoint.clone(),
            self.style,
            name.as_str().to_owned(),
            self.region.clone(),
        )
        .map_err(|_| {
            failure(
                UpstreamKind::Malformed,
                "the OBS endpoint cannot address a bucket",
            )
        })
    }

    /// The key pair for one signature; dropped with it.
    fn credentials(&self) -> Credentials {
        Credentials::new(
            self.access_key.expose_secret(),
            self.secret_key.expose_secret(),
        )
    }

    /// Sends a read, signing it afresh for each attempt; broken connections, timeouts,
    /// throttling and server errors are retried with back-off.
    async fn read(
        &self,
        method: reqwest::Method,
        sign: impl Fn() -> url::Url,
        range: Option<&str>,
    ) -> Result<Answer, UpstreamError> {
        let attempts = self.limits.attempts.max(1);
        let mut backoff = self.limits.backoff;
        let mut attempt = 1;
        loop {
            let mut request = self.http.request(method.clone(), sign());
            if let Some(range) = range {
                request = request.header(reqwest::header::RANGE, range);
            }
            let result = self
                .answer(request.send().await, method == reqwest::Method::HEAD)
                .await;
            match result {
                Err((e, true)) if attempt < attempts => {
                    tracing::warn!(attempt, error = %e.detail, "retrying an OBS read");
                    tokio::time::sleep(backoff).await;
                    backoff *= 2;
                    attempt += 1;
                }
                other => return other.map_err(|(e, _)| e),
            }
        }
    }

    /// The answer, or the error with whether it is worth another try.
    async fn answer(
        &self,
        sent: Result<reqwest::Response, reqwest::Error>,
        head: bool,
    ) -> Result<Answer, (UpstreamError, bool)> {
        let response = match sent {
            Ok(r) => r,
            Err(e) if e.is_timeout() => {
                return Err((
                    failure(UpstreamKind::Timeout, "OBS did not answer in time"),
                    true,
                ))
            }
            Err(_) => {
                return Err((
                    failure(UpstreamKind::Unreachable, "OBS could not be reached"),
                    true,
                ))
            }
        };
        let status = response.status();
        let headers = response.headers().clone();
        let body = match response.bytes().await {
            Ok(b) => b.to_vec(),
            Err(_) => {
                return Err((
                    failure(UpstreamKind::Unreachable, "the OBS answer broke off"),
                    true,
                ))
            }
        };
        if status.is_success() {
            return Ok(Answer { headers, body });
        }
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let parsed: ErrorBody = if head || body.is_empty() {
            ErrorBody::default()
        } else {
            instant_xml::from_str(&String::from_utf8_lossy(&body)).unwrap_or_default()
        };
        let code = parsed
            .code
            .or_else(|| header("x-obs-error-code"))
            .or_else(|| status_code_name(status).map(str::to_owned));
        let request_id = parsed
            .request_id
            .or_else(|| header("x-obs-request-id"))
            .or_else(|| header("x-amz-request-id"));
        let retry = status == StatusCode::TOO_MANY_REQUESTS
            || status.is_server_error()
            || code.as_deref() == Some("SlowDown");
        let kind = if status.is_redirection() {
            UpstreamKind::Malformed
        } else {
            UpstreamKind::Rejected
        };
        Err((
            UpstreamError {
                kind,
                code,
                dis_request_id: request_id,
                // OBS's message names no credential.
                detail: format!(
                    "OBS answered {}: {}",
                    status.as_u16(),
                    parsed.message.unwrap_or_default()
                ),
            },
            retry,
        ))
    }
}

/// How a continuation that is a ListObjects (v1) marker starts.
const MARKER: &str = "marker:";

/// A listing as ListObjects (v1) gives it: what an OBS that ignores `list-type=2` answers
/// (Huawei's API reference documents v1 alone, paged with `marker`). Read tag by tag, whatever
/// the namespace; `None` unless it says whether it is truncated. A truncated one continues
/// from its `NextMarker`, or from its last key or common prefix.
fn listing_v1(body: &str) -> Option<ObjectPage> {
    let truncated = element(body, "IsTruncated")? == "true";
    let url_encoded = element(body, "EncodingType").as_deref() == Some("url");
    let key = |raw: String| {
        if url_encoded {
            dis_protocol::signer::decode(&raw.replace('+', " "))
        } else {
            raw
        }
    };
    let objects: Vec<StoredObject> = blocks(body, "Contents")
        .filter_map(|block| {
            Some(StoredObject {
                key: key(element(block, "Key")?),
                size: element(block, "Size")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_default(),
                last_modified_ms: element(block, "LastModified")
                    .and_then(|t| dis_protocol::time::parse_iso_ms(&t))
                    .unwrap_or_default(),
            })
        })
        .collect();
    let prefixes: Vec<String> = blocks(body, "CommonPrefixes")
        .filter_map(|block| element(block, "Prefix").map(key))
        .collect();
    let next = match truncated {
        false => None,
        true => match element(body, "NextContinuationToken") {
            Some(token) => Some(token),
            None => {
                let last = objects
                    .last()
                    .map(|o| o.key.clone())
                    .into_iter()
                    .chain(prefixes.last().cloned())
                    .max();
                Some(format!(
                    "{MARKER}{}",
                    element(body, "NextMarker").map(key).or(last)?
                ))
            }
        },
    };
    Some(ObjectPage {
        objects,
        prefixes,
        next,
    })
}

/// The contents of every `<name>…</name>` in `xml`, in order.
fn blocks<'a>(xml: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    let mut rest = xml;
    std::iter::from_fn(move || {
        let start = rest.find(&open)? + open.len();
        let end = start + rest[start..].find(&close)?;
        let block = &rest[start..end];
        rest = &rest[end + close.len()..];
        Some(block)
    })
}

/// The first `<name>` element's text, its entities read.
fn element(xml: &str, name: &str) -> Option<String> {
    blocks(xml, name).next().map(unescape)
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some(end) = tail.find(';') else {
            out.push_str(tail);
            return out;
        };
        let entity = &tail[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The code a body-less answer (a HEAD's) stands for.
fn status_code_name(status: StatusCode) -> Option<&'static str> {
    match status.as_u16() {
        403 => Some("AccessDenied"),
        404 => Some("NoSuchKey"),
        _ => None,
    }
}

fn failure(kind: UpstreamKind, detail: &str) -> UpstreamError {
    UpstreamError {
        kind,
        code: None,
        dis_request_id: None,
        detail: detail.to_owned(),
    }
}

fn header_ms(headers: &reqwest::header::HeaderMap) -> i64 {
    headers
        .get(reqwest::header::LAST_MODIFIED)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

#[async_trait::async_trait]
impl ObsPort for ObsClient {
    async fn list(
        &self,
        bucket: &BucketName,
        prefix: &str,
        delimiter: Option<&str>,
        continuation: Option<&str>,
    ) -> Result<ObjectPage, UpstreamError> {
        let bucket = self.bucket(bucket)?;
        let sign = || {
            let credentials = self.credentials();
            let mut action = bucket.list_objects_v2(Some(&credentials));
            action.with_prefix(prefix);
            action.with_max_keys(1000);
            if let Some(delimiter) = delimiter {
                action.with_delimiter(delimiter);
            }
            match continuation.map(|c| c.strip_prefix(MARKER).ok_or(c)) {
                Some(Ok(marker)) => action.query_mut().insert("marker", marker),
                Some(Err(token)) => action.with_continuation_token(token),
                None => {}
            }
            action.sign(SIGNED_FOR)
        };
        let answer = self.read(reqwest::Method::GET, sign, None).await?;
        let body = String::from_utf8_lossy(&answer.body);
        let Ok(parsed) = rusty_s3::actions::ListObjectsV2::parse_response(&body) else {
            return listing_v1(&body).ok_or_else(|| {
                failure(
                    UpstreamKind::Malformed,
                    "OBS answered a listing that cannot be read",
                )
            });
        };
        Ok(ObjectPage {
            objects: parsed
                .contents
                .into_iter()
                .map(|o| StoredObject {
                    last_modified_ms: o
                        .last_modified
                        .as_deref()
                        .and_then(dis_protocol::time::parse_iso_ms)
                        .unwrap_or_default(),
                    size: o.size.unwrap_or_default(),
                    key: o.key,
                })
                .collect(),
            prefixes: parsed
                .common_prefixes
                .into_iter()
                .map(|p| p.prefix)
                .collect(),
            next: parsed.next_continuation_token,
        })
    }

    async fn head(&self, bucket: &BucketName, key: &str) -> Result<StoredObject, UpstreamError> {
        let bucket = self.bucket(bucket)?;
        let sign = || {
            let credentials = self.credentials();
            bucket.head_object(Some(&credentials), key).sign(SIGNED_FOR)
        };
        let answer = self.read(reqwest::Method::HEAD, sign, None).await?;
        Ok(StoredObject {
            key: key.to_owned(),
            size: answer
                .headers
                .get(reqwest::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
                .unwrap_or_default(),
            last_modified_ms: header_ms(&answer.headers),
        })
    }

    async fn first_bytes(
        &self,
        bucket: &BucketName,
        key: &str,
        limit: u64,
    ) -> Result<Vec<u8>, UpstreamError> {
        let bucket = self.bucket(bucket)?;
        let sign = || {
            let credentials = self.credentials();
            bucket.get_object(Some(&credentials), key).sign(SIGNED_FOR)
        };
        let range = format!("bytes=0-{}", limit.saturating_sub(1));
        let mut answer = self.read(reqwest::Method::GET, sign, Some(&range)).await?;
        // A server that ignores Range sends the whole object: keep the part asked for.
        answer.body.truncate(limit as usize);
        Ok(answer.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_v1_listing_pages_on_from_its_marker() {
        let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://obs.myhwclouds.com/doc/2015-06-30/"><Name>b</Name><Prefix>p/</Prefix>
<Marker></Marker><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated><EncodingType>url</EncodingType>
<Contents><Key>p/a%20b+c.txt</Key><LastModified>2026-12-01T16:00:00.000Z</LastModified><Size>12</Size></Contents>
<Contents><Key>p/x&amp;y.txt</Key><LastModified>2026-12-01T16:00:01.500Z</LastModified><Size>3</Size></Contents>
<CommonPrefixes><Prefix>p/2026/</Prefix></CommonPrefixes></ListBucketResult>"#;
        let page = listing_v1(body).unwrap();
        assert_eq!(page.objects.len(), 2);
        assert_eq!(page.objects[0].key, "p/a b c.txt");
        assert_eq!(page.objects[1].key, "p/x&y.txt");
        assert_eq!(page.objects[1].last_modified_ms % 1000, 500);
        assert_eq!(page.prefixes, ["p/2026/"]);
        assert_eq!(page.next.as_deref(), Some("marker:p/x&y.txt"));
        let last = body.replace("<IsTruncated>true", "<IsTruncated>false");
        assert_eq!(listing_v1(&last).unwrap().next, None);
        assert!(listing_v1("<Error><Code>AccessDenied</Code></Error>").is_none());
        assert_eq!(unescape("a&lt;b&#38;c&#x41;&bogus;"), "a<b&cA&bogus;");
    }
}
