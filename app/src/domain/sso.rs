//! Sign-on with the company's identity provider: which console role a person gets from the
//! groups their provider says they are in. Pure: the server's OpenID Connect flow reads the
//! claims of a verified ID token and asks here, at every sign-on, so a person's role follows
//! their groups from their next sign-on on.

use super::Role;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which groups map to which role: the claim that lists a person's groups
/// (`CONSOLE_OIDC_ROLE_CLAIM`, `groups` by default) and the groups of each role
/// (`CONSOLE_OIDC_ADMIN_GROUPS`, `…_OPERATOR_GROUPS`, `…_VIEWER_GROUPS`, comma lists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleMapping {
    pub claim: String,
    pub admin: Vec<String>,
    pub operator: Vec<String>,
    pub viewer: Vec<String>,
}

/// The claim read when none is set.
pub const DEFAULT_ROLE_CLAIM: &str = "groups";

fn list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(str::to_owned)
        .collect()
}

impl RoleMapping {
    /// Reads the setting: an empty claim is the default one; each list's names are trimmed and
    /// empty ones dropped. Refused when no group maps to any role, since every sign-on would
    /// then be refused.
    pub fn parse(
        claim: &str,
        admin: &str,
        operator: &str,
        viewer: &str,
    ) -> Result<RoleMapping, String> {
        let claim = match claim.trim() {
            "" => DEFAULT_ROLE_CLAIM,
            c => c,
        };
        let mapping = RoleMapping {
            claim: claim.to_owned(),
            admin: list(admin),
            operator: list(operator),
            viewer: list(viewer),
        };
        if mapping.admin.is_empty() && mapping.operator.is_empty() && mapping.viewer.is_empty() {
            return Err("Name the groups of at least one role (CONSOLE_OIDC_ADMIN_GROUPS, CONSOLE_OIDC_OPERATOR_GROUPS or CONSOLE_OIDC_VIEWER_GROUPS): without them every sign-on is refused.".into());
        }
        Ok(mapping)
    }

    /// The groups `claims` lists under the mapping's claim: a list of texts, or one text. A
    /// claim named with dots (`realm_access.roles`) is looked up as it is first, then as a path
    /// into nested objects. Anything else (numbers, a missing claim) lists nothing.
    pub fn groups(&self, claims: &serde_json::Map<String, Value>) -> Vec<String> {
        let found = claims.get(&self.claim).or_else(|| {
            let mut parts = self.claim.split('.');
            let first = claims.get(parts.next()?)?;
            parts.try_fold(first, |value, key| value.as_object()?.get(key))
        });
        match found {
            Some(Value::String(one)) => vec![one.clone()],
            Some(Value::Array(many)) => many
                .iter()
                .filter_map(|g| g.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The highest role any of `groups` maps to (names match exactly, case included, as
    /// providers compare them); `None` when none does, and the sign-on is refused.
    pub fn role(&self, groups: &[String]) -> Option<Role> {
        let member = |of: &[String]| groups.iter().any(|g| of.contains(g));
        [
            (Role::Admin, &self.admin),
            (Role::Operator, &self.operator),
            (Role::Viewer, &self.viewer),
        ]
        .into_iter()
        .find(|(_, of)| member(of))
        .map(|(role, _)| role)
    }
}

/// Who the identity provider says signed on: its subject (`sub`, stable for a person at one
/// provider) and the name it gives them. Neither is a secret: audit lines and the Operators page
/// show both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOnIdentity {
    pub subject: String,
    pub display_name: String,
}

/// The longest display name or subject kept.
const IDENTITY_MAX: usize = 200;

impl SignOnIdentity {
    /// From an ID token's (or user info's) claims: the subject, and as display name `name`,
    /// else `preferred_username`, else `email`, else the subject. Control characters are
    /// dropped and both are cut at 200 characters.
    pub fn from_claims(subject: &str, claims: &serde_json::Map<String, Value>) -> SignOnIdentity {
        let text = |key: &str| {
            claims
                .get(key)
                .and_then(Value::as_str)
                .map(clean)
                .filter(|t| !t.is_empty())
        };
        let subject = clean(subject);
        let display_name = text("name")
            .or_else(|| text("preferred_username"))
            .or_else(|| text("email"))
            .unwrap_or_else(|| subject.clone());
        SignOnIdentity {
            subject,
            display_name,
        }
    }
}

impl std::fmt::Display for SignOnIdentity {
    /// "Ada Lovelace · subject 248289761001", as the Operators page and the audit log show it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} · subject {}", self.display_name, self.subject)
    }
}

fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .take(IDENTITY_MAX)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The console name (the one the Operators page, audit filters and the header use) for someone
/// who signs on for the first time: their `preferred_username`, else the part of their email
/// before the '@', else their subject; lowercased, every character operator names do not allow
/// turned into '-', starting with a letter, at most 28 characters so that [`numbered`] can
/// tell apart people whose names meet.
pub fn console_name(claims: &serde_json::Map<String, Value>, subject: &str) -> String {
    let text = |key: &str| claims.get(key).and_then(Value::as_str);
    let source = text("preferred_username")
        .or_else(|| text("email").and_then(|e| e.split('@').next()))
        .filter(|t| !t.trim().is_empty())
        .unwrap_or(subject);
    let mut name = String::new();
    for c in source.trim().chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-') {
            c
        } else {
            '-'
        };
        // Runs of replaced characters become one '-'.
        if !(c == '-' && name.ends_with('-')) {
            name.push(c);
        }
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        name.insert_str(0, "sso-");
    }
    name.chars().take(28).collect()
}

