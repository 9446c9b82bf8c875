//! Sign-on through the company's identity provider: OpenID Connect's authorization code flow
//! with PKCE, as a confidential client (or a public one without a client secret).
//!
//! The provider is discovered from its issuer when the first sign-on starts and read again
//! every 15 minutes, so a console starts while its provider is down and follows key rotations.
//! An ID token is accepted only with the provider's signature, this console as its audience
//! (and no audience the console does not know), the configured issuer, an expiry in the
//! future and the nonce this browser's sign-on sent; clocks may differ by at most 60 seconds.
//! What the token says goes to `app::domain::sso` for the role.

pub mod pending;

use crate::config::SignOnSettings;
use app::domain::sso::{console_name, SignOnIdentity, SignOnRefusal};
use app::domain::Role;
use app::ports::IdTokenHint;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreIdToken, CoreIdTokenVerifier,
    CoreJwsSigningAlgorithm,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl,
    LogoutRequest, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PostLogoutRedirectUrl,
    ProviderMetadataWithLogout, RedirectUrl, Scope, SubjectIdentifier, TokenResponse,
};
use pending::{Pending, Started};
use secrecy::ExposeSecret;
use serde_json::{Map, Value};
use std::time::{Duration, Instant};

/// How long a discovery (the provider's metadata and signing keys) is used before it is read
/// again.
const DISCOVERY_FOR: Duration = Duration::from_secs(15 * 60);

/// An unknown signing key makes the console read the keys again, but not more often than this.
const REREAD_KEYS_AFTER: Duration = Duration::from_secs(60);

/// The clock difference tolerated between the console and the provider.
pub const CLOCK_SKEW: Duration = Duration::from_secs(60);

/// How long one call to the provider may take.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

/// Everything else the provider says about a person, for the role claim (which may be a
/// private claim, such as `groups`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct OtherClaims {
    #[serde(flatten)]
    claims: Map<String, Value>,
}

impl AdditionalClaims for OtherClaims {}

/// A refused sign-on: what the operator is told, and for the log only, why.
#[derive(Debug)]
pub struct Refused {
    pub refusal: SignOnRefusal,
    pub detail: String,
    /// Who the provider vouched for, when it got that far.
    pub who: Option<SignOnIdentity>,
}

fn refused(refusal: SignOnRefusal, detail: impl std::fmt::Display) -> Refused {
    Refused {
        refusal,
        detail: detail.to_string(),
        who: None,
    }
}

/// A person the provider vouched for, with the role their groups give.
#[derive(Debug)]
pub struct Verified {
    pub who: SignOnIdentity,
    /// The console name for their first sign-on.
    pub name: String,
    pub role: Role,
    /// The ID token, kept with the session as the hint a provider's logout asks for.
    pub id_token: IdTokenHint,
}

/// The client the discovered metadata gives: authorization, token and (when the provider has
/// one) user info endpoints.
type Client = openidconnect::Client<
    openidconnect::EmptyAdditionalClaims,
    openidconnect::core::CoreAuthDisplay,
    CoreGenderClaim,
    openidconnect::core::CoreJweContentEncryptionAlgorithm,
    openidconnect::core::CoreJsonWebKey,
    openidconnect::core::CoreAuthPrompt,
    openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
    openidconnect::core::CoreTokenResponse,
    openidconnect::core::CoreTokenIntrospectionResponse,
    openidconnect::core::CoreRevocableToken,
    openidconnect::core::CoreRevocationErrorResponse,
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

#[derive(Clone)]
struct Discovered {
    at: Instant,
    metadata: ProviderMetadataWithLogout,
}

/// The identity provider as the console uses it.
pub struct SignOn {
    settings: SignOnSettings,
    http: reqwest::Client,
    discovered: tokio::sync::Mutex<Option<Discovered>>,
    pub pending: Pending,
}

impl SignOn {
    pub fn new(settings: SignOnSettings) -> Result<SignOn, String> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(PROVIDER_TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .no_proxy()
            .build()
            .map_err(|e| format!("the identity provider's HTTP client: {e}"))?;
        Ok(SignOn {
            settings,
            http,
            discovered: tokio::sync::Mutex::new(None),
            pending: Pending::default(),
        })
    }

    pub fn settings(&self) -> &SignOnSettings {
        &self.settings
    }

