//! AWS Signature Version 4, checked as an S3-compatible service checks it: from the
//! `Authorization` header (boto3, Huawei's esdk-obs-python with `signature='v4'`) or from the
//! query of a presigned URL (the console's client). The canonical request is rebuilt from what
//! arrived, with the headers the client says it signed, and the signature recomputed with the
//! secret key; any region in the credential scope is accepted, as clients differ in what they
//! put there.

use dis_protocol::signer::{constant_time_eq, decode, encode, sha256_hex};
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// A request as it arrived: method, raw path and query, headers (any case), and body.
pub struct Arrived<'a> {
    pub method: &'a str,
    pub raw_path: &'a str,
    pub raw_query: &'a str,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

/// What the signature claims: who signed, when, for which scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub access_key: String,
    /// `20150830T123600Z`.
    pub amz_date: String,
    /// `20150830`.
    pub scope_date: String,
    pub region: String,
    pub service: String,
    signed_headers: Vec<String>,
    signature: String,
    /// Seconds a presigned URL stays valid; `None` for a header signature.
    pub expires_secs: Option<i64>,
    presigned: bool,
}

/// Why a request carries no usable signature, in S3's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// No signature at all: an anonymous request.
    Missing,
    /// A signature that cannot be read (`AuthorizationHeaderMalformed`, `AuthorizationQueryParametersError`).
    Malformed(String),
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Reads the claim from the `Authorization` header or, failing that, the query.
pub fn claim(request: &Arrived<'_>) -> Result<Claim, Problem> {
    if let Some(value) = header(request.headers, "authorization") {
        return header_claim(value, request.headers);
    }
    let query = dis_protocol::signer::parse_query(request.raw_query);
    let get = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if get("X-Amz-Signature").is_none() && get("X-Amz-Algorithm").is_none() {
        return Err(Problem::Missing);
    }
    let malformed = |what: &str| {
        Problem::Malformed(format!(
            "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters ({what})."
        ))
    };
    if get("X-Amz-Algorithm") != Some(ALGORITHM) {
        return Err(malformed("X-Amz-Algorithm"));
    }
    let credential = get("X-Amz-Credential").ok_or_else(|| malformed("X-Amz-Credential"))?;
    let amz_date = get("X-Amz-Date").ok_or_else(|| malformed("X-Amz-Date"))?;
    let signed = get("X-Amz-SignedHeaders").ok_or_else(|| malformed("X-Amz-SignedHeaders"))?;
    let signature = get("X-Amz-Signature").ok_or_else(|| malformed("X-Amz-Signature"))?;
    let expires = get("X-Amz-Expires")
        .and_then(|e| e.parse::<i64>().ok())
        .filter(|e| (1..=7 * 24 * 3600).contains(e))
        .ok_or_else(|| malformed("X-Amz-Expires"))?;
    let mut claim = scoped(credential, signed, signature, amz_date)?;
    claim.expires_secs = Some(expires);
    claim.presigned = true;
    Ok(claim)
}

fn header_claim(value: &str, headers: &[(String, String)]) -> Result<Claim, Problem> {
    let malformed = || {
        Problem::Malformed(
            "The authorization header is malformed; it must be AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=….".into(),
        )
    };
    let rest = value.trim().strip_prefix(ALGORITHM).ok_or_else(malformed)?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("Credential", v)) => credential = Some(v.trim()),
            Some(("SignedHeaders", v)) => signed = Some(v.trim()),
            Some(("Signature", v)) => signature = Some(v.trim()),
            _ => return Err(malformed()),
        }
    }
    let (Some(credential), Some(signed), Some(signature)) = (credential, signed, signature) else {
        return Err(malformed());
    };
    let amz_date = match header(headers, "x-amz-date") {
        Some(d) => d.trim().to_owned(),
        None => {
            let date = header(headers, "date").ok_or_else(|| {
                Problem::Malformed(
                    "AWS authentication requires a valid Date or x-amz-date header.".into(),
                )
            })?;
            let ms = httpdate::parse_http_date(date.trim())
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .ok_or_else(|| {
                    Problem::Malformed(
                        "AWS authentication requires a valid Date or x-amz-date header.".into(),
                    )
                })?
                .as_millis() as i64;
            format_amz_date(ms)
        }
    };
    scoped(credential, signed, signature, &amz_date)
}

