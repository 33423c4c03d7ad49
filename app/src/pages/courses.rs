//! Intensive courses (issue 15, seed 002's citizen-consultant model).
//!
//! - [`CitizenCourses`]: on the citizen's page, for a lead, a member of a
//!   consultant team or an administrator: the citizen's courses and a way
//!   to start one.
//! - [`CoursePage`] (`/citizens/:id/courses/new`, `…/:course`): a course's
//!   facts, half-yearly statuses and the form that starts, changes or ends
//!   it; ticking a consultant who would carry more than ten citizens per
//!   half post warns before the save.
//! - [`CoursesPage`] (`/courses`): the courses a lead (or consultant)
//!   follows over a period, each team's outcomes ("5 i arbejde, 19 i
//!   uddannelse") and its consultants' caseloads.
//!
//! Courses are written online; a course read once is kept on the phone and
//! shown offline as of then.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::course::{CitizenCourses as Courses, Course, CourseTeam, CoursesResponse, Outcome};
use shared::user::Role;
use shared::{CitizenId, CourseId, CourseStatusId, Date, Lang};
use uuid::Uuid;

use crate::api;
use crate::clock::now;
use crate::components::form::{Form, FormFrame};
use crate::components::loaded::{Fetched, Loaded};
use crate::components::text_field::{CheckBox, SelectField, TextArea, TextField, member_of};
use crate::course_input::{CourseForm, read_course, read_status};
use crate::data::fetch_or_cached;
use crate::i18n::{tr, use_lang};
use crate::state::Session;

/// Whether the session's user follows courses: an administrator, a lead,
/// or a member of a consultant team.
pub fn follows_courses(session: &Session) -> bool {
    match session {
        Session::LoggedIn(me) => me.has_role(Role::Admin) || me.has_role(Role::Lead) || me.in_consultant_team(),
        _ => false,
    }
}

fn cache_key(citizen: CitizenId) -> String {
    format!("courses:{citizen}")
}

/// The citizen's courses as the phone has them: fetched when online (and
/// kept), the last copy offline.
pub(crate) async fn citizen_courses_now(citizen: CitizenId) -> Fetched<Courses> {
    fetch_or_cached(&cache_key(citizen), api::citizen_courses(citizen)).await
}

fn citizen_courses(citizen: CitizenId) -> LocalResource<Fetched<Courses>> {
    LocalResource::new(move || citizen_courses_now(citizen))
}

/// A course's period and state in a line: "01.12.2026–30.11.2027 · kører",
/// "… · planlagt" before its first day (`today`, Copenhagen), "… ·
/// afsluttet 30.06.2027: I uddannelse".
pub(crate) fn course_line(c: &Course, today: Date, l: Lang) -> String {
    let state = match &c.input.ended {
        Some(e) => format!("{} {}: {}", l.pick("afsluttet", "ended"), e.on.format(l), e.outcome.label().get(l)),
        None if c.input.started_on > today => l.pick("planlagt", "planned").to_owned(),
        None => l.pick("kører", "running").to_owned(),
    };
    format!("{}–{} · {state}", c.input.started_on.format(l), c.input.planned_end_on.format(l))
}

/// "Halvårsstatus skyldes siden 01.06.2027" when due by `today`, else when
/// it is next due; nothing for an ended course.
fn status_due_line(c: &Course, today: Date, l: Lang) -> Option<(bool, String)> {
    let due = c.status_due()?;
    let overdue = due <= today;
    let text = match (overdue, l) {
        (true, Lang::Da) => format!("Halvårsstatus mangler (forfalden {})", due.format(l)),
        (true, Lang::En) => format!("Half-yearly status missing (due {})", due.format(l)),
        (false, Lang::Da) => format!("Næste halvårsstatus senest {}", due.format(l)),
        (false, Lang::En) => format!("Next half-yearly status by {}", due.format(l)),
    };
    Some((overdue, text))
}

