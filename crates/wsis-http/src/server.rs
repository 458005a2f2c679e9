//! Assembling the application: routes, middleware, settings, and the HTTP server.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;
use wsis_domain::said;

use actix_cors::Cors;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ResourceDef, Server, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName};
use actix_web::middleware::Next;
use actix_web::middleware::{Compress, DefaultHeaders, from_fn};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use utoipa::OpenApi;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{AppExt, scope};

use crate::json::BodyLimit;
use crate::middleware::{REQUEST_ID, request_context};
use crate::openapi::ApiDoc;
use crate::problem::ApiError;
use crate::routes::docs::{OpenApiJson, docs_redirect};
use crate::routes::{
    admin, auth, calls, changes, docs, health, me, oauth, organisations, prizes, reference, stats,
    stocktaking, submissions, webhooks,
};
use crate::state::AppState;

/// HTTP settings (from configuration).
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Origins allowed to call the API from a browser; `*` allows any (no credentials are used: tokens travel in
    /// `Authorization`). Empty: no cross-origin access.
    pub cors_allowed_origins: Vec<String>,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Longest a client may take to send the request head (408 after).
    pub client_request_timeout: Duration,
    /// How long an idle keep-alive connection stays open.
    pub keep_alive: Duration,
    /// On SIGTERM/SIGINT, how long requests in flight may take to finish.
    pub shutdown_timeout: Duration,
    /// Worker threads (default: one per core).
    pub workers: Option<usize>,
    /// Stop gracefully on SIGTERM/SIGINT (off for servers embedded in tests).
    pub handle_signals: bool,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            cors_allowed_origins: Vec::new(),
            body_limit: 1024 * 1024,
            client_request_timeout: Duration::from_secs(10),
            keep_alive: Duration::from_secs(75),
            shutdown_timeout: Duration::from_secs(30),
            workers: None,
            handle_signals: true,
        }
    }
}

