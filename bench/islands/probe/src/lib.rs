//! The console as Leptos islands, for weighing: the pages an operator acts on (the wizard, a
//! stream with its tasks and test records, a task with start, pause and delete, the operators
//! page) hydrate as whole islands. The router, the header, the streams list (links and a GET
//! filter form), the audit log (GET filters), the overview and the login page (a plain form
//! post) render on the server only and ship no code. Whole pages are an upper bound: a finer cut
//! would leave their static tables on the server too.

use leptos::prelude::*;

#[island]
fn WizardIsland() -> impl IntoView {
    view! { <app::pages::wizard::AddTask/> }
}

#[island]
fn StreamIsland() -> impl IntoView {
    view! { <app::pages::stream::Stream/> }
}

#[island]
fn TaskIsland() -> impl IntoView {
    view! { <app::pages::task::Task/> }
}

#[island]
fn OperatorsIsland() -> impl IntoView {
    view! { <app::pages::operators::Operators/> }
}

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
