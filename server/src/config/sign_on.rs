//! `CONSOLE_OIDC_*` and `CONSOLE_LOCAL_LOGIN`: sign-on through the company's identity provider
//! (OpenID Connect), and whether local operators may still log in with a password.

use super::{error, ConfigError};
use app::domain::sso::RoleMapping;
use secrecy::SecretString;

/// The identity provider the console signs operators on with.
#[derive(Debug, Clone)]
pub struct SignOnSettings {
    /// `CONSOLE_OIDC_ISSUER`: the provider's issuer URL; discovery reads
    /// `<issuer>/.well-known/openid-configuration`.
    pub issuer: String,
    /// `CONSOLE_OIDC_CLIENT_ID`.
    pub client_id: String,
    /// `CONSOLE_OIDC_CLIENT_SECRET`: unset for a public client, which PKCE alone protects.
    /// Never printed.
    pub client_secret: Option<SecretString>,
    /// `openid profile email` and `CONSOLE_OIDC_SCOPES` (space- or comma-separated).
    pub scopes: Vec<String>,
    /// `CONSOLE_OIDC_ROLE_CLAIM` and `CONSOLE_OIDC_{ADMIN,OPERATOR,VIEWER}_GROUPS`.
    pub roles: RoleMapping,
    /// `CONSOLE_OIDC_DISPLAY_NAME` (default `SSO`): the login page's "Sign in with …".
    pub display_name: String,
    /// `<CONSOLE_PUBLIC_URL>/auth/login`, where a sign-on starts.
    pub start_url: url::Url,
    /// `<CONSOLE_PUBLIC_URL>/auth/callback`, where the provider sends the browser back.
    pub redirect_url: url::Url,
    /// `<CONSOLE_PUBLIC_URL>/login`, where the provider's logout sends the browser back.
    pub after_logout_url: url::Url,
}

/// The scopes every sign-on asks for.
const BASE_SCOPES: [&str; 3] = ["openid", "profile", "email"];

/// Whether `url` is plain http to this machine, which tests may use.
fn loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn https_or_loopback(url: &url::Url) -> bool {
    url.scheme() == "https" || (url.scheme() == "http" && loopback(url))
}