    /// The provider's metadata and keys: the kept ones while fresh (and younger than
    /// `fresher_than`, when given), else read again. A failed read falls back on kept ones.
    async fn metadata(
        &self,
        fresher_than: Option<Duration>,
    ) -> Result<ProviderMetadataWithLogout, Refused> {
        let mut kept = self.discovered.lock().await;
        let limit = fresher_than.unwrap_or(DISCOVERY_FOR).min(DISCOVERY_FOR);
        if let Some(d) = kept.as_ref().filter(|d| d.at.elapsed() < limit) {
            return Ok(d.metadata.clone());
        }
        let issuer = IssuerUrl::new(self.settings.issuer.clone())
            .map_err(|e| refused(SignOnRefusal::Unreachable, e))?;
        match ProviderMetadataWithLogout::discover_async(issuer, &self.http).await {
            Ok(metadata) => {
                *kept = Some(Discovered {
                    at: Instant::now(),
                    metadata: metadata.clone(),
                });
                Ok(metadata)
            }
            Err(e) => {
                let detail = format!("discovery at {}: {}", self.settings.issuer, chain(&e));
                match kept.as_ref() {
                    Some(d) => {
                        tracing::warn!(%detail, "the identity provider could not be read; using what was read before");
                        Ok(d.metadata.clone())
                    }
                    None => Err(refused(SignOnRefusal::Unreachable, detail)),
                }
            }
        }
    }

    fn client(&self, metadata: ProviderMetadataWithLogout) -> Client {
        CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            self.settings
                .client_secret
                .as_ref()
                .map(|s| ClientSecret::new(s.expose_secret().to_owned())),
        )
        .set_redirect_uri(RedirectUrl::from_url(self.settings.redirect_url.clone()))
    }

    /// Starts a sign-on: the provider's authorization URL to send the browser to, and what
    /// the browser must come back with.
    pub async fn start(&self, next: String) -> Result<(url::Url, Started), Refused> {
        let client = self.client(self.metadata(None).await?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        // The library always asks for `openid`.
        for scope in self.settings.scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        Ok((url, Started::new(state, nonce, verifier, next)))
    }

    /// Finishes a sign-on the provider answered with `code`: the code is exchanged (with the
    /// PKCE verifier) for tokens, the ID token is checked, and the person's groups give their
    /// role.
    pub async fn finish(&self, started: Started, code: String) -> Result<Verified, Refused> {
        let metadata = self.metadata(None).await?;
        let client = self.client(metadata.clone());
        let tokens = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| refused(SignOnRefusal::Unreachable, e))?
            .set_pkce_verifier(started.verifier)
            .request_async(&self.http)
            .await
            .map_err(|e| {
                // The provider answered and refused the code (used, expired, or a PKCE
                // verifier that does not match), or it could not be asked.
                // An unreadable answer is described by where it failed only: the reader's
                // message could quote a value from it, and that may be a token.
                let (refusal, detail) = match &e {
                    openidconnect::RequestTokenError::ServerResponse(_) => {
                        (SignOnRefusal::Denied, chain(&e))
                    }
                    openidconnect::RequestTokenError::Parse(why, _) => (
                        SignOnRefusal::Unreachable,
                        format!("the answer could not be read at {}", why.path()),
                    ),
                    _ => (SignOnRefusal::Unreachable, chain(&e)),
                };
                refused(refusal, format!("token request: {detail}"))
            })?;
        let id_token = tokens.id_token().ok_or_else(|| {
            refused(
                SignOnRefusal::Unverified,
                "the token answer has no ID token",
            )
        })?;
        let checked = match self.verify(&client, &metadata, id_token, &started.nonce) {
            Err(TokenFault::Signature(detail)) => {
                // The provider may have rotated its keys since they were read.
                let fresh = self.metadata(Some(REREAD_KEYS_AFTER)).await?;
                self.verify(
                    &self.client(fresh.clone()),
                    &fresh,
                    id_token,
                    &started.nonce,
                )
                .map_err(|again| {
                    refused(
                        SignOnRefusal::Unverified,
                        format!("{detail}; with the keys read again: {}", again.detail()),
                    )
                })?
            }
            Err(other) => return Err(refused(SignOnRefusal::Unverified, other.detail())),
            Ok(checked) => checked,
        };
        let (subject, mut claims) = checked;
        let roles = &self.settings.roles;
        if roles.groups(&claims).is_empty() {
            // Providers that keep the ID token small give the groups at the user info
            // endpoint instead.
            if let Ok(request) = client.user_info(
                OAuth2TokenResponse::access_token(&tokens).clone(),
                Some(SubjectIdentifier::new(subject.clone())),
            ) {
                match request
                    .request_async::<OtherClaims, _, CoreGenderClaim>(&self.http)
                    .await
                {
                    Ok(info) => {
                        for (key, value) in &info.additional_claims().claims {
                            claims.entry(key.clone()).or_insert_with(|| value.clone());
                        }
                        if let Some(name) = info.name().and_then(|n| n.get(None)) {
                            claims
                                .entry("name".to_owned())
                                .or_insert_with(|| Value::String(name.to_string()));
                        }
                        if let Some(user) = info.preferred_username() {
                            claims
                                .entry("preferred_username".to_owned())
                                .or_insert_with(|| Value::String(user.to_string()));
                        }
                        if let Some(email) = info.email() {
                            claims
                                .entry("email".to_owned())
                                .or_insert_with(|| Value::String(email.to_string()));
                        }
                    }
                    Err(e) => {
                        return Err(refused(
                            SignOnRefusal::Unreachable,
                            format!("user info: {}", chain(&e)),
                        ))
                    }
                }
            }
        }
        let who = SignOnIdentity::from_claims(&subject, &claims);
        let Some(role) = roles.role(&roles.groups(&claims)) else {
            return Err(Refused {
                refusal: SignOnRefusal::NoRole,
                detail: format!("no group in the claim {:?} maps to a role", roles.claim),
                who: Some(who),
            });
        };
        Ok(Verified {
            name: console_name(&claims, &subject),
            who,
            role,
            id_token: IdTokenHint(id_token.to_string()),
        })
    }

    /// Checks an ID token with `client`'s keys (read with `metadata`), now.
    fn verify(
        &self,
        client: &Client,
        metadata: &ProviderMetadataWithLogout,
        id_token: &CoreIdToken,
        nonce: &Nonce,
    ) -> Result<(String, Map<String, Value>), TokenFault> {
        let algorithms = metadata
            .id_token_signing_alg_values_supported()
            .iter()
            .filter(|a| **a != CoreJwsSigningAlgorithm::None)
            .cloned();
        let verifier = client.id_token_verifier().set_allowed_algs(algorithms);
        verify_id_token(verifier, id_token, nonce, chrono::Utc::now())
    }
}