fn scoped(
    credential: &str,
    signed: &str,
    signature: &str,
    amz_date: &str,
) -> Result<Claim, Problem> {
    let parts: Vec<&str> = credential.split('/').collect();
    let [access_key, scope_date, region, service, "aws4_request"] = parts[..] else {
        return Err(Problem::Malformed(format!(
            "The credential {credential:?} is not <access key>/<date>/<region>/<service>/aws4_request."
        )));
    };
    if parse_amz_date(amz_date).is_none() {
        return Err(Problem::Malformed(format!(
            "The date {amz_date:?} is not in the ISO 8601 basic format, such as 20150830T123600Z."
        )));
    }
    if !amz_date.starts_with(scope_date) {
        return Err(Problem::Malformed(format!(
            "The credential's date {scope_date} is not the request's date {amz_date}."
        )));
    }
    let signed_headers: Vec<String> = signed.split(';').map(str::to_ascii_lowercase).collect();
    if !signed_headers.iter().any(|h| h == "host") {
        return Err(Problem::Malformed("The host header must be signed.".into()));
    }
    Ok(Claim {
        access_key: access_key.to_owned(),
        amz_date: amz_date.to_owned(),
        scope_date: scope_date.to_owned(),
        region: region.to_owned(),
        service: service.to_owned(),
        signed_headers,
        signature: signature.to_ascii_lowercase(),
        expires_secs: None,
        presigned: false,
    })
}

/// `20150830T123600Z` as epoch milliseconds: the form of DIS's `X-Sdk-Date` too.
pub fn parse_amz_date(s: &str) -> Option<i64> {
    dis_protocol::signer::parse_sdk_date(s)
}

/// Epoch milliseconds as `20150830T123600Z`.
pub fn format_amz_date(ms: i64) -> String {
    dis_protocol::signer::sdk_date(ms)
}

/// The canonical URI of an S3 request: the path decoded once and each segment encoded once.
fn canonical_uri(raw_path: &str) -> String {
    let decoded = decode(raw_path);
    let uri = decoded.split('/').map(encode).collect::<Vec<_>>().join("/");
    if uri.is_empty() {
        "/".into()
    } else {
        uri
    }
}

