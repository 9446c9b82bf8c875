//! Sign-on with the company's identity provider: which console role a person gets from the
//! groups their provider says they are in. Pure: the server's OpenID Connect flow reads the
//! claims of a verified ID token and asks here, at every sign-on, so a person's role follows
//! their groups from their next sign-on on.

use super::Role;
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
    }
}