/// Every documented route, registered through the scopes that feed the OpenAPI document.
fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(health::live)
        .service(health::ready)
        .service(oauth::oauth_metadata)
        .service(docs::problem_type)
        .service(
            scope::scope("/api/v1")
                .service(docs::openapi_json)
                // The busiest route first: routes are matched in the order they are registered.
                .service(prizes::cast_prize_vote)
                .service(
                    scope::scope("/reference")
                        .service(reference::list_stakeholder_categories)
                        .service(reference::list_regions)
                        .service(reference::list_countries)
                        .service(reference::list_action_lines)
                        .service(reference::list_sdgs)
                        .service(reference::list_prize_categories)
                        .service(reference::list_currencies),
                )
                .service(auth::register)
                .service(auth::verify_email)
                .service(auth::request_password_reset)
                .service(auth::confirm_password_reset)
                .service(auth::confirm_email_change)
                .service(auth::create_token)
                .service(auth::revoke_token)
                .service(oauth::authorize)
                .service(oauth::authorize_decision)
                .service(me::get_me)
                .service(me::erase_me)
                .service(me::change_password)
                .service(me::change_email)
                .service(me::list_my_sessions)
                .service(me::revoke_my_other_sessions)
                .service(me::revoke_my_session)
                .service(me::export_my_data)
                .service(organisations::create_organisation)
                .service(organisations::get_organisation)
                .service(organisations::update_organisation)
                .service(organisations::list_members)
                .service(organisations::update_member)
                .service(organisations::remove_member)
                .service(organisations::create_invitation)
                .service(organisations::list_invitations)
                .service(organisations::accept_invitation)
                .service(admin::list_users)
                .service(admin::grant_role)
                .service(admin::revoke_role)
                .service(admin::delete_user)
                .service(admin::send_password_reset)
                .service(oauth::create_oauth_client)
                .service(oauth::list_oauth_clients)
                .service(oauth::revoke_oauth_client)
                .service(admin::create_api_client)
                .service(admin::list_api_clients)
                .service(admin::get_api_client)
                .service(admin::rotate_api_client_secret)
                .service(admin::revoke_api_client)
                .service(submissions::create_submission)
                .service(submissions::export_submissions)
                .service(submissions::list_submissions)
                .service(submissions::get_submission)
                .service(submissions::update_submission)
                .service(submissions::delete_submission)
                .service(submissions::submit_submission)
                .service(submissions::withdraw_submission)
                .service(submissions::get_receipt)
                .service(submissions::list_revisions)
                .service(submissions::list_history)
                .service(submissions::check_receipt)
                .service(submissions::decide_submission)
                .service(submissions::decide_batch)
                .service(submissions::update_pledge_status)
                .service(submissions::set_prize_award)
                .service(submissions::clear_prize_award)
                .service(prizes::set_prize_phase)
                .service(prizes::publish_prize_nominees)
                .service(prizes::list_prize_nominees)
                .service(prizes::add_prize_nominee)
                .service(prizes::remove_prize_nominee)
                .service(prizes::invalidate_prize_votes)
                .service(prizes::list_my_votes)
                .service(prizes::set_prize_winners)
                .service(prizes::publish_prize_results)
                .service(prizes::get_prize_results)
                .service(prizes::record_earlier_prize_winner)
                .service(prizes::declare_my_conflicts)
                .service(prizes::get_my_conflicts)
                .service(prizes::assign_prize_reviewer)
                .service(prizes::unassign_prize_reviewer)
                .service(prizes::auto_assign_prize_reviewers)
                .service(prizes::list_prize_assignments)
                .service(prizes::list_my_assignments)
                .service(prizes::list_reviewer_conflicts)
                .service(prizes::list_earlier_prize_winners)
                .service(prizes::get_prize_rules)
                .service(prizes::set_prize_rules)
                .service(prizes::save_my_prize_review)
                .service(prizes::get_my_prize_review)
                .service(prizes::list_my_prize_reviews)
                .service(prizes::export_prize_reviews)
                .service(prizes::get_prize_review_summary)
                .service(prizes::shortlist_prize_nominees)
                .service(stocktaking::list_projects)
                .service(stocktaking::export_projects)
                .service(stocktaking::get_project)
                .service(stats::get_call_stats)
                .service(calls::create_call)
                .service(calls::update_track)
                .service(calls::create_extension)
                .service(calls::list_extensions)
                .service(calls::list_calls)
                .service(calls::preview_call)
                .service(calls::get_call)
                .service(calls::list_tracks)
                .service(calls::get_track)
                .service(changes::list_changes)
                .service(webhooks::create_webhook)
                .service(webhooks::list_webhooks)
                .service(webhooks::get_webhook)
                .service(webhooks::update_webhook)
                .service(webhooks::delete_webhook)
                .service(webhooks::rotate_webhook_secret)
                .service(webhooks::ping_webhook)
                .service(webhooks::list_webhook_deliveries)
                .service(webhooks::redeliver_webhook_delivery),
        );
}

/// The OpenAPI document of the routes.
pub fn api_document() -> utoipa::openapi::OpenApi {
    let (_, mut document) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes)
        .split_for_parts();
    crate::openapi::refine(&mut document);
    document
}

