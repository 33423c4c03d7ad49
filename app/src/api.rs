//! The only code that talks HTTP. Every call returns an [`AppError`] the
//! UI can explain: offline, not logged in, or the server's error body.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::api::{CSRF_HEADER, CSRF_VALUE, CreateSessionRequest, ListCitizensResponse, MeResponse};
use shared::assignment::{Assignment, HandoverInput, HandoverOptions};
use shared::drawing_right::DrawingRight;
use shared::figures::{MonthSpan, ResourceSettings, ResourcesResponse, TrendChart, TrendResponse};
use shared::grant::Grant;
use shared::report::{ApproveRequest, OrgResponse, ReopenRequest, Statement, TeamReport};
use shared::review::{
    FigureScope, LayerTableResponse, ListsResponse, ReviewDetail, ReviewInput, ReviewItemInput, ReviewSummary, Scheme,
};
use shared::time::Month;
use shared::usage::CaseloadNorms;
use shared::{AreaId, CitizenId, Date, Lang, ReviewId, TeamId, UserId};
use shared::{ErrorBody, Localized};

use crate::error::AppError;

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, AppError> {
    let request = request.map_err(|_| AppError::Offline)?;
    let response = crate::network::send(request).await.ok_or(AppError::Offline)?;
    match response.status() {
        200..=299 => Ok(response),
        401 => Err(AppError::LoginNeeded),
        status => {
            let body = response.json::<ErrorBody>().await.unwrap_or_else(|_| {
                // A proxy or a crashed server answered, not Helhed.
                ErrorBody::new(
                    "unexpected",
                    Localized::new(
                        format!("Serveren svarede uventet ({status})."),
                        format!("The server answered unexpectedly ({status})."),
                    ),
                )
            });
            Err(AppError::Refused { status, body })
        }
    }
}

async fn json<T: DeserializeOwned>(response: Response) -> Result<T, AppError> {
    let status = response.status();
    response.json::<T>().await.map_err(|_| AppError::Refused {
        status,
        body: ErrorBody::new(
            "unreadable_response",
            Localized::new("Svaret fra serveren kunne ikke læses.", "The server's answer could not be read."),
        ),
    })
}

fn with_csrf(builder: RequestBuilder) -> RequestBuilder {
    builder.header(CSRF_HEADER, CSRF_VALUE)
}

fn post_json<B: Serialize>(url: &str, body: &B) -> Result<Request, gloo_net::Error> {
    with_csrf(Request::post(url)).json(body)
}

fn put_json<B: Serialize>(url: &str, body: &B) -> Result<Request, gloo_net::Error> {
    with_csrf(Request::put(url)).json(body)
}

/// Logs in. A 401 here is a wrong username or password (`invalid_credentials`),
/// not a session that ended, so it is the server's refusal, not
/// [`AppError::LoginNeeded`].
pub async fn login(request: &CreateSessionRequest) -> Result<MeResponse, AppError> {
    match send(post_json("/api/session", request)).await {
        Ok(response) => json(response).await,
        Err(AppError::LoginNeeded) => Err(AppError::Refused {
            status: 401,
            body: ErrorBody::new(
                "invalid_credentials",
                Localized::new("Forkert brugernavn eller adgangskode.", "Wrong username or password."),
            ),
        }),
        Err(other) => Err(other),
    }
}

pub async fn logout() -> Result<(), AppError> {
    send(with_csrf(Request::delete("/api/session")).build()).await.map(drop)
}

pub async fn me() -> Result<MeResponse, AppError> {
    json(send(Request::get("/api/me").build()).await?).await
}

pub async fn citizens() -> Result<ListCitizensResponse, AppError> {
    json(send(Request::get("/api/citizens").build()).await?).await
}

/// The teams a lead or admin reports on, and every area.
pub async fn org() -> Result<OrgResponse, AppError> {
    json(send(Request::get("/api/org").build()).await?).await
}

pub async fn team_report(team: TeamId, month: Month) -> Result<TeamReport, AppError> {
    json(send(Request::get(&format!("/api/reports/team?team={team}&month={month}")).build()).await?).await
}

pub async fn approve(request: &ApproveRequest) -> Result<(), AppError> {
    send(post_json("/api/approvals", request)).await.map(drop)
}

