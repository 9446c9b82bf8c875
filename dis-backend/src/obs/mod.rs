//! The dump folder served as OBS serves a bucket, on a listener of its own: path-style
//! addressing (`http://host:port/<bucket>/<key>`), Signature V4 from a header or a presigned
//! URL ([`sigv4`]), and the three operations a reader of dumps needs: list objects (ListObjects
//! and ListObjectsV2), head an object, and get it whole or a byte range. Refusals are S3's XML
//! errors (`Code`, `Message`, `RequestId`). No key reaches outside the bucket's folder.

pub mod sigv4;

use crate::{Shared, MAX_CLOCK_SKEW_MS};
use app::clock::now_ms;
use app::domain::chart::escape;
use axum::{
    body::{Body, Bytes},
    extract::State,
    http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
    Router,
};
use dis_protocol::signer::decode;
use secrecy::ExposeSecret;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The most keys one listing returns, as S3 and OBS limit it.
pub const MAX_KEYS: usize = 1000;

const XMLNS: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

/// An S3 error: status, code and message; its XML body carries the request id.
#[derive(Debug)]
struct S3Error {
    status: StatusCode,
    code: &'static str,
    message: String,
    bucket: Option<String>,
}

impl S3Error {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        S3Error {
            status,
            code,
            message: message.into(),
            bucket: None,
        }
    }

    fn access_denied(message: &str) -> Self {
        S3Error::new(StatusCode::FORBIDDEN, "AccessDenied", message)
    }

    fn invalid_argument(message: impl Into<String>) -> Self {
        S3Error::new(StatusCode::BAD_REQUEST, "InvalidArgument", message)
    }

    fn no_such_key() -> Self {
        S3Error::new(
            StatusCode::NOT_FOUND,
            "NoSuchKey",
            "The specified key does not exist.",
        )
    }

    fn answer(self, request_id: &str, head: bool) -> Response {
        let bucket = self
            .bucket
            .map(|b| format!("<BucketName>{}</BucketName>", escape(&b)))
            .unwrap_or_default();
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message>{bucket}<RequestId>{request_id}</RequestId><HostId>{request_id}</HostId></Error>",
            self.code,
            escape(&self.message)
        );
        let mut response = if head {
            // A HEAD answer has no body: the status and the code header say it all.
            self.status.into_response()
        } else {
            (
                self.status,
                [(header::CONTENT_TYPE, "application/xml")],
                body,
            )
                .into_response()
        };
        if let Ok(code) = HeaderValue::from_str(self.code) {
            response.headers_mut().insert("x-obs-error-code", code);
        }
        response
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request_id = uuid::Uuid::new_v4()
        .simple()
        .to_string()
        .to_ascii_uppercase();
    let head = method == Method::HEAD;
    let mut response = match serve(&shared, &method, &uri, &headers, &body) {
        Ok(response) => response,
        Err(e) => e.answer(&request_id, head),
    };
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-obs-request-id", v.clone());
        response.headers_mut().insert("x-amz-request-id", v);
    }
    response
}

fn serve(
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, S3Error> {
    authenticate(shared, method, uri, headers, body)?;
    if method != Method::GET && method != Method::HEAD {
        return Err(S3Error::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            "The specified method is not allowed against this resource.",
        ));
    }
    let path = uri.path().strip_prefix('/').unwrap_or_default();
    let (bucket, raw_key) = path.split_once('/').unwrap_or((path, ""));
    if bucket.is_empty() {
        return Err(S3Error::new(
            StatusCode::NOT_IMPLEMENTED,
            "NotImplemented",
            "Listing buckets is not served here; name a bucket in the path.",
        ));
    }
    if !valid_bucket(bucket) {
        return Err(S3Error::new(
            StatusCode::BAD_REQUEST,
            "InvalidBucketName",
            "The specified bucket is not valid.",
        ));
    }
    if shared.faults.read_denied(bucket) {
        return Err(S3Error::access_denied("Access Denied"));
    }
    let bucket_dir = shared.config.data_dir.join("obs").join(bucket);
    if !bucket_dir.is_dir() {
        let mut e = S3Error::new(
            StatusCode::NOT_FOUND,
            "NoSuchBucket",
            "The specified bucket does not exist.",
        );
        e.bucket = Some(bucket.to_owned());
        return Err(e);
    }
    let query = dis_protocol::signer::parse_query(uri.query().unwrap_or_default());
    if raw_key.is_empty() {
        if method == Method::HEAD {
            return Ok(StatusCode::OK.into_response());
        }
        return list(bucket, &bucket_dir, &query, shared.faults.lists_v1_only());
    }
    let key = decode(raw_key);
    let file = object_path(&bucket_dir, &key)?;
    object(&file, method == Method::HEAD, headers)
}

