//! Reading one variable or one group of them: what a valid value looks like, and the message
//! that names the variable when it is not.

use super::{error, AkSk, ConfigError, Credentials, IamLogin};
use secrecy::SecretString;

/// AK/SK when either is set; otherwise a fixed token; otherwise an IAM login.
pub(super) fn credentials(
    get: &impl Fn(&'static str) -> Result<Option<String>, ConfigError>,
) -> Result<Credentials, ConfigError> {
    if get("DIS_AK")?.is_some() || get("DIS_SK")?.is_some() {
        return Ok(Credentials::AkSk(AkSk {
            ak: require(get, "DIS_AK", parse_access_key)?,
            sk: require(get, "DIS_SK", |v| Ok(SecretString::from(v)))?,
        }));
    }
    if let Some(token) = get("DIS_AUTH_TOKEN")? {
        return Ok(Credentials::Token(SecretString::from(token)));
    }
    if get("DIS_IAM_ENDPOINT")?.is_some() {
        let endpoint = require(get, "DIS_IAM_ENDPOINT", |v| {
            parse_endpoint_as(
                "DIS_IAM_ENDPOINT",
                &v,
                "https://iam.cn-north-4.myhuaweicloud.com",
            )
            .map_err(|e| e.problem)
        })?;
        return Ok(Credentials::Iam(IamLogin {
            endpoint,
            domain: require(get, "DIS_IAM_DOMAIN", Ok)?,
            user: require(get, "DIS_IAM_USER", Ok)?,
            password: require(get, "DIS_IAM_PASSWORD", |v| Ok(SecretString::from(v)))?,
        }));
    }
    Err(error(
        "DIS_AK",
        "required when DIS_ENDPOINT is set (with DIS_SK; or set DIS_AUTH_TOKEN, or DIS_IAM_ENDPOINT, DIS_IAM_DOMAIN, DIS_IAM_USER and DIS_IAM_PASSWORD)",
    ))
}

pub(super) fn require<T>(
    get: &impl Fn(&'static str) -> Result<Option<String>, ConfigError>,
    var: &'static str,
    parse: impl FnOnce(String) -> Result<T, String>,
) -> Result<T, ConfigError> {
    let value = get(var)?.ok_or_else(|| error(var, "required when DIS_ENDPOINT is set"))?;
    parse(value).map_err(|problem| error(var, problem))
}

pub(super) fn parse_endpoint(value: &str) -> Result<String, ConfigError> {
    parse_endpoint_as(
        "DIS_ENDPOINT",
        value,
        "https://dis.cn-north-4.myhuaweicloud.com",
    )
}

pub(super) fn parse_endpoint_as(
    var: &'static str,
    value: &str,
    example: &str,
) -> Result<String, ConfigError> {
    let bad = |why: &str| error(var, format!("{why}; expected a URL such as {example}"));
    let url = url::Url::parse(value).map_err(|_| bad("not a URL"))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(bad("the scheme must be https or http"));
    }
    if url.host_str().is_none() {
        return Err(bad("the URL has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("the URL must not carry credentials"));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(bad("the URL must have no path, query or fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

pub(super) fn parse_region(v: String) -> Result<String, String> {
    let ok = (1..=32).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(v)
    } else {
        Err(format!(
            "expected a region id of lowercase letters, digits and '-' such as cn-north-4, got {v:?}"
        ))
    }
}

pub(super) fn parse_project_id(v: String) -> Result<String, String> {
    if (1..=64).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(v)
    } else {
        Err(format!(
            "expected 1 to 64 letters and digits (the project id from My Credentials), got {v:?}"
        ))
    }
}

pub(super) fn parse_access_key(v: String) -> Result<SecretString, String> {
    // The value is a credential: describe the problem without quoting it.
    if (1..=128).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(SecretString::from(v))
    } else {
        Err("expected an access key id of 1 to 128 letters and digits".into())
    }
}

/// A whole number from 1 to `max`, or `default` when unset.
pub(super) fn positive(
    get: &impl Fn(&'static str) -> Result<Option<String>, ConfigError>,
    var: &'static str,
    default: u64,
    max: u64,
) -> Result<u64, ConfigError> {
    match get(var)? {
        None => Ok(default),
        Some(v) => match v.parse::<u64>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(error(
                var,
                format!("expected a whole number from 1 to {max}, got {v:?}"),
            )),
        },
    }
}

/// `http(s)://host[:port]`, nothing after the origin but an optional `/`.
pub(super) fn parse_public_url(v: &str) -> Result<url::Url, ConfigError> {
    let url = url::Url::parse(v).map_err(|e| {
        error(
            "CONSOLE_PUBLIC_URL",
            format!("not a URL ({e}); use e.g. https://dis-console.example.com"),
        )
    })?;
    let plain = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some()
        && url.path() == "/"
        && url.query().is_none()
        && url.username().is_empty()
        && url.password().is_none();
    if plain {
        Ok(url)
    } else {
        Err(error(
            "CONSOLE_PUBLIC_URL",
            "use the console's origin only, e.g. https://dis-console.example.com",
        ))
    }
}
