//! Helhed's phone app (Leptos, client-side rendered, compiled to wasm).
//!
//! Layers, outside in: `pages` and `components` render; `state` holds the
//! signals they read (session, language, network); `api` is the only code
//! that talks HTTP. Domain rules and validation come from `shared`.
//!
//! `App` holds the routes: `/login`, `/password` (choosing one's own after a
//! temporary one), `/` (Today), `/citizens`, `/citizens/:id`,
//! `/citizens/:id/grants/new`, `/citizens/:id/grants/:grant`, `/visits/new`,
//! `/visits/:id`, `/lead`, `/lead/statement`, `/lead/workers/:id`,
//! `/lead/workers/:id/handover` (handing the worker's citizens over),
//! `/lead/conflicts`, `/lead/visits/:id` (a visit's correction), `/figures`
//! (the resource picture), `/figures/trend`, `/figures/resources` and `/reviews`, `/reviews/:id` (the case review:
//! leads, area heads, administrators), `/admin`,
//! `/admin/{areas,teams,users,citizens,drawing-rights}/new` and `/…/:id`, and
//! `/admin/access`, `/admin/scheme` (the review's layers). `start` is the entry point.
//!
//! Every route but Today is a lazy screen (`lazy_screens!`; login and the
//! password without the app's frame or inside it): with the
//! `split` feature (only `cargo xtask build` turns it on; `app/build.rs` keeps
//! the linker's relocations for the splitter) its code is a wasm chunk of its
//! own. The `Field…` screens are precached by the service worker; the rest are
//! kept for a logged-in lead, area head or administrator (`App` asks,
//! `components::pwa::keep_office_screens`). A chunk that cannot be fetched (a
//! lead offline before the office screens were kept, or a newer build on the
//! server) must not stop the app: `xtask build` rewrites the splitter's loader
//! (and refuses a splitter whose loader reads otherwise) to leave the screen
//! unloaded and fire `helhed-chunk-failed`, which
//! `components::pwa::ScreenUnavailable` shows with a way back to Today and a
//! reload.

pub mod admin_input;
pub mod api;
pub mod clock;
pub mod committee_input;
pub mod components;
pub mod conflict_input;
pub mod course_input;
pub mod data;
pub mod error;
pub mod format;
pub mod grant_input;
pub mod handover_input;
pub mod i18n;
pub mod meeting_input;
pub mod network;
pub mod notice;
pub mod overlay;
pub mod pages;
pub mod plan_input;
pub mod review_input;
pub mod state;
pub mod store;
pub mod sync;
pub mod visit_input;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
#[cfg(feature = "split")]
use leptos_router::lazy_route;
use leptos_router::{Lazy, LazyRoute, path};

use crate::components::pwa::ScreenUnavailable;
use crate::pages::access_log::AccessLogPage;
use crate::pages::admin::{AdminPage, DrawingRightFormPage};
use crate::pages::admin_people::{AreaFormPage, CitizenFormPage, TeamFormPage, UserFormPage};
use crate::pages::app_frame::AppFrame;
use crate::pages::citizen::CitizenPage;
use crate::pages::citizens::CitizensPage;
use crate::pages::committee::CommitteePage;
use crate::pages::correction::CorrectionPage;
use crate::pages::courses::{CoursePage, CoursesPage};
use crate::pages::figures::FiguresPage;
use crate::pages::forum::ForumPage;
use crate::pages::grant_form::GrantFormPage;
use crate::pages::handover::HandoverPage;
use crate::pages::inbox::InboxPage;
use crate::pages::lead::LeadPage;
use crate::pages::lead_conflicts::LeadConflictsPage;
use crate::pages::lead_worker::LeadWorkerPage;
use crate::pages::login::LoginPage;
use crate::pages::meeting::MeetingPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::offers::{OfferFormPage, OffersPage};
use crate::pages::password::ChoosePasswordPage;
use crate::pages::plan::{PlanCopyPage, PlanPage};
use crate::pages::resources::{ResourcesPage, TrendPage};
use crate::pages::reviews::{ReviewPage, ReviewsPage};
use crate::pages::scheme::SchemePage;
use crate::pages::statement::StatementPage;
use crate::pages::today::TodayPage;
use crate::pages::visit_form::VisitFormPage;