/// Checks the signature: the key, the date, then the signature itself.
fn authenticate(
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), S3Error> {
    let pairs: Vec<(String, String)> = headers
        .iter()
        .filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect();
    let arrived = sigv4::Arrived {
        method: method.as_str(),
        raw_path: uri.path(),
        raw_query: uri.query().unwrap_or_default(),
        headers: &pairs,
        body,
    };
    let claim = match sigv4::claim(&arrived) {
        Ok(claim) => claim,
        Err(sigv4::Problem::Missing) => {
            return Err(S3Error::access_denied(
                "Anonymous access is forbidden for this operation: sign the request with Signature Version 4.",
            ))
        }
        Err(sigv4::Problem::Malformed(why)) => {
            return Err(S3Error::new(
                StatusCode::BAD_REQUEST,
                "AuthorizationHeaderMalformed",
                why,
            ))
        }
    };
    if !dis_protocol::signer::constant_time_eq(&claim.access_key, &shared.config.access_key) {
        return Err(S3Error::new(
            StatusCode::FORBIDDEN,
            "InvalidAccessKeyId",
            "The access key Id you provided does not exist in our records.",
        ));
    }
    let signed_at = sigv4::parse_amz_date(&claim.amz_date).unwrap_or_default();
    let now = now_ms();
    match claim.expires_secs {
        Some(expires) if now > signed_at + expires * 1000 => {
            return Err(S3Error::access_denied("Request has expired"));
        }
        Some(_) if signed_at - now > MAX_CLOCK_SKEW_MS => {
            return Err(S3Error::access_denied("Request is not valid yet"));
        }
        None if (now - signed_at).abs() > MAX_CLOCK_SKEW_MS => {
            return Err(S3Error::new(
                StatusCode::FORBIDDEN,
                "RequestTimeTooSkewed",
                "The difference between the request time and the current time is too large.",
            ));
        }
        _ => {}
    }
    if !sigv4::signature_matches(&arrived, &claim, shared.config.secret_key.expose_secret()) {
        return Err(S3Error::new(
            StatusCode::FORBIDDEN,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
        ));
    }
    Ok(())
}

/// OBS's bucket names: 3 to 63 lowercase letters, digits, `-` and `.`, starting and ending with
/// a letter or a digit.
fn valid_bucket(name: &str) -> bool {
    (3..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric())
}

/// The segments of a key or a prefix's directories, refused when any could leave the bucket's
/// folder: `..`, `.`, an empty segment (an absolute key, `//`), a backslash or a NUL. Keys are
/// checked after decoding, so an encoded separator is a separator.
fn segments(key: &str) -> Result<Vec<&str>, S3Error> {
    if key.len() > 1024 {
        return Err(S3Error::new(
            StatusCode::BAD_REQUEST,
            "KeyTooLongError",
            "Your key is too long.",
        ));
    }
    let parts: Vec<&str> = key.split('/').collect();
    let bad = parts
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == ".." || p.contains(['\\', '\0']));
    if bad {
        return Err(S3Error::invalid_argument(format!(
            "The key {key:?} is not served: keys may not be absolute or contain empty, '.' or '..' segments, backslashes or NUL."
        )));
    }
    Ok(parts)
}

/// The file of `key` under the bucket's folder, which it is checked to stay inside (a link
/// cannot lead out either).
fn object_path(bucket_dir: &Path, key: &str) -> Result<PathBuf, S3Error> {
    let mut path = bucket_dir.to_path_buf();
    for part in segments(key)? {
        path.push(part);
    }
    let (Ok(real), Ok(root)) = (path.canonicalize(), bucket_dir.canonicalize()) else {
        return Err(S3Error::no_such_key());
    };
    if !real.starts_with(&root) || !real.is_file() {
        return Err(S3Error::no_such_key());
    }
    Ok(real)
}

