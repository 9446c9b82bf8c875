//! Who is logged in, for the header and for hiding what a role cannot do. The server decides
//! every action again; this only keeps the pages honest about what will work.

use crate::api::session::{whoami, WhoAmI};
use crate::domain::Role;
use crate::error::AppError;
use leptos::prelude::*;

/// The operator behind this page's session (and how the login page offers to log in), read
/// once per page load.
#[derive(Clone, Copy)]
pub struct MeResource(pub Resource<Result<WhoAmI, AppError>>);

pub fn provide_me() -> MeResource {
    let me = MeResource(Resource::new(|| (), |_| whoami()));
    provide_context(me);
    me
}

/// The logged-in operator's role, once known (inside a `Suspense`).
pub async fn my_role() -> Option<Role> {
    let me = use_context::<MeResource>()?;
    me.0.await.ok().and_then(|w| w.me).map(|m| m.role)
}

/// The logged-in operator's role if it is known now (tracked: it changes once it is read).
pub fn role_now() -> Option<Role> {
    let me = use_context::<MeResource>()?;
    me.0.get()?.ok()?.me.map(|m| m.role)
}

/// Whether `role` may do what needs `needed`.
pub fn allows(role: Option<Role>, needed: Role) -> bool {
    role.is_some_and(|r| r >= needed)
}

/// Sends the browser to `path` with a full page load (the header re-reads the session).
pub fn reload_to(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        if let Some(window) = web_sys::window() {
            let _ = window.location().assign(path);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}