/// The whole app. Provides the language, network and session state to
/// everything below it.
#[component]
pub fn App() -> impl IntoView {
    i18n::provide_lang();
    notice::provide_notice();
    state::provide_network();
    let session = state::provide_session();
    // Open the phone's database first: the session check falls back to the
    // last user when there is no network.
    data::provide_data(move || state::check_session(session));
    // A lead, an area head or an administrator: have their screens at hand
    // offline (the service worker fetches what it lacks, now or when back
    // online).
    let online = state::use_online();
    Effect::new(move |_| {
        use shared::user::Role;
        let office = matches!(session.get(), state::Session::LoggedIn(me)
            if [Role::Lead, Role::AreaHead, Role::Admin].into_iter().any(|r| me.has_role(r)));
        if office && online.get() {
            components::pwa::keep_office_screens();
        }
    });
    // Everyone: the catalogue of offers at hand offline, fetched anew each
    // time the app is logged in and online (it is small, the same for all).
    Effect::new(move |_| {
        if matches!(session.get(), state::Session::LoggedIn(_)) && online.get() {
            leptos::task::spawn_local(async {
                let _ = data::fetch_or_cached(pages::offers::CACHED, api::offers(false)).await;
            });
        }
    });

    view! {
        <Router>
            <ScreenUnavailable/>
            <Routes fallback=|| view! { <NotFoundPage/> }>
                <Route path=path!("/login") view={Lazy::<FieldLoginScreen>::new()}/>
                <Route path=path!("/password") view={Lazy::<FieldPasswordScreen>::new()}/>
                <Route path=path!("/") view=|| view! { <AppFrame><TodayPage/></AppFrame> }/>
                <Route path=path!("/citizens") view={Lazy::<FieldCitizensScreen>::new()}/>
                <Route path=path!("/citizens/:id") view={Lazy::<FieldCitizenScreen>::new()}/>
                <Route path=path!("/citizens/:id/plan") view={Lazy::<FieldPlanScreen>::new()}/>
                <Route path=path!("/citizens/:id/plan/copy") view={Lazy::<FieldPlanCopyScreen>::new()}/>
                <Route path=path!("/citizens/:id/meetings/:meeting") view={Lazy::<FieldMeetingScreen>::new()}/>
                <Route path=path!("/citizens/:id/grants/new") view={Lazy::<GrantFormScreen>::new()}/>
                <Route path=path!("/citizens/:id/courses/:course") view={Lazy::<CourseScreen>::new()}/>
                <Route path=path!("/courses") view={Lazy::<CoursesScreen>::new()}/>
                <Route path=path!("/committee") view={Lazy::<CommitteeScreen>::new()}/>
                <Route path=path!("/forum") view={Lazy::<FieldForumScreen>::new()}/>
                <Route path=path!("/citizens/:id/grants/:grant") view={Lazy::<GrantFormScreen>::new()}/>
                <Route path=path!("/offers") view={Lazy::<FieldOffersScreen>::new()}/>
                <Route path=path!("/inbox") view={Lazy::<FieldInboxScreen>::new()}/>
                <Route path=path!("/visits/new") view={Lazy::<FieldVisitFormScreen>::new()}/>
                <Route path=path!("/visits/:id") view={Lazy::<FieldVisitFormScreen>::new()}/>
                <Route path=path!("/admin") view={Lazy::<AdminScreen>::new()}/>
                <Route path=path!("/admin/scheme") view={Lazy::<SchemeScreen>::new()}/>
                <Route path=path!("/admin/offers/new") view={Lazy::<OfferFormScreen>::new()}/>
                <Route path=path!("/admin/offers/:id") view={Lazy::<OfferFormScreen>::new()}/>
                <Route path=path!("/admin/access") view={Lazy::<AccessLogScreen>::new()}/>
                <Route path=path!("/admin/areas/new") view={Lazy::<AreaFormScreen>::new()}/>
                <Route path=path!("/admin/areas/:id") view={Lazy::<AreaFormScreen>::new()}/>
                <Route path=path!("/admin/teams/new") view={Lazy::<TeamFormScreen>::new()}/>
                <Route path=path!("/admin/teams/:id") view={Lazy::<TeamFormScreen>::new()}/>
                <Route path=path!("/admin/users/new") view={Lazy::<UserFormScreen>::new()}/>
                <Route path=path!("/admin/users/:id") view={Lazy::<UserFormScreen>::new()}/>
                <Route path=path!("/admin/citizens/new") view={Lazy::<CitizenFormScreen>::new()}/>
                <Route path=path!("/admin/citizens/:id") view={Lazy::<CitizenFormScreen>::new()}/>
                <Route path=path!("/admin/drawing-rights/new") view={Lazy::<DrawingRightFormScreen>::new()}/>
                <Route path=path!("/admin/drawing-rights/:id") view={Lazy::<DrawingRightFormScreen>::new()}/>
                <Route path=path!("/lead") view={Lazy::<LeadScreen>::new()}/>
                <Route path=path!("/figures") view={Lazy::<FiguresScreen>::new()}/>
                <Route path=path!("/figures/trend") view={Lazy::<TrendScreen>::new()}/>
                <Route path=path!("/figures/resources") view={Lazy::<ResourcesScreen>::new()}/>
                <Route path=path!("/reviews") view={Lazy::<ReviewsScreen>::new()}/>
                <Route path=path!("/reviews/:id") view={Lazy::<ReviewScreen>::new()}/>
                <Route path=path!("/lead/statement") view={Lazy::<StatementScreen>::new()}/>
                <Route path=path!("/lead/workers/:id") view={Lazy::<LeadWorkerScreen>::new()}/>
                <Route path=path!("/lead/workers/:id/handover") view={Lazy::<HandoverScreen>::new()}/>
                <Route path=path!("/lead/conflicts") view={Lazy::<LeadConflictsScreen>::new()}/>
                <Route path=path!("/lead/visits/:id") view={Lazy::<CorrectionScreen>::new()}/>
            </Routes>
        </Router>
    }
}