pub async fn reopen(request: &ReopenRequest) -> Result<(), AppError> {
    send(post_json("/api/approvals/reopen", request)).await.map(drop)
}

/// Where a statement's CSV is downloaded from (a plain link: GET needs no
/// CSRF header and the cookie goes along).
/// The query of a figures request: `on=<date>` and the scope's part
/// (none: the server's first for the user).
fn figures_query(scope: Option<FigureScope>, on: Date) -> String {
    match scope_query(scope) {
        part if part.is_empty() => format!("on={on}"),
        part => format!("on={on}&{part}"),
    }
}

/// A scope as a query: `area=<id>`, `team=<id>`, `scope=municipality`, or
/// nothing (the server's first for the user).
/// A figures scope as the query names it: `area=…`, `team=…`,
/// `scope=municipality`; empty for none (the server's first for the user).
pub fn scope_query(scope: Option<FigureScope>) -> String {
    match scope.map(FigureScope::query) {
        Some(part) if part.is_empty() => "scope=municipality".to_owned(),
        Some(part) => part,
        None => String::new(),
    }
}

/// Seed 000's layer × age band table for `scope` on `on` (issue 14).
pub async fn layer_table(scope: Option<FigureScope>, on: Date) -> Result<LayerTableResponse, AppError> {
    json(send(Request::get(&format!("/api/figures/layers?{}", figures_query(scope, on))).build()).await?).await
}

/// The lists a lead acts on for `scope` today (names citizens: the server
/// access-logs the read).
pub async fn figure_lists(scope: Option<FigureScope>) -> Result<ListsResponse, AppError> {
    json(send(Request::get(&format!("/api/figures/lists?{}", scope_query(scope))).build()).await?).await
}

/// The query of a trend: the span and the scope.
fn trend_query(scope: Option<FigureScope>, span: MonthSpan) -> String {
    match scope_query(scope) {
        part if part.is_empty() => format!("from={}&to={}", span.from, span.to),
        part => format!("from={}&to={}&{part}", span.from, span.to),
    }
}

/// The trend of `scope` over `span`, month by month (issue 14).
pub async fn trend(scope: Option<FigureScope>, span: MonthSpan) -> Result<TrendResponse, AppError> {
    json(send(Request::get(&format!("/api/figures/trend?{}", trend_query(scope, span))).build()).await?).await
}

pub fn trend_csv_url(scope: Option<FigureScope>, span: MonthSpan, lang: Lang) -> String {
    format!("/api/figures/trend.csv?{}&lang={}", trend_query(scope, span), lang.code())
}

pub fn trend_svg_url(scope: Option<FigureScope>, span: MonthSpan, chart: TrendChart, lang: Lang) -> String {
    let chart = match chart {
        TrendChart::Citizens => "citizens",
        TrendChart::Hours => "hours",
    };
    format!("/api/figures/trend.svg?{}&chart={chart}&lang={}", trend_query(scope, span), lang.code())
}

fn resources_query(scope: Option<FigureScope>, month: Month) -> String {
    match scope_query(scope) {
        part if part.is_empty() => format!("month={month}"),
        part => format!("month={month}&{part}"),
    }
}

/// The month's hours, posts, costs and caseloads of `scope` (issue 14).
pub async fn resources(scope: Option<FigureScope>, month: Month) -> Result<ResourcesResponse, AppError> {
    json(send(Request::get(&format!("/api/figures/resources?{}", resources_query(scope, month))).build()).await?).await
}

pub fn resources_csv_url(scope: Option<FigureScope>, month: Month, lang: Lang) -> String {
    format!("/api/figures/resources.csv?{}&lang={}", resources_query(scope, month), lang.code())
}

/// The full-time week and the hourly rates.
pub async fn resource_settings() -> Result<ResourceSettings, AppError> {
    json(send(Request::get("/api/settings/resources").build()).await?).await
}

/// Writes the full-time week and the hourly rates (administrator).
pub async fn put_resource_settings(settings: &ResourceSettings) -> Result<ResourceSettings, AppError> {
    json(send(put_json("/api/settings/resources", settings)).await?).await
}

/// What a handover of `worker`'s citizens may choose from.
pub async fn handover_options(worker: UserId) -> Result<HandoverOptions, AppError> {
    json(send(Request::get(&format!("/api/handovers/{worker}")).build()).await?).await
}

