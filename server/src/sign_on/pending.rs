//! The pre-login session: what a sign-on started in a browser must find when the browser comes
//! back (`state`, `nonce`, the PKCE verifier, where to go after), keyed by a random id in a
//! short-lived cookie of its own. Each is taken once: a callback replayed finds nothing.

use openidconnect::{CsrfToken, Nonce, PkceCodeVerifier};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a started sign-on waits for the browser to come back.
pub const PENDING_FOR: Duration = Duration::from_secs(10 * 60);

/// The most sign-ons waiting at once. `/auth/login` needs no session, so anyone can start
/// them: past this many, the oldest is forgotten (its browser is asked to start again) and
/// memory stays bounded.
const MOST_PENDING: usize = 10_000;

/// A sign-on started and not yet finished. Its parts are the provider's secrets for this one
/// sign-on: `Debug` prints none of them.
pub struct Started {
    pub state: CsrfToken,
    pub nonce: Nonce,
    pub verifier: PkceCodeVerifier,
    /// A path on this console, already checked by `safe_next`.
    pub next: String,
    at: Instant,
}

impl std::fmt::Debug for Started {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Started")
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

impl Started {
    pub fn new(state: CsrfToken, nonce: Nonce, verifier: PkceCodeVerifier, next: String) -> Self {
        Started {
            state,
            nonce,
            verifier,
            next,
            at: Instant::now(),
        }
    }
}

#[derive(Default)]
pub struct Pending {
    waiting: Mutex<HashMap<String, Started>>,
}

impl Pending {
    /// Keeps `started` under a fresh random id, which the browser's cookie carries.
    pub fn put(&self, started: Started) -> String {
        use base64::Engine;
        let id =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        if waiting.len() >= MOST_PENDING {
            waiting.retain(|_, s| s.at.elapsed() < PENDING_FOR);
        }
        if waiting.len() >= MOST_PENDING {
            let oldest = waiting
                .iter()
                .min_by_key(|(_, s)| s.at)
                .map(|(id, _)| id.clone());
            if let Some(oldest) = oldest {
                waiting.remove(&oldest);
            }
        }
        waiting.insert(id.clone(), started);
        id
    }

    /// Takes the sign-on `id` names, if it is there and not expired: once.
    pub fn take(&self, id: &str) -> Option<Started> {
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        waiting.remove(id).filter(|s| s.at.elapsed() < PENDING_FOR)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.waiting.lock().unwrap().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn started(next: &str) -> Started {
        Started::new(
            CsrfToken::new("state-secret".into()),
            Nonce::new("nonce-secret".into()),
            PkceCodeVerifier::new("verifier-secret".into()),
            next.into(),
        )
    }

    #[test]
    fn a_sign_on_is_taken_once_and_stays_bounded() {
        let pending = Pending::default();
        let id = pending.put(started("/streams"));
        assert_eq!(id.len(), 43);
        assert!(pending.take("another").is_none());
        let back = pending.take(&id).expect("waiting");
        assert_eq!(back.next, "/streams");
        let shown = format!("{back:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(pending.take(&id).is_none(), "a replay finds nothing");

        let first = pending.put(started("/first"));
        for _ in 0..MOST_PENDING {
            pending.put(started("/"));
        }
        assert_eq!(pending.len(), MOST_PENDING);
        assert!(pending.take(&first).is_none(), "the oldest made room");
    }
}