#[async_trait::async_trait]
impl app::ports::SignOut for SignOn {
    /// The provider's end-session endpoint (RP-initiated logout), with the token as hint and
    /// the login page to come back to.
    async fn end_session(&self, id_token: &IdTokenHint) -> Option<String> {
        let metadata = self.metadata(None).await.ok()?;
        let endpoint = metadata
            .additional_metadata()
            .end_session_endpoint
            .clone()?;
        let token: CoreIdToken = id_token.0.parse().ok()?;
        let url = LogoutRequest::from(endpoint)
            .set_id_token_hint(&token)
            .set_client_id(ClientId::new(self.settings.client_id.clone()))
            .set_post_logout_redirect_uri(PostLogoutRedirectUrl::from_url(
                self.settings.after_logout_url.clone(),
            ))
            .http_get_url();
        Some(url.to_string())
    }
}

/// Why an ID token failed its checks (for the log): its signature, which reading the
/// provider's keys again may mend, or anything else.
#[derive(Debug)]
pub enum TokenFault {
    Signature(String),
    Other(String),
}

impl TokenFault {
    fn detail(&self) -> String {
        match self {
            TokenFault::Signature(d) => format!("signature: {d}"),
            TokenFault::Other(d) => d.clone(),
        }
    }
}

/// Checks `id_token` with `verifier` (keys, issuer, audience) at `now`, and that it carries
/// `nonce`: the clocks may differ by [`CLOCK_SKEW`], in either direction. Answers the subject and
/// every claim the token carries.
pub fn verify_id_token(
    verifier: CoreIdTokenVerifier<'_>,
    id_token: &CoreIdToken,
    nonce: &Nonce,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(String, Map<String, Value>), TokenFault> {
    let skew = chrono::Duration::from_std(CLOCK_SKEW).unwrap_or_default();
    let verifier = verifier
        // Expiry is checked against this time: a token that expired less than the skew ago
        // still passes.
        .set_time_fn(move || now - skew)
        .set_issue_time_verifier_fn(move |issued| {
            if issued > now + skew {
                Err(format!("issued in the future, at {issued}"))
            } else {
                Ok(())
            }
        });
    let claims = id_token.claims(&verifier, nonce).map_err(|e| match e {
        openidconnect::ClaimsVerificationError::SignatureVerification(why) => {
            TokenFault::Signature(why.to_string())
        }
        other => TokenFault::Other(other.to_string()),
    })?;
    let subject = claims.subject().to_string();
    Ok((subject, payload(&id_token.to_string())))
}

/// The claims of a compact JWT whose signature has been checked: its middle part, decoded.
fn payload(jwt: &str) -> Map<String, Value> {
    use base64::Engine;
    jwt.split('.')
        .nth(1)
        .and_then(|part| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(part)
                .ok()
        })
        .and_then(|bytes| serde_json::from_slice::<Map<String, Value>>(&bytes).ok())
        .unwrap_or_default()
}

/// An error with its causes, for the log: the library's errors put the useful part in a
/// source.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}
