//! Administration of the organisation and its people: areas, teams, users
//! and citizens with their assignments. `/admin` lists them (see
//! [`DirectoryLists`]); `/admin/{areas,teams,users,citizens}/new` and
//! `/…/<id>` are the forms. Written straight to the server; a change to a
//! citizen or an assignment reaches the phones by sync.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::admin::AdminDirectory;
use shared::area::AreaKind;
use shared::citizen::BenefitType;
use shared::user::Role;
use shared::{AreaId, AssignmentId, CitizenId, TeamId, UserId};
use uuid::Uuid;

use crate::admin_input::{self, CitizenForm, UserForm};
use crate::api;
use crate::clock::now;
use crate::components::form::{Form, FormFrame};
use crate::components::loaded::{Fetched, Loaded};
use crate::components::text_field::{CheckBox, SelectField, TextField};
use crate::data::fetch_or_cached;
use crate::error::AppError;
use crate::i18n::{tr, use_lang};
use crate::state::{Session, use_session};

/// The administration's directory as fetched (or the last copy offline).
type Directory = LocalResource<Fetched<AdminDirectory>>;

/// The directory, fetched (or the last copy offline); `refetch` loads it
/// anew.
fn load_directory() -> Directory {
    LocalResource::new(|| fetch_or_cached("admin-directory", api::admin_directory()))
}

/// Fills a form once the directory is there and opens it (the signal it
/// returns); a directory that cannot be had is said on the form.
fn fill_once(directory: Directory, form: Form, fill: impl Fn(&AdminDirectory) + 'static) -> RwSignal<bool> {
    let ready = RwSignal::new(false);
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        match directory.get() {
            Some(Ok((d, _))) => {
                ready.set(true);
                fill(&d);
                true
            }
            Some(Err(e)) => {
                form.fail(e);
                false
            }
            None => false,
        }
    });
    ready
}

fn is_admin(session: &Session) -> bool {
    matches!(session, Session::LoggedIn(me) if me.has_role(Role::Admin))
}