/// Hands citizens over; answers the new assignments.
pub async fn hand_over(input: &HandoverInput) -> Result<Vec<Assignment>, AppError> {
    json(send(post_json("/api/handovers", input)).await?).await
}

/// The municipality's classification scheme (its layers).
pub async fn scheme() -> Result<Scheme, AppError> {
    json(send(Request::get("/api/admin/scheme").build()).await?).await
}

/// Replaces the scheme (administrator); answers it as stored.
pub async fn put_scheme(scheme: &Scheme) -> Result<Scheme, AppError> {
    json(send(put_json("/api/admin/scheme", scheme)).await?).await
}

/// The lead's lists of `scope` as CSV (the server logs the export).
pub fn figure_lists_csv_url(scope: Option<FigureScope>, lang: Lang) -> String {
    match scope_query(scope) {
        part if part.is_empty() => format!("/api/figures/lists.csv?lang={}", lang.code()),
        part => format!("/api/figures/lists.csv?{part}&lang={}", lang.code()),
    }
}

/// The reviews of the scopes the user sees, newest first.
pub async fn reviews() -> Result<Vec<ReviewSummary>, AppError> {
    json(send(Request::get("/api/reviews").build()).await?).await
}

/// Starts a review; answers it with its progress (none reviewed yet).
pub async fn create_review(input: &ReviewInput) -> Result<ReviewSummary, AppError> {
    json(send(post_json("/api/reviews", input)).await?).await
}

/// A review with its citizens (the server access-logs the read).
pub async fn review(id: ReviewId) -> Result<ReviewDetail, AppError> {
    json(send(Request::get(&format!("/api/reviews/{id}")).build()).await?).await
}

/// Records one citizen's review; answers the review's progress.
pub async fn put_review_item(
    id: ReviewId,
    citizen: CitizenId,
    input: &ReviewItemInput,
) -> Result<ReviewSummary, AppError> {
    json(send(put_json(&format!("/api/reviews/{id}/items/{citizen}"), input)).await?).await
}

pub fn layer_table_csv_url(scope: Option<FigureScope>, on: Date, lang: Lang) -> String {
    format!("/api/figures/layers.csv?{}&lang={}", figures_query(scope, on), lang.code())
}

pub fn statement_csv_url(area: AreaId, month: Month) -> String {
    format!("/api/statements.csv?area={area}&month={month}")
}

pub async fn statement(area: AreaId, month: Month) -> Result<Statement, AppError> {
    json(send(Request::get(&format!("/api/statements?area={area}&month={month}")).build()).await?).await
}

/// Creates or changes a grant (lead or admin); the phones get it by sync.
pub async fn put_grant(grant: &Grant) -> Result<Grant, AppError> {
    json(send(put_json(&format!("/api/grants/{}", grant.id), grant)).await?).await
}

/// The drawing rights the user may see (all for an admin).
pub async fn drawing_rights() -> Result<Vec<DrawingRight>, AppError> {
    json(send(Request::get("/api/drawing-rights").build()).await?).await
}

/// Creates or changes a drawing right (admin).
pub async fn put_drawing_right(pool: &DrawingRight) -> Result<DrawingRight, AppError> {
    json(send(put_json(&format!("/api/drawing-rights/{}", pool.id), pool)).await?).await
}

pub async fn caseload_norms() -> Result<CaseloadNorms, AppError> {
    json(send(Request::get("/api/settings/caseload-norms").build()).await?).await
}

/// Sets the caseload norms (admin).
pub async fn put_caseload_norms(norms: &CaseloadNorms) -> Result<CaseloadNorms, AppError> {
    json(send(put_json("/api/settings/caseload-norms", norms)).await?).await
}

/// Chooses the user's own password (after a temporary one).
pub async fn change_password(request: &shared::admin::ChangePasswordRequest) -> Result<MeResponse, AppError> {
    json(send(post_json("/api/me/password", request)).await?).await
}

/// Everything the administration lists (an admin: all; a lead: their teams).
pub async fn admin_directory() -> Result<shared::admin::AdminDirectory, AppError> {
    json(send(Request::get("/api/admin").build()).await?).await
}