/// The query's pairs, decoded, re-encoded and sorted; a presigned URL's own signature left out.
fn canonical_query(raw_query: &str, presigned: bool) -> String {
    let mut pairs: Vec<(String, String)> = dis_protocol::signer::parse_query(raw_query)
        .into_iter()
        .filter(|(k, _)| !(presigned && k == "X-Amz-Signature"))
        .map(|(k, v)| (encode(&k), encode(&v)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Trims a header value and folds its runs of spaces into one.
fn canonical_value(v: &str) -> String {
    v.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The canonical request for `claim`'s signed headers, with the path as given.
fn canonical_request(request: &Arrived<'_>, claim: &Claim, uri: &str) -> String {
    let mut headers = String::new();
    for name in &claim.signed_headers {
        let values: Vec<String> = request
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| canonical_value(v))
            .collect();
        headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let payload = match header(request.headers, "x-amz-content-sha256") {
        Some(hash) => hash.trim().to_owned(),
        None if claim.presigned => UNSIGNED_PAYLOAD.to_owned(),
        None => sha256_hex(request.body),
    };
    format!(
        "{}\n{uri}\n{}\n{headers}\n{}\n{payload}",
        request.method,
        canonical_query(request.raw_query, claim.presigned),
        claim.signed_headers.join(";"),
    )
}

fn hmac(key: &[u8], msg: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(msg.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The signature of `canonical` under `claim`'s scope and `secret_key`.
fn signature(canonical: &str, claim: &Claim, secret_key: &str) -> String {
    let scope = format!(
        "{}/{}/{}/aws4_request",
        claim.scope_date, claim.region, claim.service
    );
    let to_sign = format!(
        "{ALGORITHM}\n{}\n{scope}\n{}",
        claim.amz_date,
        sha256_hex(canonical.as_bytes())
    );
    let mut key = hmac(format!("AWS4{secret_key}").as_bytes(), &claim.scope_date);
    for part in [
        claim.region.as_str(),
        claim.service.as_str(),
        "aws4_request",
    ] {
        key = hmac(&key, part);
    }
    hex::encode(hmac(&key, &to_sign))
}

/// Whether `claim`'s signature is the one `secret_key` gives `request`. The path is read as S3
/// reads it (decoded, each segment encoded once) and, where a client encoded it otherwise, as
/// it arrived.
pub fn signature_matches(request: &Arrived<'_>, claim: &Claim, secret_key: &str) -> bool {
    let normal = canonical_uri(request.raw_path);
    let mut uris = vec![normal];
    if uris[0] != request.raw_path && !request.raw_path.is_empty() {
        uris.push(request.raw_path.to_owned());
    }
    uris.iter().any(|uri| {
        let expected = signature(&canonical_request(request, claim, uri), claim, secret_key);
        constant_time_eq(&expected, &claim.signature)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example credentials of AWS's Signature V4 test suite.
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    fn headers(extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut h = vec![
            ("Host".to_owned(), "example.amazonaws.com".to_owned()),
            ("X-Amz-Date".to_owned(), "20150830T123600Z".to_owned()),
        ];
        h.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        h
    }

    fn authorization(signed: &str, signature: &str) -> (String, String) {
        (
            "Authorization".to_owned(),
            format!("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders={signed}, Signature={signature}"),
        )
    }

    /// Checks one of AWS's published requests with its published signature, and that changing
    /// the signature's last digit is refused.
    fn check(
        method: &str,
        query: &str,
        extra: &[(&str, &str)],
        body: &[u8],
        signed: &str,
        sig: &str,
    ) {
        for (signature, ok) in [
            (sig.to_owned(), true),
            (format!("{}0", &sig[..63]), sig.ends_with('0')),
        ] {
            let mut h = headers(extra);
            h.push(authorization(signed, &signature));
            let request = Arrived {
                method,
                raw_path: "/",
                raw_query: query,
                headers: &h,
                body,
            };
            let claim = claim(&request).expect("the header reads");
            assert_eq!(claim.access_key, "AKIDEXAMPLE");
            assert_eq!(
                signature_matches(&request, &claim, SECRET),
                ok,
                "{method} {query} {signature}"
            );
        }
    }

    #[test]
    fn get_vanilla() {
        check(
            "GET",
            "",
            &[],
            b"",
            "host;x-amz-date",
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        );
    }

    #[test]
    fn get_vanilla_query_order_key() {
        check(
            "GET",
            "Param2=value2&Param1=value1",
            &[],
            b"",
            "host;x-amz-date",
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
        );
    }

    #[test]
    fn post_vanilla() {
        check(
            "POST",
            "",
            &[],
            b"",
            "host;x-amz-date",
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
        );
    }

    #[test]
    fn post_x_www_form_urlencoded() {
        check(
            "POST",
            "",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            b"Param1=value1",
            "content-type;host;x-amz-date",
            "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
        );
    }

    #[test]
    fn a_wrong_secret_or_a_changed_request_does_not_match() {
        let mut h = headers(&[]);
        h.push(authorization(
            "host;x-amz-date",
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        ));
        let request = |method, query| Arrived {
            method,
            raw_path: "/",
            raw_query: query,
            headers: &h,
            body: b"",
        };
        let claim = claim(&request("GET", "")).unwrap();
        assert!(!signature_matches(
            &request("GET", ""),
            &claim,
            "another secret"
        ));
        assert!(!signature_matches(&request("DELETE", ""), &claim, SECRET));
        assert!(!signature_matches(&request("GET", "a=1"), &claim, SECRET));
    }

    #[test]
    fn the_date_header_stands_in_for_x_amz_date() {
        let h = vec![
            ("Host".to_owned(), "example.amazonaws.com".to_owned()),
            ("Date".to_owned(), "Sun, 30 Aug 2015 12:36:00 GMT".to_owned()),
            ("Authorization".to_owned(), "AWS4-HMAC-SHA256 Credential=AK/20150830/region/s3/aws4_request, SignedHeaders=date;host, Signature=00".to_owned()),
        ];
        let request = Arrived {
            method: "GET",
            raw_path: "/",
            raw_query: "",
            headers: &h,
            body: b"",
        };
        let claim = claim(&request).unwrap();
        assert_eq!(claim.amz_date, "20150830T123600Z");
        assert_eq!(claim.region, "region");
        assert_eq!(parse_amz_date(&claim.amz_date), Some(1_440_938_160_000));
    }

    #[test]
    fn unreadable_signatures_are_malformed_and_none_is_missing() {
        let read = |auth: &str, query: &str| {
            let mut h = headers(&[]);
            if !auth.is_empty() {
                h.push(("Authorization".into(), auth.into()));
            }
            claim(&Arrived {
                method: "GET",
                raw_path: "/",
                raw_query: query,
                headers: &h,
                body: b"",
            })
        };
        assert_eq!(read("", "list-type=2"), Err(Problem::Missing));
        for auth in [
            "AWS AKID:sig",
            "AWS4-HMAC-SHA256 Credential=AK/20150830/r/s3, SignedHeaders=host, Signature=00",
            "AWS4-HMAC-SHA256 Credential=AK/20150831/r/s3/aws4_request, SignedHeaders=host, Signature=00",
            "AWS4-HMAC-SHA256 Credential=AK/20150830/r/s3/aws4_request, SignedHeaders=x-amz-date, Signature=00",
            "AWS4-HMAC-SHA256 Credential=AK/20150830/r/s3/aws4_request, Signature=00",
        ] {
            assert!(matches!(read(auth, ""), Err(Problem::Malformed(_))), "{auth}");
        }
        assert!(matches!(
            read("", "X-Amz-Signature=00"),
            Err(Problem::Malformed(_))
        ));
    }

    #[test]
    fn a_presigned_url_signs_its_query_without_its_signature() {
        // Signed here, then checked: the query carries the claim and the payload is unsigned.
        let h = vec![("host".to_owned(), "127.0.0.1:9000".to_owned())];
        let base = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20260101%2Fcn-north-4%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&list-type=2&prefix=a%2Fb";
        let unsigned = Arrived {
            method: "GET",
            raw_path: "/bucket/",
            raw_query: base,
            headers: &h,
            body: b"",
        };
        let mut claim0 = claim(&Arrived {
            raw_query: &format!("{base}&X-Amz-Signature=00"),
            ..unsigned
        })
        .unwrap();
        let canonical = canonical_request(&unsigned, &claim0, "/bucket/");
        assert!(
            canonical.ends_with("\nhost\nUNSIGNED-PAYLOAD"),
            "{canonical}"
        );
        assert!(
            canonical.contains("&list-type=2&prefix=a%2Fb\n"),
            "{canonical}"
        );
        claim0.signature = signature(&canonical, &claim0, "secret");
        let query = format!("{base}&X-Amz-Signature={}", claim0.signature);
        let signed = Arrived {
            raw_query: &query,
            ..unsigned
        };
        let claim = claim(&signed).unwrap();
        assert_eq!(claim.expires_secs, Some(60));
        assert!(signature_matches(&signed, &claim, "secret"));
        assert!(!signature_matches(&signed, &claim, "other"));
    }
}
