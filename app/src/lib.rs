//! Helhed's phone app (Leptos, client-side rendered, compiled to wasm).
//!
//! Layers, outside in: `pages` and `components` render; `state` holds the
//! signals they read (session, language, network); `api` is the only code
//! that talks HTTP. Domain rules and validation come from `shared`.

pub mod admin_input;
pub mod api;
pub mod components;
pub mod data;
pub mod format;
pub mod grant_input;
pub mod i18n;
pub mod pages;
pub mod state;
pub mod store;
pub mod sync;
pub mod visit_input;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::app_frame::AppFrame;
use crate::pages::access_log::AccessLogPage;
use crate::pages::admin::{AdminPage, DrawingRightFormPage};
use crate::pages::admin_people::{AreaFormPage, CitizenFormPage, TeamFormPage, UserFormPage};
use crate::pages::citizen::CitizenPage;
use crate::pages::citizens::CitizensPage;
use crate::pages::grant_form::GrantFormPage;
use crate::pages::lead::LeadPage;
use crate::pages::lead_worker::LeadWorkerPage;
use crate::pages::login::LoginPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::statement::StatementPage;
use crate::pages::today::TodayPage;
use crate::pages::visit_form::VisitFormPage;

/// The whole app. Provides the language, network and session state to
/// everything below it.
#[component]
pub fn App() -> impl IntoView {
    i18n::provide_lang();
    state::provide_network();
    let session = state::provide_session();
    // Open the phone's database first: the session check falls back to the
    // last user when there is no network.
    data::provide_data(move || state::check_session(session));

    view! {
        <Router>
            <Routes fallback=|| view! { <NotFoundPage/> }>
                <Route path=path!("/login") view=LoginPage/>
                <Route path=path!("/") view=|| view! { <AppFrame><TodayPage/></AppFrame> }/>
                <Route path=path!("/citizens") view=|| view! { <AppFrame><CitizensPage/></AppFrame> }/>
                <Route path=path!("/citizens/:id") view=|| view! { <AppFrame><CitizenPage/></AppFrame> }/>
                <Route path=path!("/citizens/:id/grants/new") view=|| view! { <AppFrame><GrantFormPage/></AppFrame> }/>
                <Route path=path!("/citizens/:id/grants/:grant") view=|| view! { <AppFrame><GrantFormPage/></AppFrame> }/>
                <Route path=path!("/visits/new") view=|| view! { <AppFrame><VisitFormPage/></AppFrame> }/>
                <Route path=path!("/visits/:id") view=|| view! { <AppFrame><VisitFormPage/></AppFrame> }/>
                <Route path=path!("/admin") view=|| view! { <AppFrame><AdminPage/></AppFrame> }/>
                <Route path=path!("/admin/access") view=|| view! { <AppFrame><AccessLogPage/></AppFrame> }/>
                <Route path=path!("/admin/areas/new") view=|| view! { <AppFrame><AreaFormPage/></AppFrame> }/>
                <Route path=path!("/admin/areas/:id") view=|| view! { <AppFrame><AreaFormPage/></AppFrame> }/>
                <Route path=path!("/admin/teams/new") view=|| view! { <AppFrame><TeamFormPage/></AppFrame> }/>
                <Route path=path!("/admin/teams/:id") view=|| view! { <AppFrame><TeamFormPage/></AppFrame> }/>
                <Route path=path!("/admin/users/new") view=|| view! { <AppFrame><UserFormPage/></AppFrame> }/>
                <Route path=path!("/admin/users/:id") view=|| view! { <AppFrame><UserFormPage/></AppFrame> }/>
                <Route path=path!("/admin/citizens/new") view=|| view! { <AppFrame><CitizenFormPage/></AppFrame> }/>
                <Route path=path!("/admin/citizens/:id") view=|| view! { <AppFrame><CitizenFormPage/></AppFrame> }/>
                <Route path=path!("/admin/drawing-rights/new") view=|| view! { <AppFrame><DrawingRightFormPage/></AppFrame> }/>
                <Route path=path!("/admin/drawing-rights/:id") view=|| view! { <AppFrame><DrawingRightFormPage/></AppFrame> }/>
                <Route path=path!("/lead") view=|| view! { <AppFrame><LeadPage/></AppFrame> }/>
                <Route path=path!("/lead/statement") view=|| view! { <AppFrame><StatementPage/></AppFrame> }/>
                <Route path=path!("/lead/workers/:id") view=|| view! { <AppFrame><LeadWorkerPage/></AppFrame> }/>
            </Routes>
        </Router>
    }
}

/// Entry point called by the boot script.
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
