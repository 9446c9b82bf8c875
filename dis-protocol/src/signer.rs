//! SDK-HMAC-SHA256, the AK/SK signature of Huawei Cloud APIs, for signing (the client) and for
//! verifying (the embedded backend). One canonicalisation serves both, so they cannot drift.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
pub const DATE_HEADER: &str = "X-Sdk-Date";
/// `X-Sdk-Date` layout: `20240102T030405Z`.
pub const DATE_FORMAT_LEN: usize = 16;
pub const EMPTY_PAYLOAD_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// What a signature covers.
#[derive(Debug, Clone)]
pub struct SigningInput<'a> {
    pub method: &'a str,
    /// The request path as sent; percent-escapes in it are decoded before canonicalisation.
    pub path: &'a str,
    /// Decoded query pairs, in any order.
    pub query: &'a [(String, String)],
    /// Every header present at signing time (names in any case).
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

/// The intermediate strings and the result of signing, kept for tests and diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub canonical_request: String,
    pub string_to_sign: String,
    pub signed_headers: String,
    pub signature: String,
}

impl Signature {
    /// The `Authorization` header value.
    pub fn authorization(&self, access_key: &str) -> String {
        format!(
            "{ALGORITHM} Access={access_key}, SignedHeaders={}, Signature={}",
            self.signed_headers, self.signature
        )
    }
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Percent-encodes everything but `A-Z a-z 0-9 - _ . ~`, with uppercase hex.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if is_unreserved(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes; a malformed escape stays as it is. Invalid UTF-8 is replaced.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The canonical URI: decoded, split on `/`, each segment encoded, always ending in `/`.
pub fn canonical_uri(path: &str) -> String {
    let decoded = decode(path);
    let mut uri = decoded.split('/').map(encode).collect::<Vec<_>>().join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// The canonical query: pairs sorted by key then value, both encoded, joined with `&`. The
/// client sends exactly this string as the URL's query.
pub fn canonical_query(query: &[(String, String)]) -> String {
    let mut pairs: Vec<&(String, String)> = query.iter().collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Parses a raw query string into decoded pairs (`a=1&b` gives `("a","1"), ("b","")`).
pub fn parse_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// The headers a signature covers: all but those with `_` in their name, lowercased, sorted.
pub fn signable_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = headers
        .iter()
        .filter(|(name, _)| !name.contains('_'))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn hmac_hex(key: &[u8], msg: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(msg.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Signs `input` with `secret_key`, covering the given headers (already lowercased and trimmed,
/// as [`signable_headers`] returns them).
pub fn sign_with_headers(
    input: &SigningInput<'_>,
    headers: &[(String, String)],
    secret_key: &[u8],
) -> Result<Signature, SignError> {
    let date = headers
        .iter()
        .find(|(n, _)| n == "x-sdk-date")
        .map(|(_, v)| v.clone())
        .ok_or(SignError::MissingDate)?;
    let signed_headers = headers
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let header_lines: String = headers.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        input.method.to_ascii_uppercase(),
        canonical_uri(input.path),
        canonical_query(input.query),
        header_lines,
        signed_headers,
        sha256_hex(input.body),
    );
    let string_to_sign = format!(
        "{ALGORITHM}\n{date}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let signature = hmac_hex(secret_key, &string_to_sign);
    Ok(Signature {
        canonical_request,
        string_to_sign,
        signed_headers,
        signature,
    })
}

/// Signs `input`, covering every signable header in it.
pub fn sign(input: &SigningInput<'_>, secret_key: &[u8]) -> Result<Signature, SignError> {
    sign_with_headers(input, &signable_headers(input.headers), secret_key)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    #[error("the request has no X-Sdk-Date header")]
    MissingDate,
}

/// `X-Sdk-Date` for an instant in epoch milliseconds.
pub fn sdk_date(epoch_ms: i64) -> String {
    let t = app::domain::DateTime::from_epoch_ms(epoch_ms, app::domain::ZoneOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

/// Reads an `X-Sdk-Date` back into epoch milliseconds; `None` unless it is exactly the format.
pub fn parse_sdk_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != DATE_FORMAT_LEN || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let t = app::domain::DateTime::new(
        i64::from(num(0..4)?),
        num(4..6)?,
        num(6..8)?,
        num(9..11)?,
        num(11..13)?,
        num(13..15)?,
    )?;
    Some(t.to_epoch_ms(app::domain::ZoneOffset::UTC))
}

/// The parts of an `Authorization: SDK-HMAC-SHA256 …` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationHeader {
    pub access: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

/// Why an `Authorization` header could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorizationProblem {
    /// Not `SDK-HMAC-SHA256 …`.
    Unparsable,
    /// The right algorithm, but a part is missing or malformed.
    Malformed,
    EmptyAccessKey,
    EmptySignature,
}

pub fn parse_authorization(value: &str) -> Result<AuthorizationHeader, AuthorizationProblem> {
    let rest = value
        .trim()
        .strip_prefix(ALGORITHM)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or(AuthorizationProblem::Unparsable)?;
    let (mut access, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part
            .trim()
            .split_once('=')
            .ok_or(AuthorizationProblem::Malformed)?;
        match k {
            "Access" => access = Some(v.to_string()),
            "SignedHeaders" => signed = Some(v.to_string()),
            "Signature" => signature = Some(v.to_string()),
            _ => return Err(AuthorizationProblem::Malformed),
        }
    }
    let access = access.ok_or(AuthorizationProblem::Malformed)?;
    let signed = signed.ok_or(AuthorizationProblem::Malformed)?;
    let signature = signature.ok_or(AuthorizationProblem::Malformed)?;
    if access.is_empty() {
        return Err(AuthorizationProblem::EmptyAccessKey);
    }
    if signature.is_empty() {
        return Err(AuthorizationProblem::EmptySignature);
    }
    if signed.is_empty() {
        return Err(AuthorizationProblem::Malformed);
    }
    Ok(AuthorizationHeader {
        access,
        signed_headers: signed.split(';').map(str::to_string).collect(),
        signature,
    })
}

/// Compares two signatures in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_matches_the_sdk() {
        assert_eq!(
            encode("a b+c/d=e&f*g~h%i"),
            "a%20b%2Bc%2Fd%3De%26f%2Ag~h%25i"
        );
        assert_eq!(encode("通道1"), "%E9%80%9A%E9%81%931");
        assert_eq!(decode("%E9%80%9A%E9%81%93%20A"), "通道 A");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(canonical_uri("/v2/p/streams/"), "/v2/p/streams/");
        assert_eq!(canonical_uri("/v2/p/streams"), "/v2/p/streams/");
    }

    #[test]
    fn dates_round_trip() {
        assert_eq!(sdk_date(1_704_164_645_000), "20240102T030405Z");
        assert_eq!(parse_sdk_date("20240102T030405Z"), Some(1_704_164_645_000));
        for bad in [
            "",
            "20240102T030405",
            "2024010XT030405Z",
            "20241302T030405Z",
            "20240102T250405Z",
        ] {
            assert_eq!(parse_sdk_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn authorization_headers_parse() {
        let a = parse_authorization(
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=abc",
        )
        .unwrap();
        assert_eq!(a.access, "AK");
        assert_eq!(a.signed_headers, vec!["host", "x-sdk-date"]);
        assert_eq!(
            parse_authorization("Bearer x"),
            Err(AuthorizationProblem::Unparsable)
        );
        assert_eq!(
            parse_authorization("SDK-HMAC-SHA256 Access=AK"),
            Err(AuthorizationProblem::Malformed)
        );
        assert_eq!(
            parse_authorization("SDK-HMAC-SHA256 Access=, SignedHeaders=host, Signature=a"),
            Err(AuthorizationProblem::EmptyAccessKey)
        );
        assert_eq!(
            parse_authorization("SDK-HMAC-SHA256 Access=A, SignedHeaders=host, Signature="),
            Err(AuthorizationProblem::EmptySignature)
        );
    }
}