/// Reads the `CONSOLE_OIDC_*` variables: `None` without `CONSOLE_OIDC_ISSUER` (and then none
/// of the others may be set), and `public_url` is required with it.
pub(super) fn sign_on(
    get: &impl Fn(&'static str) -> Result<Option<String>, ConfigError>,
    public_url: Option<&url::Url>,
) -> Result<Option<SignOnSettings>, ConfigError> {
    const OTHERS: [&str; 8] = [
        "CONSOLE_OIDC_CLIENT_ID",
        "CONSOLE_OIDC_CLIENT_SECRET",
        "CONSOLE_OIDC_SCOPES",
        "CONSOLE_OIDC_ROLE_CLAIM",
        "CONSOLE_OIDC_ADMIN_GROUPS",
        "CONSOLE_OIDC_OPERATOR_GROUPS",
        "CONSOLE_OIDC_VIEWER_GROUPS",
        "CONSOLE_OIDC_DISPLAY_NAME",
    ];
    let Some(issuer) = get("CONSOLE_OIDC_ISSUER")? else {
        for var in OTHERS {
            if get(var)?.is_some() {
                return Err(error(
                    "CONSOLE_OIDC_ISSUER",
                    format!("required with {var}: name the identity provider's issuer URL"),
                ));
            }
        }
        return Ok(None);
    };
    let parsed = url::Url::parse(&issuer).map_err(|e| {
        error(
            "CONSOLE_OIDC_ISSUER",
            format!("not a URL ({e}); use e.g. https://login.example.com/realms/corp"),
        )
    })?;
    if !https_or_loopback(&parsed) || parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(error(
            "CONSOLE_OIDC_ISSUER",
            "use the provider's https issuer URL, without a query (plain http only for a \
             provider on this machine)",
        ));
    }
    let public = public_url.ok_or_else(|| {
        error(
            "CONSOLE_PUBLIC_URL",
            "required with CONSOLE_OIDC_ISSUER: the provider sends the browser back to \
             <CONSOLE_PUBLIC_URL>/auth/callback",
        )
    })?;
    if !https_or_loopback(public) {
        return Err(error(
            "CONSOLE_PUBLIC_URL",
            "use https with CONSOLE_OIDC_ISSUER (plain http only for a console on this machine)",
        ));
    }
    let client_id = get("CONSOLE_OIDC_CLIENT_ID")?.ok_or_else(|| {
        error(
            "CONSOLE_OIDC_CLIENT_ID",
            "required with CONSOLE_OIDC_ISSUER: the client id the provider gave the console",
        )
    })?;
    let mut scopes: Vec<String> = BASE_SCOPES.map(str::to_owned).to_vec();
    for scope in get("CONSOLE_OIDC_SCOPES")?
        .unwrap_or_default()
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
    {
        // RFC 6749's scope-token: printable ASCII but space, '"' and '\'.
        let token = scope
            .chars()
            .all(|c| c.is_ascii_graphic() && c != '"' && c != '\\');
        if !token {
            return Err(error(
                "CONSOLE_OIDC_SCOPES",
                format!("{scope:?} is not a scope; list scopes such as \"groups offline_access\""),
            ));
        }
        if !scopes.iter().any(|s| s == scope) {
            scopes.push(scope.to_owned());
        }
    }
    let text = |var| get(var).map(Option::unwrap_or_default);
    let roles = RoleMapping::parse(
        &text("CONSOLE_OIDC_ROLE_CLAIM")?,
        &text("CONSOLE_OIDC_ADMIN_GROUPS")?,
        &text("CONSOLE_OIDC_OPERATOR_GROUPS")?,
        &text("CONSOLE_OIDC_VIEWER_GROUPS")?,
    )
    .map_err(|why| error("CONSOLE_OIDC_ADMIN_GROUPS", why))?;
    let display_name = get("CONSOLE_OIDC_DISPLAY_NAME")?.unwrap_or_else(|| "SSO".to_owned());
    if display_name.chars().count() > 60 || display_name.chars().any(char::is_control) {
        return Err(error(
            "CONSOLE_OIDC_DISPLAY_NAME",
            "use at most 60 characters, such as \"Corp SSO\"",
        ));
    }
    let on_console = |path| {
        public
            .join(path)
            .map_err(|e| error("CONSOLE_PUBLIC_URL", e.to_string()))
    };
    Ok(Some(SignOnSettings {
        issuer,
        client_id,
        client_secret: get("CONSOLE_OIDC_CLIENT_SECRET")?.map(SecretString::from),
        scopes,
        roles,
        display_name,
        start_url: on_console("/auth/login")?,
        redirect_url: on_console("/auth/callback")?,
        after_logout_url: on_console("/login")?,
    }))
}