/// One object, or its headers only; a `Range: bytes=…` reads part of it.
fn object(file: &Path, head: bool, headers: &HeaderMap) -> Result<Response, S3Error> {
    let meta = std::fs::metadata(file).map_err(|_| S3Error::no_such_key())?;
    let size = meta.len();
    let modified = modified_ms(&meta);
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_range(v, size));
    let (status, start, end) = match range {
        None => (StatusCode::OK, 0, size),
        Some(Err(())) => {
            return Err(S3Error::new(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "InvalidRange",
                "The requested range cannot be satisfied.",
            ))
        }
        Some(Ok((start, end))) => (StatusCode::PARTIAL_CONTENT, start, end),
    };
    let mut builder = Response::builder()
        .status(status)
        .header(header::CONTENT_LENGTH, end - start)
        .header(header::CONTENT_TYPE, content_type(file))
        .header(header::ETAG, etag(size, modified))
        .header(header::LAST_MODIFIED, http_date(modified))
        .header(header::ACCEPT_RANGES, "bytes");
    if status == StatusCode::PARTIAL_CONTENT {
        builder = builder.header(
            header::CONTENT_RANGE,
            format!("bytes {start}-{}/{size}", end.saturating_sub(1)),
        );
    }
    let body = if head {
        Body::empty()
    } else {
        let mut f = std::fs::File::open(file).map_err(|_| S3Error::no_such_key())?;
        let mut bytes = Vec::with_capacity((end - start) as usize);
        f.seek(SeekFrom::Start(start))
            .and_then(|_| f.take(end - start).read_to_end(&mut bytes))
            .map_err(|_| S3Error::no_such_key())?;
        Body::from(bytes)
    };
    builder
        .body(body)
        .map_err(|_| S3Error::invalid_argument("The object's headers could not be written."))
}

/// One `bytes=` range of an object of `size` bytes, as a half-open span. `None` for a header
/// that is not one single byte range (the whole object is then served, as HTTP allows);
/// `Err` for a range that starts past the end.
fn parse_range(value: &str, size: u64) -> Option<Result<(u64, u64), ()>> {
    let spec = value.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        let n: u64 = last.parse().ok()?;
        return Some(if n == 0 || size == 0 {
            Err(())
        } else {
            Ok((size.saturating_sub(n), size))
        });
    }
    let start: u64 = first.parse().ok()?;
    let end = if last.is_empty() {
        size
    } else {
        let last: u64 = last.parse().ok()?;
        if last < start {
            return None;
        }
        (last + 1).min(size)
    };
    Some(if start >= size {
        Err(())
    } else {
        Ok((start, end))
    })
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("txt" | "csv") => "text/plain",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

fn modified_ms(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

fn http_date(ms: i64) -> String {
    httpdate::fmt_http_date(
        std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms.max(0) as u64),
    )
}

/// An entity tag that changes whenever the object does: a digest of its size and modification
/// time (the backend's objects are written once).
fn etag(size: u64, modified: i64) -> String {
    use md5::{Digest, Md5};
    format!(
        "\"{}\"",
        hex::encode(Md5::digest(format!("{size}:{modified}")))
    )
}

/// A listed object.
struct Listed {
    key: String,
    size: u64,
    modified: i64,
}

/// Every file under `dir`, as keys below `key_prefix`, skipping files still being written
/// (names starting with `.`).
fn walk(dir: &Path, key_prefix: &str, out: &mut Vec<Listed>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let key = format!("{key_prefix}{name}");
        if kind.is_dir() {
            walk(&entry.path(), &format!("{key}/"), out);
        } else if kind.is_file() {
            if let Ok(meta) = entry.metadata() {
                out.push(Listed {
                    key,
                    size: meta.len(),
                    modified: modified_ms(&meta),
                });
            }
        }
    }
}