/// The lists on `/admin`: people, citizens, teams and areas, each with
/// change links and a "new" button.
#[component]
pub fn DirectoryLists() -> impl IntoView {
    let lang = use_lang();
    let directory = load_directory();
    view! {
        <Loaded resource=directory what=("oversigten", "the directory") show=move |d: AdminDirectory| {
                let l = lang.get();
                let team_name = |id: &TeamId| d.teams.iter().find(|t| t.id == *id).map(|t| t.name.to_string()).unwrap_or_default();
                let user_name = |id: &UserId| d.users.iter().find(|u| u.id == *id).map(|u| u.name.to_string()).unwrap_or_default();
                let today = now().local_date();
                view! {
                    <section class="admin-page__section" aria-labelledby="users-title">
                        <h2 class="section-title" id="users-title">{tr("Medarbejdere", "Staff")}</h2>
                        <ul class="admin-list">
                            {d.users.iter().map(|u| {
                                let roles: Vec<_> = u.roles.iter().map(|r| r.label(l)).collect();
                                let teams: Vec<_> = u.team_ids.iter().map(team_name).collect();
                                let state = if !u.active { tr("Deaktiveret", "Deactivated")() } else if u.must_change_password { tr("Midlertidig adgangskode", "Temporary password")() } else { "" };
                                view! {
                                    <li class="admin-list__item" data-testid="admin-user" data-active=u.active.to_string()>
                                        <div>
                                            <p class="admin-list__what">{u.name.to_string()}" ("{u.username.to_string()}")"</p>
                                            <p class="admin-list__detail">{roles.join(", ")}{(!teams.is_empty()).then(|| format!(" · {}", teams.join(", ")))}
                                                {(!state.is_empty()).then(|| view! { " · "<span class="badge">{state}</span> })}</p>
                                        </div>
                                        <div class="admin-list__actions">
                                            <a class="button button--quiet" href=format!("/admin/access?user={}", u.id) aria-label=format!("{} {}", tr("Adgangslog for", "Access log of")(), u.name)>{tr("Adgangslog", "Access log")}</a>
                                            <a class="button button--quiet" href=format!("/admin/users/{}", u.id) aria-label=format!("{} {}", tr("Ret", "Change")(), u.name)>{tr("Ret", "Change")}</a>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <a class="button" href="/admin/users/new" data-testid="new-user">{tr("Ny medarbejder", "New staff member")}</a>
                    </section>
                    <section class="admin-page__section" aria-labelledby="citizens-title">
                        <h2 class="section-title" id="citizens-title">{tr("Borgere", "Citizens")}</h2>
                        {d.citizens.is_empty().then(|| view! {
                            <p class="empty">{tr("Ingen borgere endnu – opret dem her, eller importér dem fra fagsystemet nedenfor.", "No citizens yet – create them here, or import them from the case system below.")}</p>
                        })}
                        <ul class="admin-list">
                            {d.citizens.iter().map(|c| {
                                let who: Vec<_> = d.assignments.iter()
                                    .filter(|a| a.citizen_id == c.id && a.period.contains(today))
                                    .map(|a| user_name(&a.user_id)).collect();
                                view! {
                                    <li class="admin-list__item" data-testid="admin-citizen">
                                        <div>
                                            <p class="admin-list__what">{c.input.name.to_string()}{c.input.external_id.as_ref().map(|e| format!(" · {e}"))}</p>
                                            <p class="admin-list__detail">{c.input.benefit_type.label(l)}" · "
                                                {if who.is_empty() { tr("Ingen tilknyttet", "Nobody assigned")().to_owned() } else { who.join(", ") }}</p>
                                        </div>
                                        <div class="admin-list__actions">
                                            <a class="button button--quiet" href=format!("/admin/access?citizen={}", c.id) aria-label=format!("{} {}", tr("Adgangslog for", "Access log of")(), c.input.name)>{tr("Adgangslog", "Access log")}</a>
                                            <a class="button button--quiet" href=format!("/admin/citizens/{}", c.id) aria-label=format!("{} {}", tr("Ret", "Change")(), c.input.name)>{tr("Ret", "Change")}</a>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <a class="button" href="/admin/citizens/new" data-testid="new-citizen">{tr("Ny borger", "New citizen")}</a>
                    </section>
                    <section class="admin-page__section" aria-labelledby="teams-title">
                        <h2 class="section-title" id="teams-title">{tr("Områder og teams", "Areas and teams")}</h2>
                        {d.areas.is_empty().then(|| view! {
                            <p class="empty">{tr("Ingen områder endnu. Start med områderne (fx Socialområdet og Beskæftigelsesområdet), så deres teams.", "No areas yet. Start with the areas (e.g. the social and the employment area), then their teams.")}</p>
                        })}
                        <ul class="admin-list">
                            {d.areas.iter().map(|a| {
                                let teams: Vec<_> = d.teams.iter().filter(|t| t.area.id == a.id).map(|t| (t.id, t.name.to_string())).collect();
                                view! {
                                    <li class="admin-list__item admin-list__item--area" data-testid="admin-area">
                                        <div>
                                            <p class="admin-list__what">{a.name.to_string()}" · "{a.kind.label(l)}</p>
                                            <ul class="admin-list__teams">
                                                {teams.into_iter().map(|(id, name)| view! {
                                                    <li><a href=format!("/admin/teams/{id}") data-testid="admin-team">{name}</a></li>
                                                }).collect_view()}
                                            </ul>
                                        </div>
                                        <a class="button button--quiet" href=format!("/admin/areas/{}", a.id) aria-label=format!("{} {}", tr("Ret", "Change")(), a.name)>{tr("Ret", "Change")}</a>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <div class="admin-page__buttons">
                            <a class="button" href="/admin/teams/new" data-testid="new-team">{tr("Nyt team", "New team")}</a>
                            <a class="button" href="/admin/areas/new" data-testid="new-area">{tr("Nyt område", "New area")}</a>
                        </div>
                    </section>
                }
            }/>
    }
}

/// An administration form: title and the admin-only rule around the kit's
/// frame; saving or cancelling goes back to `/admin`.
#[component]
fn AdminForm(
    title: Signal<&'static str>,
    form: Form,
    on_submit: Callback<()>,
    #[prop(into)] busy: Signal<bool>,
    testid: &'static str,
    /// Whether the fields hold what they should (editing: the record has
    /// loaded); until then they are closed, so nothing typed is overwritten.
    ready: Signal<bool>,
    children: ChildrenFn,
) -> impl IntoView {
    let session = use_session();
    let children = StoredValue::new(children);
    view! {
        <section class="admin-page" aria-labelledby="admin-form-title">
            <h1 class="page-title" id="admin-form-title">{title}</h1>
            <Show when=move || is_admin(&session.get()) fallback=|| view! {
                <p class="notice" role="status">{tr("Kun administratorer har adgang til administration.", "Only administrators have access to administration.")}</p>
            }>
                <FormFrame form=form busy=busy ready=ready on_submit=on_submit testid=testid
                    save_label=tr("Gem", "Save") cancel="/admin">
                    {children.with_value(|c| c())}
                </FormFrame>
            </Show>
        </section>
    }
}

/// The save of an administration form: `PUT /api/admin/<kind>/<id>`;
/// then the change reaches this phone by sync, and the page goes to `to`.
fn put_action<I>(
    form: Form,
    kind: &'static str,
    id: impl std::fmt::Display + Copy + 'static,
    to: String,
) -> Action<I, Result<(), AppError>>
where
    I: serde::Serialize + Clone + 'static,
{
    let navigate = use_navigate();
    form.action(
        move |input: &I| {
            let input = input.clone();
            async move { api::put_admin(kind, id, &input).await }
        },
        move |()| {
            crate::sync::runner::request_sync(false);
            navigate(&to, Default::default());
        },
    )
}

fn param_id<T: std::str::FromStr>(name: &'static str) -> impl Fn() -> Option<T> + Copy {
    let params = use_params_map();
    move || params.read().get(name).and_then(|s| s.parse().ok())
}

#[component]
pub fn AreaFormPage() -> impl IntoView {
    let lang = use_lang();
    let editing = param_id::<AreaId>("id");
    let id = editing().unwrap_or_else(|| AreaId::from_uuid(Uuid::now_v7()));
    let (name, kind) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let form = Form::new();
    let directory = load_directory();
    let ready = fill_once(directory, form, move |d| {
        if let Some(a) = d.areas.iter().find(|a| Some(a.id) == editing()) {
            name.set(a.name.to_string());
            kind.set(a.kind.code().to_owned());
        }
    });
    let save = put_action::<shared::admin::AreaInput>(form, "areas", id, "/admin".into());
    let submit = Callback::new(move |()| {
        form.submit(save, || admin_input::read_area(&name.get_untracked(), &kind.get_untracked()))
    });
    let kinds = Signal::derive(move || {
        AreaKind::ALL.iter().map(|k| (k.code().to_owned(), k.label(lang.get()).to_owned())).collect::<Vec<_>>()
    });
    let title = Signal::derive(move || {
        if editing().is_some() { tr("Ret område", "Change area")() } else { tr("Nyt område", "New area")() }
    });
    let e = move |field| form.error(field);
    view! {
        <AdminForm title=title form=form on_submit=submit busy=save.pending() ready=ready.into() testid="save-area">
            <TextField id="area-name" label=Signal::derive(tr("Navn", "Name")) input_type="text" value=name error=e("name")/>
            <SelectField id="area-kind" label=Signal::derive(tr("Type (betalerreglen læser den)", "Kind (the payer rule reads it)")) value=kind options=kinds error=e("kind")
                placeholder=Signal::derive(tr("Vælg type", "Choose a kind"))/>
        </AdminForm>
    }
}

#[component]
pub fn TeamFormPage() -> impl IntoView {
    let editing = param_id::<TeamId>("id");
    let id = editing().unwrap_or_else(|| TeamId::from_uuid(Uuid::now_v7()));
    let (name, area) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let consultant_team = RwSignal::new(false);
    let form = Form::new();
    let directory = load_directory();
    let ready = fill_once(directory, form, move |d| {
        if let Some(t) = d.teams.iter().find(|t| Some(t.id) == editing()) {
            name.set(t.name.to_string());
            area.set(t.area.id.to_string());
            consultant_team.set(t.consultant_team);
        }
    });
    let areas = move || match directory.get() {
        Some(Ok((d, _))) => d.areas,
        _ => Vec::new(),
    };
    let save = put_action::<shared::admin::TeamInput>(form, "teams", id, "/admin".into());
    let submit = Callback::new(move |()| {
        form.submit(save, || {
            admin_input::read_team(
                &name.get_untracked(),
                &area.get_untracked(),
                consultant_team.get_untracked(),
                &areas(),
            )
        })
    });
    let area_options =
        Signal::derive(move || areas().into_iter().map(|a| (a.id.to_string(), a.name.to_string())).collect::<Vec<_>>());
    let title = Signal::derive(move || {
        if editing().is_some() { tr("Ret team", "Change team")() } else { tr("Nyt team", "New team")() }
    });
    let e = move |field| form.error(field);
    view! {
        <AdminForm title=title form=form on_submit=submit busy=save.pending() ready=ready.into() testid="save-team">
            <TextField id="team-name" label=Signal::derive(tr("Navn", "Name")) input_type="text" value=name error=e("name")/>
            <SelectField id="team-area" label=Signal::derive(tr("Område (kan ikke ændres senere)", "Area (cannot change later)")) value=area options=area_options error=e("area_id")
                placeholder=Signal::derive(tr("Vælg område", "Choose an area"))/>
            <CheckBox id="team-consultants" single=true checked=consultant_team toggle=Callback::new(move |on| consultant_team.set(on))>
                {tr(
                    "Borgerkonsulentteam: kører intensive forløb, og konsulenterne både bevilger og udfører for egne borgere",
                    "Citizen-consultant team: runs intensive courses, and its consultants both grant and deliver for their own citizens",
                )}
            </CheckBox>
        </AdminForm>
    }
}

#[component]
pub fn UserFormPage() -> impl IntoView {
    let lang = use_lang();
    let editing = param_id::<UserId>("id");
    let id = editing().unwrap_or_else(|| UserId::from_uuid(Uuid::now_v7()));
    let username = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let roles = RwSignal::new(Vec::<Role>::new());
    let teams = RwSignal::new(Vec::<TeamId>::new());
    let areas = RwSignal::new(Vec::<AreaId>::new());
    let active = RwSignal::new(true);
    let password = RwSignal::new(String::new());
    let course_post = RwSignal::new(String::new());
    let form = Form::new();
    let directory = load_directory();
    let ready = fill_once(directory, form, move |d| {
        if let Some(u) = d.users.iter().find(|u| Some(u.id) == editing()) {
            username.set(u.username.to_string());
            name.set(u.name.to_string());
            roles.set(u.roles.clone());
            teams.set(u.team_ids.clone());
            areas.set(u.area_ids.clone());
            active.set(u.active);
            course_post.set(u.course_post.map(|p| p.to_string()).unwrap_or_default());
        }
    });
    let save = put_action::<shared::admin::UserInput>(form, "users", id, "/admin".into());
    let submit = Callback::new(move |()| {
        let typed = UserForm {
            username: username.get_untracked(),
            name: name.get_untracked(),
            roles: roles.get_untracked(),
            teams: teams.get_untracked(),
            areas: areas.get_untracked(),
            active: active.get_untracked(),
            temporary_password: password.get_untracked(),
            course_post: course_post.get_untracked(),
        };
        form.submit(save, || admin_input::read_user(&typed, editing().is_none()));
    });
    let all_teams = move || match directory.get() {
        Some(Ok((d, _))) => d.teams,
        _ => Vec::new(),
    };
    let all_areas = move || match directory.get() {
        Some(Ok((d, _))) => d.areas,
        _ => Vec::new(),
    };
    let heads_areas = move || roles.with(|rs| rs.contains(&Role::AreaHead));
    let consults = move || {
        let consultant_teams: Vec<TeamId> = all_teams().iter().filter(|t| t.consultant_team).map(|t| t.id).collect();
        teams.with(|ts| ts.iter().any(|t| consultant_teams.contains(t)))
    };
    let title = Signal::derive(move || {
        if editing().is_some() {
            tr("Ret medarbejder", "Change staff member")()
        } else {
            tr("Ny medarbejder", "New staff member")()
        }
    });
    let e = move |field| form.error(field);
    let team_error = form.error_under("team_ids");
    let area_error = form.error_under("area_ids");
    let password_label = Signal::derive(move || {
        if editing().is_some() {
            tr("Ny midlertidig adgangskode (tom: behold)", "New temporary password (empty: keep)")()
        } else {
            tr("Midlertidig adgangskode", "Temporary password")()
        }
    });
    view! {
        <AdminForm title=title form=form on_submit=submit busy=save.pending() ready=ready.into() testid="save-user">
            <TextField id="user-name" label=Signal::derive(tr("Navn", "Name")) input_type="text" value=name error=e("name")/>
            <TextField id="user-username" label=Signal::derive(tr("Brugernavn", "Username")) input_type="text" value=username error=e("username")/>
            <fieldset class="field checks" aria-describedby="user-roles-error">
                <legend class="field__label">{tr("Roller", "Roles")}</legend>
                {Role::ALL.into_iter().map(|r| view! {
                    <label class="checks__option">
                        <input type="checkbox" name="roles" value=r.code()
                            prop:checked=move || roles.with(|rs| rs.contains(&r))
                            on:change:target=move |ev| {
                                let on = ev.target().checked();
                                roles.update(|rs| { rs.retain(|x| *x != r); if on { rs.push(r); rs.sort(); } });
                            }/>
                        <span>{move || r.label(lang.get())}</span>
                    </label>
                }).collect_view()}
                <p class="field__error" id="user-roles-error">{form.error_at("roles", tr("Roller", "Roles"))}</p>
            </fieldset>
            <fieldset class="field checks" aria-describedby="user-teams-error">
                <legend class="field__label">{tr("Teams", "Teams")}</legend>
                {move || all_teams().into_iter().map(|t| {
                    let tid = t.id;
                    view! {
                        <label class="checks__option">
                            <input type="checkbox" name="teams" value=tid.to_string()
                                prop:checked=move || teams.with(|ts| ts.contains(&tid))
                                on:change:target=move |ev| {
                                    let on = ev.target().checked();
                                    teams.update(|ts| { ts.retain(|x| *x != tid); if on { ts.push(tid); ts.sort(); } });
                                }/>
                            <span>{format!("{} · {}", t.name, t.area.name)}</span>
                        </label>
                    }
                }).collect_view()}
                <p class="field__error" id="user-teams-error">{move || team_error.get().map(|r| r.at(tr("Teams", "Teams")()))}</p>
            </fieldset>
            <fieldset class="field checks" aria-describedby="user-areas-error" hidden=move || !heads_areas()>
                <legend class="field__label">{tr("Områder (som områdeleder)", "Areas (as area head)")}</legend>
                {move || all_areas().into_iter().map(|a| {
                    let aid = a.id;
                    view! {
                        <label class="checks__option">
                            <input type="checkbox" name="areas" value=aid.to_string()
                                prop:checked=move || areas.with(|xs| xs.contains(&aid))
                                on:change:target=move |ev| {
                                    let on = ev.target().checked();
                                    areas.update(|xs| { xs.retain(|x| *x != aid); if on { xs.push(aid); xs.sort(); } });
                                }/>
                            <span>{a.name.to_string()}</span>
                        </label>
                    }
                }).collect_view()}
                <p class="field__error" id="user-areas-error">{move || area_error.get().map(|r| r.at(tr("Områder", "Areas")()))}</p>
            </fieldset>
            <div hidden=move || !consults()>
                <TextField id="user-course-post" label=Signal::derive(tr("Stilling som borgerkonsulent (% af fuld tid)", "Post as citizen consultant (% of full time)"))
                    input_type="text" value=course_post error=e("course_post")
                    hint=Signal::derive(tr("F.eks. 50 for halv tid (tom: halv tid). Giver højst 10 borgere i forløb pr. halv stilling.", "E.g. 50 for half time (empty: half time). Carries at most 10 citizens in courses per half post."))/>
            </div>
            <label class="checks__option checks__option--single">
                <input type="checkbox" id="user-active" prop:checked=move || active.get() on:change:target=move |ev| active.set(ev.target().checked())/>
                <span>{tr("Aktiv (en deaktiveret medarbejder logges ud med det samme)", "Active (a deactivated staff member is logged out at once)")}</span>
            </label>
            <TextField id="user-password" label=password_label input_type="password" value=password error=e("temporary_password") autocomplete="new-password"/>
            <p class="field__hint">{tr("Mindst 10 tegn. Medarbejderen vælger sin egen ved første login.", "At least 10 characters. The staff member chooses their own at first login.")}</p>
        </AdminForm>
    }
}

#[component]
pub fn CitizenFormPage() -> impl IntoView {
    let lang = use_lang();
    let editing = param_id::<CitizenId>("id");
    let id = editing().unwrap_or_else(|| CitizenId::from_uuid(Uuid::now_v7()));
    let name = RwSignal::new(String::new());
    let birth = RwSignal::new(String::new());
    let benefit_type = RwSignal::new(String::new());
    let coordinator = RwSignal::new(String::new());
    let external_id = RwSignal::new(String::new());
    let form = Form::new();
    let directory = load_directory();
    let ready = fill_once(directory, form, move |d| {
        if let Some(c) = d.citizens.iter().find(|c| Some(c.id) == editing()) {
            let f = CitizenForm::from_input(&c.input);
            name.set(f.name);
            birth.set(f.birth);
            benefit_type.set(f.benefit_type);
            coordinator.set(f.coordinator);
            external_id.set(f.external_id);
        }
    });
    // A new citizen's next step is assigning them.
    let save = put_action::<shared::admin::CitizenInput>(form, "citizens", id, format!("/admin/citizens/{id}"));
    let submit = Callback::new(move |()| {
        let typed = CitizenForm {
            name: name.get_untracked(),
            birth: birth.get_untracked(),
            benefit_type: benefit_type.get_untracked(),
            coordinator: coordinator.get_untracked(),
            external_id: external_id.get_untracked(),
        };
        form.submit(save, || admin_input::read_citizen(&typed, crate::clock::now().local_date()));
    });
    let benefits = Signal::derive(move || {
        BenefitType::ALL.iter().map(|b| (b.code().to_owned(), b.label(lang.get()).to_owned())).collect::<Vec<_>>()
    });
    let coordinators = Signal::derive(move || match directory.get() {
        Some(Ok((d, _))) => d
            .users
            .iter()
            .filter(|u| u.active && u.roles.contains(&Role::Coordinator))
            .map(|u| (u.id.to_string(), u.name.to_string()))
            .collect(),
        _ => Vec::new(),
    });
    let title = Signal::derive(move || {
        if editing().is_some() { tr("Ret borger", "Change citizen")() } else { tr("Ny borger", "New citizen")() }
    });
    let e = move |field| form.error(field);
    view! {
        <AdminForm title=title form=form on_submit=submit busy=save.pending() ready=ready.into() testid="save-citizen">
            <TextField id="citizen-name" label=Signal::derive(tr("Navn", "Name")) input_type="text" value=name error=e("name")/>
            <TextField id="citizen-birth" label=Signal::derive(tr("Fødselsdato (eller fødselsår)", "Birth date (or year of birth)")) input_type="text" value=birth error=e("birth")
                hint=Signal::derive(tr("Fx 12.03.1988. Kendes kun året, skriv 1988: alderen regnes så fra 1. juli og markeres som skøn.", "E.g. 12.03.1988. If only the year is known, write 1988: the age is then counted from 1 July and marked as an estimate."))/>
            <SelectField id="citizen-benefit" label=Signal::derive(tr("Ydelse (afgør, hvem der betaler)", "Benefit (decides who pays)")) value=benefit_type options=benefits error=e("benefit_type")
                placeholder=Signal::derive(tr("Vælg ydelse", "Choose a benefit"))/>
            <SelectField id="citizen-coordinator" label=Signal::derive(tr("Koordinerende sagsbehandler", "Coordinating case worker")) value=coordinator options=coordinators error=e("coordinator_id")
                placeholder=Signal::derive(tr("Ingen", "None"))/>
            <TextField id="citizen-external-id" label=Signal::derive(tr("Sagsnummer i fagsystemet (valgfrit)", "Case id in the case system (optional)")) input_type="text" value=external_id error=e("external_id")/>
        </AdminForm>
        {move || editing().map(|citizen| view! {
            <Assignments citizen=citizen directory=directory/>
            <section class="admin-page admin-page__section">
                <a class="button" href=format!("/api/admin/citizens/{citizen}/export") download="" data-testid="export-citizen">
                    {tr("Hent borgerens samlede data (JSON)", "Download the citizen's complete data (JSON)")}
                </a>
            </section>
        })}
    }
}

/// Who works with a citizen: the assignments, ending one, adding one.
#[component]
fn Assignments(citizen: CitizenId, directory: Directory) -> impl IntoView {
    let lang = use_lang();
    let user = RwSignal::new(String::new());
    let from = RwSignal::new(now().local_date().to_string());
    let to = RwSignal::new(String::new());
    let form = Form::new();
    let reload = move || {
        crate::sync::runner::request_sync(false);
        directory.refetch();
    };
    // Adding, ending (a last day) and removing one that has not begun.
    let write = form.action(
        move |(id, input): &(AssignmentId, Option<shared::admin::AssignmentInput>)| {
            let (id, input) = (*id, input.clone());
            async move {
                match input {
                    Some(input) => api::put_admin("assignments", id, &input).await,
                    None => api::delete_admin("assignments", id).await,
                }
            }
        },
        move |()| {
            user.set(String::new());
            reload();
        },
    );
    let busy = write.pending();
    let add = Callback::new(move |()| {
        form.submit(write, || {
            admin_input::read_assignment(citizen, &user.get_untracked(), &from.get_untracked(), &to.get_untracked())
                .map(|input| (AssignmentId::from_uuid(Uuid::now_v7()), Some(input)))
        })
    });
    let e = move |field| form.error(field);
    let users = Signal::derive(move || match directory.get() {
        Some(Ok((d, _))) => d
            .users
            .iter()
            .filter(|u| u.active)
            .map(|u| (u.id.to_string(), format!("{} ({})", u.name, u.username)))
            .collect(),
        _ => Vec::new(),
    });
    view! {
        <section class="admin-page admin-page__section" aria-labelledby="assignments-title">
            <h2 class="section-title" id="assignments-title">{tr("Tilknyttede medarbejdere", "Assigned staff")}</h2>
            <ul class="admin-list">
                {move || {
                    let Some(Ok((d, _))) = directory.get() else { return Vec::new() };
                    let today = now().local_date();
                    d.assignments.iter().filter(|a| a.citizen_id == citizen).map(|a| {
                        let who = d.users.iter().find(|u| u.id == a.user_id).map(|u| u.name.to_string()).unwrap_or_default();
                        let l = lang.get();
                        let period = match a.period.to() {
                            Some(t) => format!("{}–{}", a.period.from().format(l), t.format(l)),
                            None => format!("{} {}", tr("fra", "from")(), a.period.from().format(l)),
                        };
                        let running = a.period.to().is_none_or(|t| t >= today);
                        let (aid, cid, uid, start) = (a.id, a.citizen_id, a.user_id, a.period.from());
                        view! {
                            <li class="admin-list__item" data-testid="admin-assignment">
                                <div>
                                    <p class="admin-list__what">{who.clone()}</p>
                                    <p class="admin-list__detail">{period}</p>
                                </div>
                                {running.then(|| {
                                    // One that has not run yet is a mistake to undo; one
                                    // that has gets yesterday as its last day, so the
                                    // citizen leaves the worker's phone at its next sync
                                    // and the history of who worked with whom stays.
                                    let undo = start >= today;
                                    let label = if undo { tr("Fjern tilknytning for", "Remove the assignment of")() } else { tr("Afslut tilknytning for", "End the assignment of")() };
                                    view! {
                                        <button type="button" class="button button--quiet" disabled=move || busy.get()
                                            aria-label=format!("{label} {who}")
                                            on:click=move |_| {
                                                if undo {
                                                    form.submit(write, || Ok((aid, None)));
                                                } else {
                                                    let last = now().local_date().add_days(-1).max(start);
                                                    form.submit(write, || {
                                                        let period = shared::time::DateRange::new(start, Some(last)).map_err(|e| vec![e])?;
                                                        Ok((aid, Some(shared::admin::AssignmentInput { citizen_id: cid, user_id: uid, period })))
                                                    });
                                                }
                                            }>
                                            {if undo { tr("Fjern", "Remove")() } else { tr("Afslut", "End")() }}
                                        </button>
                                    }
                                })}
                            </li>
                        }
                    }).collect::<Vec<_>>()
                }}
            </ul>
            <FormFrame form=form busy=busy ready=true on_submit=add testid="add-assignment" save_label=tr("Tilknyt", "Assign")>
                <SelectField id="assign-user" label=Signal::derive(tr("Medarbejder", "Staff member")) value=user options=users error=e("user_id")
                    placeholder=Signal::derive(tr("Vælg medarbejder", "Choose a staff member"))/>
                <TextField id="assign-from" label=Signal::derive(tr("Fra", "From")) input_type="date" value=from error=e("valid_from")/>
                <TextField id="assign-to" label=Signal::derive(tr("Til (tom: indtil videre)", "Until (empty: until further notice)")) input_type="date" value=to error=e("valid_to")/>
            </FormFrame>
        </section>
    }
}