/// One course in a list: `title` links to its page, `detail` follows it;
/// its period and state, and the next half-yearly status (overdue in the
/// warning colour).
#[component]
fn CourseItem(course: Course, title: String, #[prop(optional)] detail: Option<String>, today: Date) -> impl IntoView {
    let l = use_lang().get_untracked();
    let due = status_due_line(&course, today, l);
    view! {
        <li class="card course" data-testid="course">
            <p class="course__what">
                <a href=format!("/citizens/{}/courses/{}", course.input.citizen_id, course.id)>{title}</a>
                {detail.map(|d| format!(" · {d}"))}
            </p>
            <p class="course__period" data-testid="course-line">{course_line(&course, crate::clock::now().local_date(), l)}</p>
            {due.map(|(overdue, text)| view! { <p class="course__due" data-overdue=overdue.to_string()>{text}</p> })}
        </li>
    }
}

/// The citizen's courses on their page (see the module).
#[component]
pub fn CitizenCourses(citizen: CitizenId) -> impl IntoView {
    let lang = use_lang();
    let resource = citizen_courses(citizen);
    let show = move |c: Courses| {
        // Each item says its course in the language chosen now.
        lang.track();
        let today = now().local_date();
        let may_write = c.may_write;
        view! {
            {if c.courses.is_empty() {
                view! { <p class="empty">{tr("Ingen intensive forløb.", "No intensive courses.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="course-list">
                        {c.courses.into_iter().map(|course| {
                            let title = format!("{} · {}", course.team_name, course.consultants_said());
                            view! { <CourseItem course=course title=title today=today/> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {may_write.then(|| view! {
                <a class="button" href=format!("/citizens/{citizen}/courses/new") data-testid="new-course">{tr("Start intensivt forløb", "Start an intensive course")}</a>
            })}
        }
    };
    view! {
        <section aria-labelledby="courses-title">
            <h2 class="section-title" id="courses-title">{tr("Intensive forløb", "Intensive courses")}</h2>
            <Loaded resource=resource what=("forløbene", "the courses") show=show/>
        </section>
    }
}

/// The consultants a team offers as `(id, "Name · 9 borgere · 50 %")`.
fn consultant_label(c: &shared::course::ConsultantLoad, l: Lang) -> String {
    match l {
        Lang::Da => format!("{} · {} borgere i forløb · {} % stilling", c.name, c.citizens, c.post),
        Lang::En => format!("{} · {} citizens in courses · {}% post", c.name, c.citizens, c.post),
    }
}

#[component]
pub fn CoursePage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let citizen = params.with_untracked(|p| p.get("id").and_then(|s| s.parse::<CitizenId>().ok()));
    let editing = params.with_untracked(|p| p.get("course").and_then(|s| s.parse::<CourseId>().ok()));
    let id = editing.unwrap_or_else(|| CourseId::from_uuid(Uuid::now_v7()));
    let session = crate::state::use_session();
    let today = now().local_date();
    let typed = RwSignal::new(CourseForm {
        started_on: today.to_string(),
        planned_end_on: today.add_months(shared::course::MAX_MONTHS).add_days(-1).to_string(),
        ..CourseForm::default()
    });
    let (team, started_on, planned_end_on, offer, ended_on, outcome, end_note) = (
        RwSignal::new(String::new()),
        RwSignal::new(typed.get_untracked().started_on),
        RwSignal::new(typed.get_untracked().planned_end_on),
        RwSignal::new(String::new()),
        RwSignal::new(today.to_string()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let consultants = RwSignal::new(Vec::new());
    let goals = RwSignal::new(Vec::new());
    let ended = RwSignal::new(false);
    let loaded = RwSignal::new(None::<Courses>);
    let offers = RwSignal::new(Vec::<(String, String)>::new());
    let ready = RwSignal::new(false);
    let form = Form::new();
    form.load(
        move || async move {
            let citizen = citizen.ok_or_else(|| {
                crate::error::AppError::Invalid(vec![shared::ValidationError::new(
                    "citizen_id",
                    shared::Problem::NotFound,
                )])
            })?;
            let courses = api::citizen_courses(citizen).await?;
            let catalogue = api::offers(false).await?;
            Ok((courses, catalogue))
        },
        move |(c, catalogue): (Courses, shared::offer::OffersResponse)| {
            offers.set(catalogue.offers.iter().map(|o| (o.id.to_string(), o.input.name.to_string())).collect());
            if let Some(course) = editing.and_then(|id| c.courses.iter().find(|x| x.id == id)) {
                let i = &course.input;
                team.set(i.team_id.to_string());
                started_on.set(i.started_on.to_string());
                planned_end_on.set(i.planned_end_on.to_string());
                offer.set(i.offer_id.map(|o| o.to_string()).unwrap_or_default());
                consultants.set(i.consultants.clone());
                goals.set(i.goals.clone());
                if let Some(e) = &i.ended {
                    ended.set(true);
                    ended_on.set(e.on.to_string());
                    outcome.set(e.outcome.code().to_owned());
                    end_note.set(e.note.to_string());
                }
            } else {
                // A new course: the only team, or the opening consultant's
                // own, with them ticked (issue 15's walk: a consultant
                // starting a course is on it).
                let me = match session.get_untracked() {
                    Session::LoggedIn(me) => Some(me.id),
                    _ => None,
                };
                let consults = |t: &CourseTeam| t.consultants.iter().any(|k| Some(k.user_id) == me);
                let chosen = match &c.teams[..] {
                    [only] => Some(only),
                    teams => teams.iter().find(|t| consults(t)),
                };
                if let Some(t) = chosen {
                    team.set(t.id.to_string());
                    if let Some(me) = me.filter(|_| consults(t)) {
                        consultants.set(vec![me]);
                    }
                }
            }
            loaded.set(Some(c));
            ready.set(true);
        },
    );
    let course = move || {
        loaded.with(|c| c.as_ref().and_then(|c| editing.and_then(|id| c.courses.iter().find(|x| x.id == id).cloned())))
    };
    // The status form stays while a status is added; it only needs the
    // course's dates.
    let course_input = Memo::new(move |_| course().map(|c| c.input));
    let status_saved = Callback::new(move |saved: Course| {
        loaded.update(|c| {
            if let Some(old) = c.as_mut().and_then(|c| c.courses.iter_mut().find(|x| x.id == saved.id)) {
                *old = saved;
            }
        })
    });
    let the_team = move || -> Option<CourseTeam> {
        let t = team.get();
        loaded.with(|c| c.as_ref().and_then(|c| c.teams.iter().find(|x| x.id.to_string() == t).cloned()))
    };
    // The warning before the save: a consultant ticked who is not on the
    // course yet and would carry more than the post's citizens.
    let warnings = move || {
        let l = lang.get();
        let before: Vec<_> = course().map(|c| c.input.consultants).unwrap_or_default();
        let Some(t) = the_team() else { return Vec::new() };
        consultants.with(|chosen| {
            t.consultants
                .iter()
                .filter(|c| chosen.contains(&c.user_id) && !before.contains(&c.user_id))
                .filter_map(|c| c.warning(1).map(|w| w.get(l).to_owned()))
                .collect::<Vec<_>>()
        })
    };
    let navigate = use_navigate();
    let back = citizen.map(|c| format!("/citizens/{c}")).unwrap_or_else(|| "/citizens".into());
    let after = back.clone();
    let save = form.action(
        move |input: &shared::course::CourseInput| {
            let input = input.clone();
            async move { api::put_course(id, &input).await }
        },
        move |_: Course| navigate(&after, Default::default()),
    );
    let submit = Callback::new(move |()| {
        let Some(citizen) = citizen else { return };
        let others = loaded.with_untracked(|c| c.as_ref().map(|c| c.courses.clone()).unwrap_or_default());
        let f = CourseForm {
            team: team.get_untracked(),
            consultants: consultants.get_untracked(),
            started_on: started_on.get_untracked(),
            planned_end_on: planned_end_on.get_untracked(),
            offer: offer.get_untracked(),
            goals: goals.get_untracked(),
            ended: ended.get_untracked(),
            ended_on: ended_on.get_untracked(),
            outcome: outcome.get_untracked(),
            end_note: end_note.get_untracked(),
        };
        form.submit(save, || read_course(&f, id, citizen, &others, now().local_date()));
    });
    let team_options = Signal::derive(move || {
        loaded.with(|c| {
            c.as_ref().map(|c| c.teams.iter().map(|t| (t.id.to_string(), t.name.clone())).collect()).unwrap_or_default()
        })
    });
    let outcome_options = Signal::derive(move || {
        let l = lang.get();
        Outcome::ALL.iter().map(|o| (o.code().to_owned(), o.label().get(l).to_owned())).collect::<Vec<_>>()
    });
    let latest_hint = Signal::derive(tr("Højst et år fra starten.", "At most a year from the start."));
    let title = move || match (editing.is_some(), lang.get()) {
        (true, l) => l.pick("Intensivt forløb", "Intensive course"),
        (false, l) => l.pick("Start intensivt forløb", "Start an intensive course"),
    };
    let citizen_name = move || course().map(|c| c.citizen_name);
    view! {
        <section class="admin-page course-page" aria-labelledby="course-title">
            <h1 class="page-title" id="course-title">{title}</h1>
            {move || citizen_name().map(|n| view! { <p class="lead-page__as-of">{n}</p> })}
            {move || course().map(|c| view! { <CourseFacts course=c/> })}
            {move || editing.zip(course_input.get()).map(|(id, input)| view! { <StatusForm id=id input=input on_saved=status_saved/> })}
            <h2 class="section-title">{move || if editing.is_some() { tr("Ret eller afslut forløbet", "Change or end the course")() } else { tr("Forløbet", "The course")() }}</h2>
            <FormFrame form=form busy=save.pending() ready=ready on_submit=submit testid="save-course"
                save_label=tr("Gem forløbet", "Save the course") cancel=back.clone()>
                <SelectField id="course-team" label=Signal::derive(tr("Borgerkonsulentteam", "Citizen-consultant team")) value=team options=team_options error=form.error("team_id")
                    placeholder=Signal::derive(tr("Vælg team", "Choose a team"))/>
                <fieldset class="field checks" aria-describedby="course-consultants-error">
                    <legend class="field__label">{tr("Borgerkonsulenter", "Citizen consultants")}</legend>
                    {move || the_team().map(|t| t.consultants).unwrap_or_default().into_iter().map(|c| {
                        let (checked, toggle) = member_of(consultants, c.user_id);
                        let label = consultant_label(&c, lang.get());
                        view! { <CheckBox id=format!("consultant-{}", c.user_id) checked=checked toggle=toggle>{label}</CheckBox> }
                    }).collect_view()}
                    <p class="field__error" id="course-consultants-error">{form.error_at("consultants", tr("Borgerkonsulenter", "Citizen consultants"))}</p>
                </fieldset>
                {move || {
                    let w = warnings();
                    (!w.is_empty()).then(|| view! {
                        <div class="notice notice--warning" role="status" data-testid="caseload-warning">
                            {w.into_iter().map(|line| view! { <p>{line}</p> }).collect_view()}
                        </div>
                    })
                }}
                <TextField id="course-start" label=Signal::derive(tr("Forløbets start", "The course's start")) input_type="date" value=started_on error=form.error("started_on")/>
                <TextField id="course-end" label=Signal::derive(tr("Planlagt slut", "Planned end")) input_type="date" value=planned_end_on error=form.error("planned_end_on")
                    hint=latest_hint/>
                <SelectField id="course-offer" label=Signal::derive(tr("Tilbud fra kataloget (valgfrit)", "Offer from the catalogue (optional)")) value=offer options=offers error=form.error("offer_id")
                    placeholder=Signal::derive(tr("Intet tilbud valgt", "No offer chosen"))/>
                <fieldset class="field checks" aria-describedby="course-goals-error">
                    <legend class="field__label">{tr("Mål i borgerens plan, som forløbet arbejder med", "Goals of the citizen's plan the course works on")}</legend>
                    {move || {
                        let all = loaded.with(|c| c.as_ref().map(|c| c.goals.clone()).unwrap_or_default());
                        if all.is_empty() {
                            return view! { <p class="field__hint">{tr("Borgerens plan har ingen mål endnu.", "The citizen's plan has no goals yet.")}</p> }.into_any();
                        }
                        all.into_iter().map(|g| {
                            let (checked, toggle) = member_of(goals, g.id);
                            view! { <CheckBox id=format!("course-goal-{}", g.id) checked=checked toggle=toggle>{g.name}</CheckBox> }
                        }).collect_view().into_any()
                    }}
                    <p class="field__error" id="course-goals-error">{form.error_at("goals", tr("Mål i borgerens plan", "Goals of the citizen's plan"))}</p>
                </fieldset>
                <CheckBox id="course-ended" single=true checked=ended toggle=Callback::new(move |on| ended.set(on))>
                    {tr("Forløbet er afsluttet", "The course has ended")}
                </CheckBox>
                <div hidden=move || !ended.get()>
                    <TextField id="course-ended-on" label=Signal::derive(tr("Afsluttet den", "Ended on")) input_type="date" value=ended_on error=form.error("ended_on")/>
                    <SelectField id="course-outcome" label=Signal::derive(tr("Resultat", "Outcome")) value=outcome options=outcome_options error=form.error("outcome")
                        placeholder=Signal::derive(tr("Vælg resultat", "Choose an outcome"))/>
                    <TextArea id="course-end-note" label=Signal::derive(tr("Bemærkning (valgfri)", "Note (optional)")) value=end_note error=form.error("end_note") rows=2 max_chars=shared::text::Note::MAX_CHARS/>
                </div>
            </FormFrame>
        </section>
    }
}

/// A course's facts and its statuses, oldest first.
#[component]
fn CourseFacts(course: Course) -> impl IntoView {
    let lang = use_lang();
    let l = lang.get_untracked();
    let today = now().local_date();
    let due = status_due_line(&course, today, l);
    view! {
        <div class="card course-facts" data-testid="course-facts">
            <p>{format!("{} · {}", course.team_name, course.consultants_said())}</p>
            <p data-testid="course-line">{course_line(&course, crate::clock::now().local_date(), l)}</p>
            {course.offer_name.clone().map(|o| view! { <p>{format!("{}: {o}", l.pick("Tilbud", "Offer"))}</p> })}
            {due.map(|(overdue, text)| view! { <p class="course__due" data-overdue=overdue.to_string()>{text}</p> })}
            <h2 class="section-title">{tr("Halvårsstatus", "Half-yearly status")}</h2>
            {if course.statuses.is_empty() {
                view! { <p class="empty">{tr("Ingen status endnu.", "No status yet.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="course-statuses">
                        {course.statuses.iter().map(|s| view! {
                            <li data-testid="course-status"><strong>{s.input.on.format(l)}</strong>" · "{s.by_name.clone()}<br/>{s.input.note.to_string()}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </div>
    }
}

/// Adds a half-yearly status to course `id` (of `input`'s dates);
/// `on_saved` gets the course as it is then.
#[component]
fn StatusForm(id: CourseId, input: shared::course::CourseInput, on_saved: Callback<Course>) -> impl IntoView {
    // A course not begun yet has nothing to tell (issue 15's walk: the
    // form offered today, before the start, bound to be refused).
    let starts = input.started_on;
    if starts > now().local_date() {
        let lang = use_lang();
        return view! {
            <h2 class="section-title">{tr("Halvårsstatus", "Half-yearly status")}</h2>
            <p class="field__hint" data-testid="status-later">{move || match lang.get() {
                Lang::Da => format!("Status skrives, når forløbet er begyndt ({}).", starts.format(Lang::Da)),
                Lang::En => format!("The status is written once the course has begun ({}).", starts.format(Lang::En)),
            }}</p>
        }
        .into_any();
    }
    let on = RwSignal::new(now().local_date().to_string());
    let note = RwSignal::new(String::new());
    let status_id = RwSignal::new(CourseStatusId::from_uuid(Uuid::now_v7()));
    let form = Form::new();
    let saved = RwSignal::new(false);
    let save = form.action(
        move |s: &shared::course::CourseStatusInput| {
            let s = s.clone();
            async move { api::add_course_status(id, &s).await }
        },
        move |c: Course| {
            note.set(String::new());
            status_id.set(CourseStatusId::from_uuid(Uuid::now_v7()));
            saved.set(true);
            on_saved.run(c);
        },
    );
    let submit = Callback::new(move |()| {
        let input = input.clone();
        form.submit(save, move || {
            read_status(
                status_id.get_untracked(),
                &on.get_untracked(),
                &note.get_untracked(),
                &input,
                now().local_date(),
            )
        });
    });
    view! {
        <h2 class="section-title">{tr("Ny halvårsstatus", "New half-yearly status")}</h2>
        <p class="notice" role="status" data-testid="status-saved" hidden=move || !saved.get()>{tr("Status gemt.", "Status saved.")}</p>
        <FormFrame form=form busy=save.pending() ready=true on_submit=submit testid="save-status" save_label=tr("Gem status", "Save status")>
            <TextField id="status-on" label=Signal::derive(tr("Dato", "Date")) input_type="date" value=on error=form.error("on")/>
            <TextArea id="status-note" label=Signal::derive(tr("Hvordan går det med borgerens mål?", "How is the citizen getting on with the goals?")) value=note error=form.error("note") rows=3 max_chars=shared::text::CourseStatusNote::MAX_CHARS/>
        </FormFrame>
    }
    .into_any()
}

/// The lead's courses over a period (see the module).
#[component]
pub fn CoursesPage() -> impl IntoView {
    let lang = use_lang();
    let today = now().local_date();
    let from_typed = RwSignal::new(Date::new(today.year(), 1, 1).unwrap_or(today).to_string());
    let to_typed = RwSignal::new(today.to_string());
    let period = RwSignal::new((Date::new(today.year(), 1, 1).unwrap_or(today), today));
    let form = Form::new();
    let list: LocalResource<Fetched<CoursesResponse>> = LocalResource::new(move || {
        let (from, to) = period.get();
        async move { fetch_or_cached(&format!("courses:{from}:{to}"), api::courses(from, to)).await }
    });
    let show_period = Callback::new(move |()| {
        let read = || {
            let mut r = crate::plan_input::Reader::default();
            let from = r.date("from", &from_typed.get_untracked(), true).flatten();
            let to = r.date("to", &to_typed.get_untracked(), true).flatten();
            if let (Some(f), Some(t)) = (from, to)
                && t < f
            {
                r.refuse(shared::ValidationError::new("to", shared::Problem::BeforeStartDay));
            }
            r.done(from.zip(to))
        };
        if let Some(p) = form.read(read) {
            period.set(p);
        }
    });
    let show = move |c: CoursesResponse| {
        let l = lang.get();
        view! {
            {c.teams.iter().map(|t| {
                let figures = c.outcomes.iter().find(|o| o.team_id == t.id).cloned();
                let courses: Vec<Course> = c.courses.iter().filter(|x| x.input.team_id == t.id).cloned().collect();
                view! {
                    <section class="card course-team" data-testid="course-team">
                        <h2 class="section-title">{t.name.clone()}</h2>
                        {figures.map(|f| view! {
                            <p data-testid="course-outcomes">{match l {
                                Lang::Da => format!("{} forløb i perioden · {} startet · afsluttet: {}", f.running, f.started,
                                    f.ended_said().map(|s| s.da).unwrap_or_else(|| "ingen".into())),
                                Lang::En => format!("{} courses in the period · {} started · ended: {}", f.running, f.started,
                                    f.ended_said().map(|s| s.en).unwrap_or_else(|| "none".into())),
                            }}</p>
                        })}
                        <h3>{tr("Borgerkonsulenternes sagstal", "The consultants' caseloads")}</h3>
                        <ul class="course-loads">
                            {t.consultants.iter().map(|k| {
                                let over = k.warning(0);
                                let is_over = over.is_some().to_string();
                                view! {
                                    <li data-testid="consultant-load" data-over=is_over>
                                        {match l {
                                            Lang::Da => format!("{} · {} borgere i forløb, højst {} · {} % stilling", k.name, k.citizens, k.capacity(), k.post),
                                            Lang::En => format!("{} · {} citizens in courses, at most {} · {}% post", k.name, k.citizens, k.capacity(), k.post),
                                        }}
                                        {over.map(|w| view! { <br/><span class="course-load__over">{w.get(l).to_owned()}</span> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <h3>{tr("Forløb", "Courses")}</h3>
                        {courses.is_empty().then(|| view! {
                            <p class="empty" data-testid="no-courses">{tr("Ingen forløb i perioden.", "No courses in the period.")}</p>
                        })}
                        <ul class="course-list">
                            {courses.into_iter().map(|course| {
                                let title = course.citizen_name.clone();
                                let detail = course.consultants_said();
                                view! { <CourseItem course=course title=title detail=detail today=today/> }
                            }).collect_view()}
                        </ul>
                    </section>
                }
            }).collect_view()}
            {(c.teams.is_empty() && c.courses.is_empty()).then(|| view! {
                <p class="empty" data-testid="no-courses">{tr("Ingen forløb i perioden.", "No courses in the period.")}</p>
            })}
            {c.teams.is_empty().then(|| view! {
                <ul class="course-list">
                    {c.courses.into_iter().map(|course| {
                        let title = course.citizen_name.clone();
                        view! { <CourseItem course=course title=title today=today/> }
                    }).collect_view()}
                </ul>
            })}
        }
    };
    view! {
        <section class="lead-page courses-page" aria-labelledby="courses-page-title">
            <h1 class="page-title" id="courses-page-title">{tr("Intensive forløb", "Intensive courses")}</h1>
            <form class="form form--inline" novalidate=true node_ref=form.node() on:submit=move |ev| { ev.prevent_default(); show_period.run(()); }>
                <TextField id="courses-from" label=Signal::derive(tr("Fra", "From")) input_type="date" value=from_typed error=form.error("from")/>
                <TextField id="courses-to" label=Signal::derive(tr("Til og med", "To")) input_type="date" value=to_typed error=form.error("to")/>
                <button class="button" type="submit" data-testid="show-courses">{tr("Vis", "Show")}</button>
            </form>
            // The period the list is of, said above it: a period refused
            // at the fields leaves the list of the one shown before, under
            // its own words (issue 15's walk: the old list stayed, unsaid).
            <h2 class="section-title" data-testid="courses-period">{move || {
                let (from, to) = period.get();
                let l = lang.get();
                match l {
                    Lang::Da => format!("Forløb fra {} til og med {}", from.format(l), to.format(l)),
                    Lang::En => format!("Courses from {} to {}", from.format(l), to.format(l)),
                }
            }}</h2>
            <Loaded resource=list what=("forløbene", "the courses") show=show/>
        </section>
    }
}