/// Writes one administration record to its id: `kind` is `areas`, `teams`,
/// `users`, `citizens` or `assignments`. The answer's body is not needed:
/// the caller reloads the directory.
pub async fn put_admin<B: Serialize>(kind: &str, id: impl std::fmt::Display, body: &B) -> Result<(), AppError> {
    send(put_json(&format!("/api/admin/{kind}/{id}"), body)).await.map(drop)
}

/// Removes an administration record (an assignment that has not begun).
pub async fn delete_admin(kind: &str, id: impl std::fmt::Display) -> Result<(), AppError> {
    send(with_csrf(Request::delete(&format!("/api/admin/{kind}/{id}"))).build()).await.map(drop)
}

/// The access log about a citizen (`citizen=<id>`) or by a user (`user=<id>`).
pub async fn access_log(query: &str) -> Result<shared::access::AccessReport, AppError> {
    json(send(Request::get(&format!("/api/access-log?{query}")).build()).await?).await
}

pub async fn access_retention() -> Result<shared::access::Retention, AppError> {
    json(send(Request::get("/api/settings/access-log-retention").build()).await?).await
}

pub async fn put_access_retention(retention: &shared::access::Retention) -> Result<(), AppError> {
    send(put_json("/api/settings/access-log-retention", retention)).await.map(drop)
}

/// Sends an import file as it is (the server reads its encoding).
pub async fn import(
    kind: shared::admin::ImportKind,
    dry_run: bool,
    file: &web_sys::File,
) -> Result<shared::admin::ImportReport, AppError> {
    let url = format!("/api/admin/import?kind={}&dry_run={dry_run}", kind.code());
    let request = with_csrf(Request::post(&url)).header("content-type", "text/csv").body(file.clone());
    json(send(request).await?).await
}

/// The open conflicts of a team's visits (its lead, or an admin).
pub async fn conflicts(team: TeamId) -> Result<shared::conflict::ListConflictsResponse, AppError> {
    json(send(Request::get(&format!("/api/conflicts?team={team}")).build()).await?).await
}

/// The catalogue of offers and the areas; `all`: the inactive too (an
/// administrator's).
pub async fn offers(all: bool) -> Result<shared::offer::OffersResponse, AppError> {
    json(send(Request::get(if all { "/api/offers?all=1" } else { "/api/offers" }).build()).await?).await
}

/// A citizen's open clashes of two edits of the plan (its coordinator's).
pub async fn plan_conflicts(citizen: CitizenId) -> Result<shared::plan::PlanConflictsResponse, AppError> {
    json(send(Request::get(&format!("/api/plans/{citizen}/conflicts")).build()).await?).await
}

/// Settles a clash of a plan; the rest still open. The plan reaches the
/// phones by sync.
pub async fn settle_plan_conflict(
    id: shared::ConflictId,
    keep: shared::conflict::Keep,
) -> Result<shared::plan::PlanConflictsResponse, AppError> {
    let body = shared::conflict::SettleConflictRequest { keep };
    json(send(post_json(&format!("/api/plan-conflicts/{id}/settle"), &body)).await?).await
}

/// Settles a conflict; the visit reaches the phones by sync.
pub async fn settle_conflict(
    id: shared::ConflictId,
    keep: shared::conflict::Keep,
) -> Result<shared::conflict::SettleConflictResponse, AppError> {
    let body = shared::conflict::SettleConflictRequest { keep };
    json(send(post_json(&format!("/api/conflicts/{id}/settle"), &body)).await?).await
}

/// A citizen's intensive courses, the consultant teams the user may run one
/// in (with caseloads) and the plan's goals (issue 15).
pub async fn citizen_courses(citizen: CitizenId) -> Result<shared::course::CitizenCourses, AppError> {
    json(send(Request::get(&format!("/api/citizens/{citizen}/courses")).build()).await?).await
}

/// Starts, changes or ends a course.
pub async fn put_course(
    id: shared::CourseId,
    input: &shared::course::CourseInput,
) -> Result<shared::course::Course, AppError> {
    json(send(put_json(&format!("/api/courses/{id}"), input)).await?).await
}

