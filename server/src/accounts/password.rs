//! Password hashes: argon2id with the crate's defaults (19 MiB, 2 passes), in PHC form.

use app::ports::StoreError;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use secrecy::{ExposeSecret, SecretString};

/// Password hashes computed at once: each takes 19 MiB and a core's worth of time, so a flood
/// of logins queues here instead of exhausting memory.
pub const CONCURRENT_HASHES: usize = 4;

/// A password hash as stored. Its `Debug` prints a placeholder: a hash is a secret too.
#[derive(Clone)]
pub struct PasswordHashText(pub(super) SecretString);

impl std::fmt::Debug for PasswordHashText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHashText([redacted])")
    }
}

impl PasswordHashText {
    pub fn as_str(&self) -> &str {
        self.0.expose_secret()
    }
}

pub fn hash(password: &SecretString) -> Result<PasswordHashText, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.expose_secret().as_bytes(), &salt)
        .map(|h| PasswordHashText(SecretString::from(h.to_string())))
        .map_err(|e| StoreError(e.to_string()))
}

pub fn verify(password: &SecretString, hash: &PasswordHashText) -> bool {
    PasswordHash::new(hash.as_str()).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.expose_secret().as_bytes(), &parsed)
            .is_ok()
    })
}

/// A password for the first admin when none is configured: 24 letters and digits.
pub fn generate() -> SecretString {
    use rand::distr::{Alphanumeric, SampleString};
    SecretString::from(Alphanumeric.sample_string(&mut rand::rng(), 24))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_never_print() {
        let pw = SecretString::from("a long enough password");
        let h = hash(&pw).unwrap();
        assert!(h.as_str().starts_with("$argon2id$"));
        assert!(verify(&pw, &h));
        assert!(!verify(&SecretString::from("another password"), &h));
        assert!(!format!("{h:?}").contains("argon2"));
        assert_eq!(generate().expose_secret().len(), 24);
    }
}