fn cors(origins: &[String]) -> Cors {
    let exposed: Vec<HeaderName> = vec![
        header::ETAG,
        header::LINK,
        header::RETRY_AFTER,
        header::CONTENT_LANGUAGE,
        header::LOCATION,
        REQUEST_ID,
        crate::idempotency::REPLAYED,
        HeaderName::from_static("ratelimit"),
        HeaderName::from_static("ratelimit-policy"),
    ];
    let allowed: Vec<HeaderName> = vec![
        header::AUTHORIZATION,
        header::CONTENT_TYPE,
        header::ACCEPT,
        header::ACCEPT_LANGUAGE,
        header::IF_MATCH,
        header::IF_NONE_MATCH,
        HeaderName::from_static("idempotency-key"),
        REQUEST_ID,
    ];
    let mut cors = Cors::default()
        .allowed_methods(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
        .allowed_headers(allowed)
        .expose_headers(exposed)
        .max_age(3600);
    for origin in origins {
        cors = if origin == "*" {
            cors.allow_any_origin().send_wildcard()
        } else {
            cors.allowed_origin(origin)
        };
    }
    cors
}

async fn swagger_ui(
    tail: web::Path<String>,
    config: web::Data<Arc<utoipa_swagger_ui::Config<'static>>>,
) -> HttpResponse {
    match utoipa_swagger_ui::serve(&tail, Arc::clone(&config)) {
        Ok(Some(file)) => HttpResponse::Ok()
            .content_type(file.content_type)
            .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
            .body(file.bytes.into_owned()),
        Ok(None) => HttpResponse::from_error(ApiError::not_found(said!("not-found-docs-file"))),
        Err(err) => HttpResponse::from_error(ApiError::internal(err)),
    }
}

/// A query string or path that does not parse: a 422 naming which, as every other invalid input.
fn unparsable(what: &str, err: &dyn std::fmt::Display) -> actix_web::Error {
    ApiError::validation(vec![crate::problem::FieldError::new(
        what,
        format!("invalid_{what}"),
        said!("field-invalid", reason = err.to_string()),
    )])
    .into()
}

/// The documented paths and their methods, to tell 405 (known path, other method) from 404.
#[derive(Debug)]
struct RouteTable {
    /// Every documented path with its methods.
    routes: Vec<(ResourceDef, Vec<&'static str>)>,
    /// The documented paths without parameters and their methods, looked up on every request.
    fixed: std::collections::HashMap<String, Vec<&'static str>>,
}

impl RouteTable {
    fn from_document(document: &utoipa::openapi::OpenApi) -> Self {
        let routes: Vec<(ResourceDef, Vec<&'static str>)> = document
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    // Every GET answers HEAD too (`middleware::request_context`).
                    ("HEAD", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ];
                (
                    ResourceDef::new(path.as_str()),
                    methods
                        .iter()
                        .filter(|(_, on)| *on)
                        .map(|(m, _)| *m)
                        .collect(),
                )
            })
            .collect();
        let fixed = routes
            .iter()
            .filter_map(|(def, methods)| {
                let pattern = def.pattern()?;
                (!pattern.contains('{')).then(|| (pattern.to_owned(), methods.clone()))
            })
            .collect();
        Self { routes, fixed }
    }

    /// The methods of the documented path that matches `path`; a path without parameters wins over one with them
    /// (`/submissions/export` is not a submission).
    fn allowed(&self, path: &str) -> Option<&[&'static str]> {
        self.fixed(path).or_else(|| {
            self.routes
                .iter()
                .find(|(def, _)| def.is_match(path))
                .map(|(_, methods)| methods.as_slice())
        })
    }

    /// The methods of the documented path without parameters that is `path`, if there is one.
    fn fixed(&self, path: &str) -> Option<&[&'static str]> {
        self.fixed.get(path).map(Vec::as_slice)
    }
}

/// 405, as a problem; the caller adds `Allow` ([`allow`]).
fn method_not_allowed(method: &str, path: &str, methods: &[&str]) -> ApiError {
    ApiError::new(
        crate::problem::METHOD_NOT_ALLOWED,
        said!(
            "method-not-allowed",
            method = method,
            path = path,
            allowed = methods.join(", ")
        ),
    )
}

/// Sets `Allow` to `methods`.
fn allow(headers: &mut header::HeaderMap, methods: &[&str]) {
    if let Ok(value) = header::HeaderValue::from_str(&methods.join(", ")) {
        headers.insert(header::ALLOW, value);
    }
}

async fn route_not_found(
    req: HttpRequest,
    table: web::Data<RouteTable>,
) -> Result<HttpResponse, ApiError> {
    match table.allowed(req.path()) {
        Some(methods) => {
            let mut response = HttpResponse::from_error(method_not_allowed(
                req.method().as_str(),
                req.path(),
                methods,
            ));
            allow(response.headers_mut(), methods);
            Ok(response)
        }
        None => Err(ApiError::new(
            crate::problem::NOT_FOUND,
            said!("not-found-route"),
        )),
    }
}

/// A documented path without parameters answers only its own methods: without this, `PATCH /submissions/export`
/// would be routed to `PATCH /submissions/{id}` (actix tries the next resource when a resource's method does not
/// match). Preflight requests (`OPTIONS`) are the CORS layer's, outside this one.
async fn fixed_paths_first(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let refused = req
        .app_data::<web::Data<RouteTable>>()
        .and_then(|table| table.fixed(req.path()))
        .filter(|methods| !methods.contains(&req.method().as_str()))
        .map(<[&str]>::to_vec);
    match refused {
        Some(methods) => {
            let error = method_not_allowed(req.method().as_str(), req.path(), &methods);
            // Kept as an error, so that the outer layer renders it with the request's language and id.
            let mut response = req.error_response(error);
            allow(response.headers_mut(), &methods);
            Ok(response.map_into_right_body())
        }
        None => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body),
    }
}