/// Screens whose code is a wasm chunk of its own. Built with the `split`
/// feature (as `cargo xtask build` does), the binary is cut at each of these
/// points and a screen's chunk is fetched the first time it opens, so the
/// shell that starts the app holds little more than "Today". Without the
/// feature (tests, the host) every screen is plain code in the one binary.
///
/// The build's service worker precaches the chunks of the `Field…` screens
/// with the shell: a field worker's phone has everything it uses offline
/// from the first start. The lead's and the administrator's screens are
/// cached when first fetched, and all of them as soon as a lead or an
/// administrator is logged in (see `App`), so they open offline later; a
/// field worker's phone never downloads them.
macro_rules! lazy_screens {
    (@screen $screen:ident, $view:expr) => {
        #[derive(Debug)]
        struct $screen;

        #[cfg(feature = "split")]
        #[lazy_route]
        impl LazyRoute for $screen {
            fn data() -> Self {
                $screen
            }

            fn view(_this: Self) -> AnyView {
                $view
            }
        }

        #[cfg(not(feature = "split"))]
        impl LazyRoute for $screen {
            fn data() -> Self {
                $screen
            }

            async fn view(_this: Self) -> AnyView {
                $view
            }
        }
    };
    // Screens without the app's frame (login).
    (bare: $($screen:ident => $page:ident),* $(,)?) => {$(
        lazy_screens!(@screen $screen, view! { <$page/> }.into_any());
    )*};
    ($($screen:ident => $page:ident),* $(,)?) => {$(
        lazy_screens!(@screen $screen, view! { <AppFrame><$page/></AppFrame> }.into_any());
    )*};
}

// Login and the first password are field screens too: a phone that starts
// logged out (or with a temporary password) has them offline, and the shell
// that starts the usual day (Today) does not carry the forms' code.
lazy_screens! {
    bare: FieldLoginScreen => LoginPage,
}

lazy_screens! {
    FieldPasswordScreen => ChoosePasswordPage,
    FieldCitizensScreen => CitizensPage,
    FieldCitizenScreen => CitizenPage,
    FieldPlanScreen => PlanPage,
    FieldPlanCopyScreen => PlanCopyPage,
    FieldVisitFormScreen => VisitFormPage,
    FieldOffersScreen => OffersPage,
    FieldInboxScreen => InboxPage,
    FieldMeetingScreen => MeetingPage,
    FieldForumScreen => ForumPage,
}

lazy_screens! {
    GrantFormScreen => GrantFormPage,
    CourseScreen => CoursePage,
    CoursesScreen => CoursesPage,
    CommitteeScreen => CommitteePage,
    AdminScreen => AdminPage,
    AccessLogScreen => AccessLogPage,
    AreaFormScreen => AreaFormPage,
    TeamFormScreen => TeamFormPage,
    UserFormScreen => UserFormPage,
    CitizenFormScreen => CitizenFormPage,
    DrawingRightFormScreen => DrawingRightFormPage,
    LeadScreen => LeadPage,
    FiguresScreen => FiguresPage,
    TrendScreen => TrendPage,
    HandoverScreen => HandoverPage,
    SchemeScreen => SchemePage,
    OfferFormScreen => OfferFormPage,
    ResourcesScreen => ResourcesPage,
    ReviewsScreen => ReviewsPage,
    ReviewScreen => ReviewPage,
    StatementScreen => StatementPage,
    LeadWorkerScreen => LeadWorkerPage,
    LeadConflictsScreen => LeadConflictsPage,
    CorrectionScreen => CorrectionPage,
}

/// Entry point called by the boot script.
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