/// ListObjects (v1, `marker`) and ListObjectsV2 (`list-type=2`, `continuation-token`,
/// `start-after`), with `prefix`, `delimiter`, `max-keys` and `encoding-type=url`; with
/// `v1_only`, v1 whatever is asked.
fn list(
    bucket: &str,
    bucket_dir: &Path,
    query: &[(String, String)],
    v1_only: bool,
) -> Result<Response, S3Error> {
    let get = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let v2 = get("list-type") == Some("2") && !v1_only;
    let prefix = get("prefix").unwrap_or_default();
    let delimiter = get("delimiter").filter(|d| !d.is_empty());
    let max_keys = match get("max-keys") {
        None => MAX_KEYS,
        Some(v) => v
            .parse::<usize>()
            .map_err(|_| {
                S3Error::invalid_argument("max-keys must be a whole number from 0 to 1000.")
            })?
            .min(MAX_KEYS),
    };
    let url_encoded = match get("encoding-type") {
        None => false,
        Some("url") => true,
        Some(_) => {
            return Err(S3Error::invalid_argument(
                "Invalid Encoding Method specified in Request",
            ))
        }
    };
    let token = get("continuation-token");
    let after = if v2 {
        match token {
            Some(t) => Some(
                hex::decode(t)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .ok_or_else(|| {
                        S3Error::invalid_argument("The continuation token provided is incorrect")
                    })?,
            ),
            None => get("start-after").map(str::to_owned),
        }
    } else {
        get("marker").map(str::to_owned)
    };

    // Only the folder the prefix's directories name can hold its keys.
    let (dir_part, _) = prefix.rsplit_once('/').unwrap_or(("", prefix));
    let mut start_dir = bucket_dir.to_path_buf();
    if !dir_part.is_empty() {
        for part in segments(dir_part)? {
            start_dir.push(part);
        }
    }
    let mut all = Vec::new();
    let key_prefix = if dir_part.is_empty() {
        String::new()
    } else {
        format!("{dir_part}/")
    };
    walk(&start_dir, &key_prefix, &mut all);
    all.retain(|o| o.key.starts_with(prefix));
    all.sort_by(|a, b| a.key.cmp(&b.key));

    let mut contents = Vec::new();
    let mut prefixes: Vec<String> = Vec::new();
    let mut last = None::<String>;
    let mut truncated = false;
    for object in &all {
        if let Some(after) = &after {
            let inside_skipped_prefix = delimiter.is_some_and(|d| after.ends_with(d))
                && object.key.starts_with(after.as_str());
            if object.key.as_str() <= after.as_str() || inside_skipped_prefix {
                continue;
            }
        }
        let common = delimiter.and_then(|d| {
            let rest = &object.key[prefix.len()..];
            rest.find(d)
                .map(|i| object.key[..prefix.len() + i + d.len()].to_owned())
        });
        if let Some(common) = &common {
            if prefixes.last() == Some(common) {
                continue;
            }
        }
        if contents.len() + prefixes.len() == max_keys {
            truncated = true;
            break;
        }
        match common {
            Some(common) => {
                last = Some(common.clone());
                prefixes.push(common);
            }
            None => {
                last = Some(object.key.clone());
                contents.push(object);
            }
        }
    }

    let enc = |s: &str| {
        if url_encoded {
            escape(&url_encode(s))
        } else {
            escape(s)
        }
    };
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"{XMLNS}\"><Name>{}</Name><Prefix>{}</Prefix><MaxKeys>{max_keys}</MaxKeys><IsTruncated>{truncated}</IsTruncated>",
        escape(bucket),
        enc(prefix)
    );
    if let Some(d) = delimiter {
        xml.push_str(&format!("<Delimiter>{}</Delimiter>", enc(d)));
    }
    if url_encoded {
        xml.push_str("<EncodingType>url</EncodingType>");
    }
    if v2 {
        xml.push_str(&format!(
            "<KeyCount>{}</KeyCount>",
            contents.len() + prefixes.len()
        ));
        if let Some(t) = token {
            xml.push_str(&format!(
                "<ContinuationToken>{}</ContinuationToken>",
                escape(t)
            ));
        }
        if let Some(s) = get("start-after") {
            xml.push_str(&format!("<StartAfter>{}</StartAfter>", enc(s)));
        }
        if let (true, Some(last)) = (truncated, &last) {
            xml.push_str(&format!(
                "<NextContinuationToken>{}</NextContinuationToken>",
                hex::encode(last)
            ));
        }
    } else {
        xml.push_str(&format!(
            "<Marker>{}</Marker>",
            enc(get("marker").unwrap_or_default())
        ));
        if let (true, Some(last)) = (truncated, &last) {
            xml.push_str(&format!("<NextMarker>{}</NextMarker>", enc(last)));
        }
    }
    for o in contents {
        xml.push_str(&format!(
            "<Contents><Key>{}</Key><LastModified>{}</LastModified><ETag>{}</ETag><Size>{}</Size>{}<StorageClass>STANDARD</StorageClass></Contents>",
            enc(&o.key),
            iso_ms(o.modified),
            escape(&etag(o.size, o.modified)),
            o.size,
            if v2 { "" } else { "<Owner><ID>dis-backend</ID><DisplayName>dis-backend</DisplayName></Owner>" },
        ));
    }
    for p in prefixes {
        xml.push_str(&format!(
            "<CommonPrefixes><Prefix>{}</Prefix></CommonPrefixes>",
            enc(&p)
        ));
    }
    xml.push_str("</ListBucketResult>");
    Ok(([(header::CONTENT_TYPE, "application/xml")], xml).into_response())
}