/// Binds the application to `listener` and returns the running server (await it; it stops gracefully on
/// SIGTERM/SIGINT, finishing requests in flight within `shutdown_timeout`).
pub fn run(
    listener: TcpListener,
    state: AppState,
    settings: HttpSettings,
) -> std::io::Result<Server> {
    let document = crate::openapi::document_json().map_err(std::io::Error::other)?;
    let openapi = OpenApiJson(web::Bytes::from(document));
    let table = web::Data::new(RouteTable::from_document(&api_document()));
    let swagger_config = Arc::new(utoipa_swagger_ui::Config::from("/api/v1/openapi.json"));
    let http = settings.clone();
    let mut server = HttpServer::new(move || {
        let app = App::new()
            .app_data(web::Data::new(state.clone()))
            .app_data(web::Data::new(openapi.clone()))
            .app_data(table.clone())
            .app_data(web::Data::new(BodyLimit(http.body_limit)))
            // A query string or path segment that does not parse is a 422 naming it, as every other invalid input.
            .app_data(web::QueryConfig::default().error_handler(|err, _| unparsable("query", &err)))
            .app_data(web::PathConfig::default().error_handler(|err, _| unparsable("path", &err)))
            .app_data(web::Data::new(Arc::clone(&swagger_config)))
            .wrap(from_fn(fixed_paths_first))
            .wrap(cors(&http.cors_allowed_origins))
            .wrap(
                DefaultHeaders::new()
                    .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                    .add((header::X_FRAME_OPTIONS, "DENY"))
                    .add((header::REFERRER_POLICY, "no-referrer"))
                    .add((HeaderName::from_static("cross-origin-opener-policy"), "same-origin"))
                    .add((header::STRICT_TRANSPORT_SECURITY, "max-age=31536000")),
            )
            .wrap(from_fn(request_context))
            // Outermost, so that it compresses what `request_context` rendered: an error body rewritten under a
            // compressing layer kept its `Content-Encoding: gzip` over plain text, which no client could read.
            .wrap(Compress::default());
        let (app, _) = app.into_utoipa_app().configure(routes).split_for_parts();
        app.route("/docs", web::get().to(docs_redirect))
            .service(
                web::resource("/docs/{tail:.*}")
                    .wrap(DefaultHeaders::new().add((
                        header::CONTENT_SECURITY_POLICY,
                        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
                         script-src 'self'; frame-ancestors 'none'",
                    )))
                    .route(web::get().to(swagger_ui)),
            )
            .default_service(web::to(route_not_found))
    })
    .client_request_timeout(settings.client_request_timeout)
    .keep_alive(settings.keep_alive)
    .shutdown_timeout(settings.shutdown_timeout.as_secs())
    .listen(listener)?;
    if let Some(workers) = settings.workers {
        server = server.workers(workers);
    }
    if !settings.handle_signals {
        server = server.disable_signals();
    }
    Ok(server.run())
}