/// Adds a half-yearly status to a course (a repeated status id is kept once).
pub async fn add_course_status(
    id: shared::CourseId,
    status: &shared::course::CourseStatusInput,
) -> Result<shared::course::Course, AppError> {
    json(send(post_json(&format!("/api/courses/{id}/statuses"), status)).await?).await
}

/// The courses the user follows over `from..=to`, with each team's outcomes.
pub async fn courses(from: Date, to: Date) -> Result<shared::course::CoursesResponse, AppError> {
    json(send(Request::get(&format!("/api/courses?from={from}&to={to}")).build()).await?).await
}

/// The committee's page (leads and administrators): meetings, proposals,
/// the agenda (`GET /api/committee`).
pub async fn committee() -> Result<shared::committee::CommitteeResponse, AppError> {
    json(send(Request::get("/api/committee").build()).await?).await
}

/// Plans or moves a committee meeting.
pub async fn put_committee_meeting(
    id: shared::CommitteeMeetingId,
    input: &shared::committee::CommitteeMeetingInput,
) -> Result<shared::committee::CommitteeMeeting, AppError> {
    json(send(put_json(&format!("/api/committee/meetings/{id}"), input)).await?).await
}

/// Proposes a citizen to the committee (the same id again is the same
/// proposal).
pub async fn put_referral(
    id: shared::ReferralId,
    input: &shared::committee::ReferralInput,
) -> Result<shared::committee::Referral, AppError> {
    json(send(put_json(&format!("/api/referrals/{id}"), input)).await?).await
}

/// A lead's decision on a proposal: refer to the committee or not.
pub async fn put_screening(
    id: shared::ReferralId,
    input: &shared::committee::ScreeningInput,
) -> Result<shared::committee::Referral, AppError> {
    json(send(put_json(&format!("/api/referrals/{id}/screening"), input)).await?).await
}

/// The committee's decision on a referred citizen.
pub async fn put_committee_decision(
    id: shared::ReferralId,
    input: &shared::committee::CommitteeDecisionInput,
) -> Result<shared::committee::Referral, AppError> {
    json(send(put_json(&format!("/api/referrals/{id}/decision"), input)).await?).await
}

/// A citizen's proposals to the committee, and whether the user may propose.
pub async fn referrals_of(citizen: CitizenId) -> Result<shared::committee::ReferralsResponse, AppError> {
    json(send(Request::get(&format!("/api/referrals?citizen={citizen}")).build()).await?).await
}

/// The user's own proposals, newest first.
pub async fn my_referrals() -> Result<shared::committee::ReferralsResponse, AppError> {
    json(send(Request::get("/api/referrals?mine=1").build()).await?).await
}

/// The proposer has seen the proposal's latest outcome.
pub async fn referral_seen(id: shared::ReferralId) -> Result<(), AppError> {
    send(with_csrf(Request::post(&format!("/api/referrals/{id}/seen"))).build()).await.map(drop)
}

/// The sparring forum's page: sessions, cases, whom the user may bring.
pub async fn forum() -> Result<shared::forum::ForumResponse, AppError> {
    json(send(Request::get("/api/forum").build()).await?).await
}

/// Plans or moves a session of the sparring forum.
pub async fn put_forum_session(
    id: shared::ForumSessionId,
    input: &shared::forum::SessionInput,
) -> Result<shared::forum::ForumSession, AppError> {
    json(send(put_json(&format!("/api/forum/sessions/{id}"), input)).await?).await
}

/// Puts a case on a session's agenda (the same id again is the same case).
pub async fn put_forum_case(
    id: shared::ForumCaseId,
    input: &shared::forum::CaseInput,
) -> Result<shared::forum::ForumCase, AppError> {
    json(send(put_json(&format!("/api/forum/cases/{id}"), input)).await?).await
}

/// Writes (or corrects) a case's minutes.
pub async fn put_forum_outcome(
    id: shared::ForumCaseId,
    input: &shared::forum::OutcomeInput,
) -> Result<shared::forum::ForumCase, AppError> {
    json(send(put_json(&format!("/api/forum/cases/{id}/outcome"), input)).await?).await
}

/// The discussions of a citizen's case in the sparring forum.
pub async fn citizen_forum(citizen: CitizenId) -> Result<shared::forum::CitizenForum, AppError> {
    json(send(Request::get(&format!("/api/citizens/{citizen}/forum")).build()).await?).await
}