/// The `n`-th name to try when `base` is taken by someone else: `base` itself first, then
/// `base-2`, `base-3`…
pub fn numbered(base: &str, n: u32) -> String {
    if n <= 1 {
        base.to_owned()
    } else {
        format!("{base}-{n}")
    }
}

/// Why a sign-on through the identity provider was refused. It travels to the login page as
/// its code with the request id, so the words are the console's and the details stay in the
/// server's log under that id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignOnRefusal {
    /// The browser came back without the sign-on it started, or after it was used or expired.
    Expired,
    /// The answer's `state` is not the one this browser's sign-on sent.
    Mismatch,
    /// The provider answered with an error (the person cancelled, or it refused them).
    Denied,
    /// The provider could not be reached, or answered something unreadable.
    Unreachable,
    /// The ID token failed a check: signature, issuer, audience, expiry or nonce.
    Unverified,
    /// None of the person's groups maps to a role.
    NoRole,
    /// An admin disabled this operator.
    Disabled,
    /// The console failed (its store); the log says why.
    Failed,
}

impl SignOnRefusal {
    const ALL: [SignOnRefusal; 8] = [
        SignOnRefusal::Expired,
        SignOnRefusal::Mismatch,
        SignOnRefusal::Denied,
        SignOnRefusal::Unreachable,
        SignOnRefusal::Unverified,
        SignOnRefusal::NoRole,
        SignOnRefusal::Disabled,
        SignOnRefusal::Failed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SignOnRefusal::Expired => "expired",
            SignOnRefusal::Mismatch => "mismatch",
            SignOnRefusal::Denied => "denied",
            SignOnRefusal::Unreachable => "unreachable",
            SignOnRefusal::Unverified => "unverified",
            SignOnRefusal::NoRole => "no-role",
            SignOnRefusal::Disabled => "disabled",
            SignOnRefusal::Failed => "failed",
        }
    }

    pub fn parse(code: &str) -> Option<SignOnRefusal> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// What the login page says for the `code` and `request` id a refused sign-on came back
    /// with: the words and the id to quote. An unknown code is no refusal; a request id that is
    /// not a plain id is left out.
    pub fn message(code: Option<String>, request: Option<String>) -> Option<String> {
        let refusal = SignOnRefusal::parse(&code?)?;
        let request = request.filter(|r| {
            !r.is_empty()
                && r.len() <= 64
                && r.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
        Some(match request {
            Some(id) => format!("{} (Request id: {id}.)", refusal.words()),
            None => refusal.words().to_owned(),
        })
    }

    /// What the login page says. It names no group and no claim.
    pub fn words(self) -> &'static str {
        match self {
            SignOnRefusal::Expired => "This sign-in was already used or took longer than 10 minutes. Sign in again.",
            SignOnRefusal::Mismatch => "The identity provider's answer does not belong to the sign-in this browser started, so nobody was signed in. Sign in again.",
            SignOnRefusal::Denied => "The identity provider did not sign you in. Sign in again, or ask an administrator if it keeps refusing.",
            SignOnRefusal::Unreachable => "The console could not reach the identity provider. Try again in a moment; if it keeps failing, an administrator can find the cause in the console's log under the request id.",
            SignOnRefusal::Unverified => "The identity provider's answer did not pass the console's checks, so nobody was signed in. An administrator can find which check in the console's log under the request id.",
            SignOnRefusal::NoRole => "Your account has no role on this console. Ask an administrator to give you access.",
            SignOnRefusal::Disabled => "Your account is disabled on this console. Ask an administrator.",
            SignOnRefusal::Failed => "The console failed to sign you in. Try again; an administrator can find the cause in the console's log under the request id.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn mapping() -> RoleMapping {
        RoleMapping::parse("", "dis-admins", " dis-operators , ops ,", "everyone").unwrap()
    }

    fn claims(json: Value) -> serde_json::Map<String, Value> {
        json.as_object().unwrap().clone()
    }

    fn groups(list: &[&str]) -> Vec<String> {
        list.iter().map(|g| (*g).to_owned()).collect()
    }

    #[test]
    fn lists_are_trimmed_and_a_mapping_needs_a_group() {
        let m = mapping();
        assert_eq!(m.claim, "groups");
        assert_eq!(m.operator, ["dis-operators", "ops"]);
        let none = RoleMapping::parse("roles", " , ", "", "").unwrap_err();
        assert!(none.contains("CONSOLE_OIDC_ADMIN_GROUPS"), "{none}");
    }

    #[test]
    fn the_highest_matching_role_wins_and_no_match_is_refused() {
        let m = mapping();
        assert_eq!(m.role(&groups(&["everyone", "ops"])), Some(Role::Operator));
        assert_eq!(
            m.role(&groups(&["everyone", "ops", "dis-admins"])),
            Some(Role::Admin)
        );
        assert_eq!(m.role(&groups(&["everyone"])), Some(Role::Viewer));
        assert_eq!(
            m.role(&groups(&["DIS-ADMINS", "finance"])),
            None,
            "exact names only"
        );
        assert_eq!(m.role(&[]), None);
    }

    #[test]
    fn groups_are_read_from_a_list_a_text_or_a_nested_claim() {
        let m = mapping();
        assert_eq!(
            m.groups(&claims(serde_json::json!({"groups": ["a", 3, "b"]}))),
            ["a", "b"]
        );
        assert_eq!(m.groups(&claims(serde_json::json!({"groups": "a"}))), ["a"]);
        assert!(m
            .groups(&claims(serde_json::json!({"groups": 7})))
            .is_empty());
        assert!(m
            .groups(&claims(serde_json::json!({"sub": "x"})))
            .is_empty());
        let keycloak = RoleMapping::parse("realm_access.roles", "admin", "", "").unwrap();
        let nested = claims(serde_json::json!({"realm_access": {"roles": ["admin", "user"]}}));
        assert_eq!(keycloak.groups(&nested), ["admin", "user"]);
        // A claim whose name has dots is read as it is first.
        let uri = RoleMapping::parse("https://example.com/groups", "x", "", "").unwrap();
        let flat = claims(serde_json::json!({"https://example.com/groups": ["x"]}));
        assert_eq!(uri.role(&uri.groups(&flat)), Some(Role::Admin));
    }

    #[test]
    fn identities_and_console_names_come_from_the_claims() {
        let c = claims(serde_json::json!({
            "name": "Ada\u{7} Lovelace", "preferred_username": "Ada.L@Corp", "email": "ada@corp.example"
        }));
        let who = SignOnIdentity::from_claims("248289761001", &c);
        assert_eq!(who.display_name, "Ada Lovelace");
        assert_eq!(who.subject, "248289761001");
        assert_eq!(console_name(&c, "248289761001"), "ada.l-corp");
        let email = claims(serde_json::json!({"email": "Grace.Hopper@corp.example"}));
        assert_eq!(console_name(&email, "x"), "grace.hopper");
        assert_eq!(
            SignOnIdentity::from_claims("x", &email).display_name,
            "Grace.Hopper@corp.example"
        );
        let bare = claims(serde_json::json!({}));
        assert_eq!(console_name(&bare, "00u1a2b3c4"), "sso-00u1a2b3c4");
        assert_eq!(
            SignOnIdentity::from_claims("00u1a2b3c4", &bare).display_name,
            "00u1a2b3c4"
        );
        assert_eq!(
            console_name(
                &claims(serde_json::json!({"preferred_username": "Zoë  Ø"})),
                "s"
            ),
            "zo-"
        );
        assert_eq!(numbered("ada", 1), "ada");
        assert_eq!(numbered("ada", 3), "ada-3");
    }

    #[test]
    fn refusals_travel_as_codes_and_name_no_group() {
        for r in SignOnRefusal::ALL {
            assert_eq!(SignOnRefusal::parse(r.code()), Some(r));
            assert!(!r.words().contains("group"), "{}", r.words());
        }
        assert_eq!(SignOnRefusal::parse("<script>"), None);
        let shown = SignOnRefusal::message(Some("no-role".into()), Some("0b6c-11aa".into()));
        assert!(shown.unwrap().ends_with("(Request id: 0b6c-11aa.)"));
        assert_eq!(SignOnRefusal::message(Some("made-up".into()), None), None);
        assert_eq!(SignOnRefusal::message(None, Some("x".into())), None);
        let odd = SignOnRefusal::message(Some("expired".into()), Some("<b>x</b>".into()));
        assert!(!odd.unwrap().contains("Request id"));
    }

    proptest! {
        /// Any claims give a list of groups and a role or a refusal, never a panic; the role
        /// is one the groups map to, and no mapped role is higher.
        #[test]
        fn any_claims_give_a_role_or_a_refusal(
            names in proptest::collection::vec("[a-z.]{0,6}", 0..6),
            path in "[a-z.]{0,8}",
            nested in any::<bool>(),
        ) {
            let m = RoleMapping::parse(&path, "a", "b.c", "d").unwrap();
            let list = Value::Array(names.iter().cloned().map(Value::String).collect());
            let json = if nested { serde_json::json!({"x": {"y": list}}) } else { serde_json::json!({ path.clone(): list }) };
            let found = m.groups(json.as_object().unwrap());
            let role = m.role(&found);
            let mapped: Vec<Role> = found
                .iter()
                .filter_map(|g| m.role(std::slice::from_ref(g)))
                .collect();
            prop_assert_eq!(role, mapped.iter().copied().max());
        }

        /// Whatever the provider sends, the console name it gives is one operator names
        /// allow, with room for a number after it.
        #[test]
        fn any_username_gives_a_valid_console_name(user in "\\PC{0,40}", sub in "[ -~]{1,30}", n in 1u32..100) {
            let c = serde_json::json!({"preferred_username": user});
            let name = numbered(&console_name(c.as_object().unwrap(), &sub), n);
            prop_assert_eq!(crate::domain::access::parse_operator_name(&name), Ok(name.clone()));
        }
    }
}