/// `2026-12-01T16:00:00.000Z`, as listings give times.
fn iso_ms(ms: i64) -> String {
    let t = app::domain::DateTime::from_epoch_ms(ms, app::domain::ZoneOffset::UTC);
    format!(
        "{}.{:03}Z",
        t.to_iso_string().trim_end_matches('Z'),
        ms.rem_euclid(1000)
    )
}

/// A key as `encoding-type=url` gives it: everything but unreserved characters and `/`
/// percent-encoded (a space as `%20`).
fn url_encode(s: &str) -> String {
    s.split('/')
        .map(dis_protocol::signer::encode)
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_as_http_says() {
        assert_eq!(parse_range("bytes=0-4095", 10_000), Some(Ok((0, 4096))));
        assert_eq!(parse_range("bytes=0-4095", 100), Some(Ok((0, 100))));
        assert_eq!(parse_range("bytes=10-", 100), Some(Ok((10, 100))));
        assert_eq!(parse_range("bytes=-10", 100), Some(Ok((90, 100))));
        assert_eq!(parse_range("bytes=-500", 100), Some(Ok((0, 100))));
        assert_eq!(parse_range("bytes=100-200", 100), Some(Err(())));
        assert_eq!(parse_range("bytes=5-1", 100), None);
        assert_eq!(parse_range("bytes=0-1,5-6", 100), None);
        assert_eq!(parse_range("items=0-1", 100), None);
    }

    #[test]
    fn keys_cannot_leave_the_bucket() {
        for key in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "a//b",
            "a/./b",
            "a\\..\\b",
            "a/\0",
        ] {
            assert!(segments(key).is_err(), "{key:?}");
        }
        assert_eq!(segments("p/2026/12/01/f.txt").unwrap().len(), 5);
        let dir = tempfile::tempdir().unwrap();
        let bucket = dir.path().join("bucket");
        std::fs::create_dir_all(bucket.join("a")).unwrap();
        std::fs::write(bucket.join("a/f.txt"), "x").unwrap();
        std::fs::write(dir.path().join("secret"), "s").unwrap();
        assert!(object_path(&bucket, "a/f.txt").is_ok());
        // An encoded separator is decoded before the check.
        assert!(object_path(&bucket, &decode("a%2F..%2F..%2Fsecret")).is_err());
        assert!(
            object_path(&bucket, "a").is_err(),
            "a folder is not an object"
        );
    }

    #[test]
    fn bucket_names_follow_obs_rules() {
        for ok in ["dis-bucket", "a.b.c", "abc", "x1-y2"] {
            assert!(valid_bucket(ok), "{ok}");
        }
        for bad in ["ab", "Upper", "-dash", "dash-", "a_b", "a..%2F"] {
            assert!(!valid_bucket(bad), "{bad}");
        }
    }

    #[test]
    fn url_encoding_keeps_separators() {
        assert_eq!(url_encode("p/a b+c/ü.txt"), "p/a%20b%2Bc/%C3%BC.txt");
        assert_eq!(escape("<&\">"), "&lt;&amp;&quot;&gt;");
    }
}