/// `CONSOLE_LOCAL_LOGIN`: `on` (the default) or `off`, which needs sign-on through the
/// identity provider, or nobody could log in.
pub(super) fn local_login(
    get: &impl Fn(&'static str) -> Result<Option<String>, ConfigError>,
    sign_on: Option<&SignOnSettings>,
) -> Result<bool, ConfigError> {
    let on = super::switch(get, "CONSOLE_LOCAL_LOGIN")?;
    if !on && sign_on.is_none() {
        return Err(error(
            "CONSOLE_LOCAL_LOGIN",
            "off needs CONSOLE_OIDC_ISSUER: without local logins or an identity provider \
             nobody could log in",
        ));
    }
    Ok(on)
}

#[cfg(test)]
mod tests {
    use crate::config::tests::load;
    use secrecy::ExposeSecret;

    const OIDC: &[(&str, &str)] = &[
        ("CONSOLE_PUBLIC_URL", "https://console.example.com"),
        (
            "CONSOLE_OIDC_ISSUER",
            "https://login.example.com/realms/corp",
        ),
        ("CONSOLE_OIDC_CLIENT_ID", "dis-console"),
        ("CONSOLE_OIDC_CLIENT_SECRET", "client-secret-value"),
        ("CONSOLE_OIDC_ADMIN_GROUPS", "dis-admins"),
    ];

    fn with(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
        let mut vars: Vec<_> = OIDC
            .iter()
            .copied()
            .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
            .collect();
        vars.extend(extra.iter().copied().filter(|(_, v)| !v.is_empty()));
        vars
    }

    #[test]
    fn a_provider_loads_with_its_urls_and_hides_its_secret() {
        let c = load(&with(&[(
            "CONSOLE_OIDC_SCOPES",
            "groups, offline_access openid",
        )]))
        .unwrap();
        let s = c.sign_on.as_ref().unwrap();
        assert_eq!(
            s.scopes,
            ["openid", "profile", "email", "groups", "offline_access"]
        );
        assert_eq!(
            s.start_url.as_str(),
            "https://console.example.com/auth/login"
        );
        assert_eq!(
            s.redirect_url.as_str(),
            "https://console.example.com/auth/callback"
        );
        assert_eq!(
            s.after_logout_url.as_str(),
            "https://console.example.com/login"
        );
        assert_eq!(s.display_name, "SSO");
        assert_eq!(s.roles.claim, "groups");
        assert_eq!(
            s.client_secret.as_ref().unwrap().expose_secret(),
            "client-secret-value"
        );
        assert!(!format!("{c:?}").contains("client-secret-value"));
        assert!(c.local_login);
        // Loopback may use plain http, for tests.
        let local = load(&with(&[
            ("CONSOLE_PUBLIC_URL", "http://localhost:3000"),
            ("CONSOLE_OIDC_ISSUER", "http://127.0.0.1:4000"),
            ("CONSOLE_LOCAL_LOGIN", "off"),
        ]))
        .unwrap();
        assert!(!local.local_login);
        assert!(load(&[]).unwrap().sign_on.is_none());
    }

    #[test]
    fn each_bad_sign_on_variable_is_named() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("CONSOLE_PUBLIC_URL", "")], "CONSOLE_PUBLIC_URL"),
            (
                &[("CONSOLE_PUBLIC_URL", "http://console.example.com")],
                "CONSOLE_PUBLIC_URL",
            ),
            (
                &[("CONSOLE_OIDC_ISSUER", "http://login.example.com")],
                "CONSOLE_OIDC_ISSUER",
            ),
            (
                &[("CONSOLE_OIDC_ISSUER", "login.example.com")],
                "CONSOLE_OIDC_ISSUER",
            ),
            (&[("CONSOLE_OIDC_CLIENT_ID", "")], "CONSOLE_OIDC_CLIENT_ID"),
            (
                &[("CONSOLE_OIDC_ADMIN_GROUPS", "")],
                "CONSOLE_OIDC_ADMIN_GROUPS",
            ),
            (
                &[("CONSOLE_OIDC_SCOPES", "groups \"x\"")],
                "CONSOLE_OIDC_SCOPES",
            ),
            (
                &[("CONSOLE_OIDC_DISPLAY_NAME", "a\u{7}b")],
                "CONSOLE_OIDC_DISPLAY_NAME",
            ),
            (&[("CONSOLE_LOCAL_LOGIN", "maybe")], "CONSOLE_LOCAL_LOGIN"),
        ];
        for (change, var) in cases {
            let e = load(&with(change)).unwrap_err();
            assert_eq!(&e.var, var, "{change:?}: {e}");
            assert!(!e.to_string().contains("client-secret-value"));
        }
        let e = load(&[("CONSOLE_OIDC_CLIENT_ID", "x")]).unwrap_err();
        assert_eq!(e.var, "CONSOLE_OIDC_ISSUER");
        let e = load(&[("CONSOLE_LOCAL_LOGIN", "off")]).unwrap_err();
        assert_eq!(e.var, "CONSOLE_LOCAL_LOGIN");
    }
}
