//! RFC 9457 problem details: the one error type at the HTTP edge and its table of codes.
//!
//! Every failure answers `application/problem+json` with `type`, `title`, `status`, `detail`, `instance`, a stable
//! snake_case `code`, the request id, and for validation an `errors` array of `{field, code, message}` where
//! `field` is a JSON path. Titles are translated into the six UN languages; `detail` names the specifics. A 5xx
//! body never carries the internal cause: that is logged once, where the response is rendered.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;
use wsis_domain::{Language, Said, said};

use wsis_persistence::DbError;

/// The media type of problem responses.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One row of the error table: a stable code, its HTTP status and its title in the six UN languages.
#[derive(Debug, Clone, Copy)]
pub struct ProblemKind {
    /// Stable snake_case code, also the last segment of the `type` URI.
    pub code: &'static str,
    /// HTTP status.
    pub status: u16,
    /// Titles in ar, zh, en, fr, ru, es.
    titles: [&'static str; 6],
}

impl ProblemKind {
    /// The title in `language`.
    pub fn title(&self, language: Language) -> &'static str {
        let index = Language::ALL
            .iter()
            .position(|l| *l == language)
            .unwrap_or(2);
        self.titles[index]
    }

    /// The problem type URI (served by `GET /problems/{code}`).
    pub fn type_uri(&self) -> String {
        format!("/problems/{}", self.code)
    }
}

macro_rules! problem_kinds {
    ($($name:ident = $code:literal, $status:literal, [$($title:literal),+]);+ $(;)?) => {
        $(
            #[doc = concat!("`", $code, "` (", stringify!($status), ")")]
            pub const $name: &ProblemKind = &ProblemKind { code: $code, status: $status, titles: [$($title),+] };
        )+
        /// Every problem kind the API answers with.
        pub const ALL_KINDS: &[&ProblemKind] = &[$($name),+];
    };
}

problem_kinds! {
    BAD_REQUEST = "bad_request", 400,
        ["طلب غير صالح", "请求无效", "Bad request", "Requête incorrecte", "Неверный запрос", "Solicitud incorrecta"];
    MALFORMED_JSON = "malformed_json", 400,
        ["JSON غير سليم", "JSON 格式错误", "Malformed JSON", "JSON mal formé", "Некорректный JSON", "JSON mal formado"];
    UNAUTHORIZED = "unauthorized", 401,
        ["يلزم التوثيق", "需要身份验证", "Authentication required", "Authentification requise", "Требуется аутентификация", "Se requiere autenticación"];
    FORBIDDEN = "forbidden", 403,
        ["غير مسموح", "禁止访问", "Forbidden", "Accès interdit", "Доступ запрещён", "Prohibido"];
    NOT_FOUND = "not_found", 404,
        ["غير موجود", "未找到", "Not found", "Introuvable", "Не найдено", "No encontrado"];
    METHOD_NOT_ALLOWED = "method_not_allowed", 405,
        ["الطريقة غير مسموح بها", "不允许的方法", "Method not allowed", "Méthode non autorisée", "Метод не разрешён", "Método no permitido"];
    NOT_ACCEPTABLE = "not_acceptable", 406,
        ["غير مقبول", "无法接受", "Not acceptable", "Non acceptable", "Неприемлемо", "No aceptable"];
    REQUEST_TIMEOUT = "request_timeout", 408,
        ["انتهت مهلة الطلب", "请求超时", "Request timeout", "Délai de requête dépassé", "Время запроса истекло", "Tiempo de solicitud agotado"];
    CONFLICT = "conflict", 409,
        ["تعارض", "冲突", "Conflict", "Conflit", "Конфликт", "Conflicto"];
    PRECONDITION_FAILED = "precondition_failed", 412,
        ["فشل الشرط المسبق", "前提条件失败", "Precondition failed", "Échec de la précondition", "Предусловие не выполнено", "Falló la condición previa"];
    PAYLOAD_TOO_LARGE = "payload_too_large", 413,
        ["حمولة الطلب كبيرة جدا", "请求体过大", "Payload too large", "Charge utile trop volumineuse", "Слишком большой запрос", "Carga útil demasiado grande"];
    URI_TOO_LONG = "uri_too_long", 414,
        ["عنوان URI طويل جدا", "URI 过长", "URI too long", "URI trop long", "Слишком длинный URI", "URI demasiado largo"];
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type", 415,
        ["نوع وسائط غير مدعوم", "不支持的媒体类型", "Unsupported media type", "Type de média non pris en charge", "Неподдерживаемый тип данных", "Tipo de medio no admitido"];
    VALIDATION_FAILED = "validation_failed", 422,
        ["فشل التحقق", "验证失败", "Validation failed", "Échec de la validation", "Ошибка проверки", "Falló la validación"];
    PRECONDITION_REQUIRED = "precondition_required", 428,
        ["شرط مسبق مطلوب", "需要前提条件", "Precondition required", "Précondition requise", "Требуется предусловие", "Se requiere una condición previa"];
    RATE_LIMITED = "rate_limited", 429,
        ["طلبات كثيرة جدا", "请求过多", "Too many requests", "Trop de requêtes", "Слишком много запросов", "Demasiadas solicitudes"];
    HEADERS_TOO_LARGE = "headers_too_large", 431,
        ["حقول الترويسة كبيرة جدا", "请求头过大", "Request header fields too large", "En-têtes de requête trop volumineux", "Слишком большие заголовки запроса", "Campos de encabezado demasiado grandes"];
    INVALID_REQUEST = "invalid_request", 400,
        ["طلب غير صالح", "无效请求", "Invalid request", "Requête invalide", "Недопустимый запрос", "Solicitud no válida"];
    INVALID_GRANT = "invalid_grant", 400,
        ["منحة غير صالحة", "无效授权", "Invalid grant", "Autorisation invalide", "Недействительное разрешение", "Concesión no válida"];
    UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type", 400,
        ["نوع منحة غير مدعوم", "不支持的授权类型", "Unsupported grant type", "Type d'autorisation non pris en charge", "Неподдерживаемый тип разрешения", "Tipo de concesión no admitido"];
    INVALID_SCOPE = "invalid_scope", 400,
        ["نطاق غير صالح", "无效范围", "Invalid scope", "Portée invalide", "Недопустимая область", "Ámbito no válido"];
    INVALID_CLIENT = "invalid_client", 401,
        ["عميل غير صالح", "无效客户端", "Invalid client", "Client invalide", "Недействительный клиент", "Cliente no válido"];
    INVALID_TOKEN = "invalid_token", 400,
        ["رمز غير صالح", "无效令牌", "Invalid token", "Jeton invalide", "Недействительный токен", "Token no válido"];
    DEADLINE_PASSED = "deadline_passed", 409,
        ["انقضى الموعد النهائي", "截止日期已过", "Deadline passed", "Date limite dépassée", "Срок истёк", "Plazo vencido"];
    INVALID_TRANSITION = "invalid_transition", 409,
        ["انتقال غير مسموح", "不允许的状态变更", "Transition not allowed", "Transition non autorisée", "Переход не разрешён", "Transición no permitida"];
    LAST_OWNER = "last_owner", 409,
        ["المالك الأخير", "最后一位所有者", "Last owner", "Dernier propriétaire", "Последний владелец", "Último propietario"];
    INTERNAL_ERROR = "internal_error", 500,
        ["خطأ داخلي", "内部错误", "Internal error", "Erreur interne", "Внутренняя ошибка", "Error interno"];
    SERVICE_UNAVAILABLE = "service_unavailable", 503,
        ["الخدمة غير متاحة", "服务不可用", "Service unavailable", "Service indisponible", "Сервис недоступен", "Servicio no disponible"];
}

/// The kind that fits a bare status code (for errors raised outside our handlers).
pub fn kind_for_status(status: StatusCode) -> &'static ProblemKind {
    ALL_KINDS
        .iter()
        .copied()
        .find(|k| k.status == status.as_u16() && k.code != "malformed_json")
        .unwrap_or(if status.is_server_error() {
            INTERNAL_ERROR
        } else {
            BAD_REQUEST
        })
}

/// One invalid field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({"field": "tracks[1].closes.date", "code": "invalid_value", "message": "premature end of input"}))]
pub struct FieldError {
    /// JSON path of the field in the body (`content.speakers[2].email`), or the name of a query parameter.
    pub field: String,
    /// Stable snake_case rule name.
    pub code: String,
    /// Human explanation, in the negotiated language.
    pub message: String,
    /// The explanation as a message of the catalogue, to say it in the caller's language.
    #[serde(skip)]
    pub said: Option<Said>,
}

impl From<wsis_domain::forms::Violation> for FieldError {
    fn from(v: wsis_domain::forms::Violation) -> Self {
        Self::new(v.field, v.code, v.message)
    }
}

impl FieldError {
    /// A field error explained by `said` (its message in English until it is said in the caller's language).
    pub fn new(field: impl Into<String>, code: impl Into<String>, said: Said) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: said.english(),
            said: Some(said),
        }
    }

    /// This error with its message in `language`.
    pub fn said_in(&self, language: Language) -> Self {
        Self {
            message: self
                .said
                .as_ref()
                .map_or_else(|| self.message.clone(), |s| s.in_language(language)),
            ..self.clone()
        }
    }
}

/// An RFC 9457 problem details object.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "/problems/not_found",
    "title": "Not found",
    "status": 404,
    "detail": "There is no call `wsis-1999`.",
    "instance": "/api/v1/calls/wsis-1999",
    "code": "not_found",
    "request_id": "01938f6e-8a1c-7cc2-9a51-3f0e2b1c4d5e"
}))]
pub struct Problem {
    /// URI reference identifying the problem type; `GET` it for a description.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// Short summary of the type, in the negotiated language.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// What went wrong in this occurrence.
    pub detail: String,
    /// The request path this occurrence is about.
    pub instance: String,
    /// Stable snake_case code of the type.
    #[schema(schema_with = crate::openapi::problem_code)]
    pub code: String,
    /// The request id, also in the `X-Request-Id` header and in the server's logs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// For validation failures: every invalid field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(nullable = false)]
    pub errors: Vec<FieldError>,
    /// On the token endpoints: the RFC 6749 error code (`invalid_grant`, `invalid_client`…), for OAuth libraries.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub error: Option<String>,
    /// On the token endpoints: RFC 6749's human description (the same as `detail`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub error_description: Option<String>,
    /// On `deadline_passed`: the caller's deadline in UTC and in the track's zone, and the server's receive time.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::openapi::deadline_facts)]
    pub deadline: Option<serde_json::Value>,
}

/// The limits an error tells of (`RateLimit-Policy`, `RateLimit`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quotas(pub Vec<wsis_app::throttle::Quota>);

/// The detail of a validation failure, from its field errors: the one invalid field with its message, or how many
/// there are.
fn validation_detail(errors: &[FieldError]) -> Said {
    match errors {
        [one] => said!(
            "field-with-message",
            field = &one.field,
            message = one
                .said
                .clone()
                .unwrap_or_else(|| said!("field-invalid", reason = &one.message))
        ),
        many => said!("fields-invalid", count = many.len()),
    }
}

/// An error answered as a problem.
#[derive(Debug)]
pub struct ApiError {
    /// The row of the table.
    pub kind: &'static ProblemKind,
    /// What went wrong, for the client: a message of the catalogue, said in the request's language.
    pub message: Box<Said>,
    /// Field errors for 422.
    pub errors: Vec<FieldError>,
    /// Seconds after which a retry may succeed (`Retry-After`).
    pub retry_after: Option<u64>,
    /// The internal cause, logged and never sent.
    pub cause: Option<Box<str>>,
    /// Send `WWW-Authenticate: Bearer …` (401s of protected resources).
    pub www_authenticate: bool,
    /// Also carry RFC 6749's `error` and `error_description` (token endpoints).
    pub oauth: bool,
    /// The `deadline` member of a `deadline_passed` problem.
    pub deadline: Option<Box<serde_json::Value>>,
    /// The limits counted for this request and what is left of them (`RateLimit-Policy`, `RateLimit`); boxed, as
    /// few errors carry them and every `Result` carries the error's size.
    pub quotas: Option<Box<Quotas>>,
}

impl ApiError {
    /// An error of `kind` explained by `message`.
    pub fn new(kind: &'static ProblemKind, message: Said) -> Self {
        Self {
            kind,
            message: Box::new(message),
            errors: Vec::new(),
            retry_after: None,
            cause: None,
            www_authenticate: false,
            oauth: false,
            deadline: None,
            quotas: None,
        }
    }

    /// The detail in English (logs, OAuth's ASCII `error_description`, the `WWW-Authenticate` challenge).
    pub fn detail(&self) -> String {
        match self.kind.code {
            code if code == VALIDATION_FAILED.code => validation_detail(&self.errors).english(),
            _ => self.message.english(),
        }
    }

    /// 404.
    pub fn not_found(message: Said) -> Self {
        Self::new(NOT_FOUND, message)
    }

    /// This error, or a 404 with `message` when it is a not-found (to name what is missing).
    pub fn when_missing(self, message: Said) -> Self {
        if self.kind.status == 404 {
            Self::not_found(message)
        } else {
            self
        }
    }

    /// 422 with every field error; its detail is said from them ([`validation_detail`]).
    pub fn validation(errors: Vec<FieldError>) -> Self {
        Self {
            errors,
            ..Self::new(VALIDATION_FAILED, said!("fields-invalid", count = 0))
        }
    }

    /// 422 naming every rule the domain found broken.
    pub fn violations(violations: Vec<wsis_domain::forms::Violation>) -> Self {
        Self::validation(violations.into_iter().map(FieldError::from).collect())
    }

    /// 500 with a cause that is logged and not sent.
    pub fn internal(cause: impl fmt::Display) -> Self {
        Self {
            cause: Some(cause.to_string().into()),
            ..Self::new(INTERNAL_ERROR, said!("internal-error"))
        }
    }

    /// 503 with `Retry-After`.
    pub fn unavailable(cause: impl fmt::Display) -> Self {
        Self {
            cause: Some(cause.to_string().into()),
            retry_after: Some(5),
            ..Self::new(SERVICE_UNAVAILABLE, said!("database-unavailable"))
        }
    }

    /// The problem body for a request.
    pub fn to_problem(
        &self,
        language: Language,
        instance: &str,
        request_id: Option<&str>,
    ) -> Problem {
        let errors: Vec<FieldError> = self.errors.iter().map(|e| e.said_in(language)).collect();
        Problem {
            type_uri: self.kind.type_uri(),
            title: self.kind.title(language).to_owned(),
            status: self.kind.status,
            detail: match self.kind.code {
                code if code == VALIDATION_FAILED.code => {
                    validation_detail(&self.errors).in_language(language)
                }
                _ => self.message.in_language(language),
            },
            instance: instance.to_owned(),
            code: self.kind.code.to_owned(),
            request_id: request_id.map(str::to_owned),
            errors,
            error: self.oauth.then(|| self.kind.code.to_owned()),
            error_description: self.oauth.then(|| self.detail()),
            deadline: self.deadline.as_deref().cloned(),
        }
    }

    /// The full response for a request; logs the cause of a server error once.
    pub fn render(
        &self,
        language: Language,
        instance: &str,
        request_id: Option<&str>,
    ) -> HttpResponse {
        if let Some(cause) = &self.cause {
            if self.kind.status >= 500 {
                tracing::error!(error.code = self.kind.code, error.cause = %cause, "request failed");
            } else {
                tracing::warn!(error.code = self.kind.code, error.cause = %cause, "request refused");
            }
        }
        self.response(language, instance, request_id)
    }

    /// The response, without logging.
    fn response(
        &self,
        language: Language,
        instance: &str,
        request_id: Option<&str>,
    ) -> HttpResponse {
        let mut response = problem_response(
            &self.to_problem(language, instance, request_id),
            self.retry_after,
            language,
        );
        if let Some(quotas) = &self.quotas {
            crate::responses::ratelimit::tell(response.headers_mut(), &quotas.0);
        }
        if self.www_authenticate {
            let detail = self.detail().replace(['"', '\\'], "'");
            let challenge = format!(
                "Bearer realm=\"wsis\", error=\"invalid_token\", error_description=\"{detail}\""
            );
            if let Ok(value) = HeaderValue::from_str(&challenge) {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, value);
            }
        }
        response
    }
}

/// Serialises a problem with its headers.
pub fn problem_response(
    problem: &Problem,
    retry_after: Option<u64>,
    language: Language,
) -> HttpResponse {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut builder = HttpResponse::build(status);
    builder
        .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)))
        .insert_header((header::CONTENT_LANGUAGE, language.code()))
        .insert_header((header::CACHE_CONTROL, "no-store"));
    if let Some(seconds) = retry_after {
        builder.insert_header((header::RETRY_AFTER, seconds.to_string()));
    }
    builder.body(serde_json::to_vec(problem).unwrap_or_default())
}

/// The responses every read of data shares: 304, 422 (a bad `lang`, `tz` or filter) and 503.
#[derive(Debug, utoipa::IntoResponses)]
pub enum ReadResponses {
    /// The client's copy is current.
    #[response(
        status = 304,
        description = "Not modified since the entity tag given in `If-None-Match`"
    )]
    NotModified,
    /// A query parameter is invalid.
    #[response(
        status = 422,
        description = "A query parameter (`lang`, `tz`, a filter) is not valid; `errors` names it",
        content_type = "application/problem+json"
    )]
    Invalid(Problem),
    /// The database cannot be reached.
    #[response(
        status = 503,
        description = "The database is unreachable or too slow; retry after `Retry-After` seconds",
        content_type = "application/problem+json"
    )]
    Unavailable(Problem),
}

/// 401: no, invalid, expired or revoked access token.
#[derive(Debug, utoipa::IntoResponses)]
pub enum SignInRequired {
    /// No valid credentials.
    #[response(
        status = 401,
        description = "No, invalid, expired or revoked access token (`WWW-Authenticate: Bearer …`)",
        content_type = "application/problem+json"
    )]
    Unauthorized(Problem),
}

/// 401, and 403 for callers who are not staff.
#[derive(Debug, utoipa::IntoResponses)]
pub enum StaffOnly {
    /// No valid credentials.
    #[response(
        status = 401,
        description = "No, invalid, expired or revoked access token (`WWW-Authenticate: Bearer …`)",
        content_type = "application/problem+json"
    )]
    Unauthorized(Problem),
    /// Not staff.
    #[response(
        status = 403,
        description = "Staff only",
        content_type = "application/problem+json"
    )]
    Forbidden(Problem),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.code, self.detail())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.kind.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// Rendered without request context; the error middleware renders it again with language, instance and id.
    fn error_response(&self) -> HttpResponse {
        self.response(Language::En, "", None)
    }
}

/// A use case's refusal as a problem: mapped here once for every route.
impl From<wsis_app::Refusal> for ApiError {
    fn from(refusal: wsis_app::Refusal) -> Self {
        use wsis_app::Refusal;
        let fields = |violations: Vec<wsis_domain::forms::Violation>| {
            violations.into_iter().map(FieldError::from).collect()
        };
        match refusal {
            Refusal::NotFound(detail) => Self::not_found(detail),
            Refusal::Unauthenticated(detail) => crate::auth::principal::unauthenticated(detail),
            Refusal::Forbidden(detail) => Self::new(FORBIDDEN, detail),
            Refusal::PreconditionRequired(detail) => Self::new(PRECONDITION_REQUIRED, detail),
            Refusal::Unreadable => Self::new(BAD_REQUEST, said!("body-unreadable")),
            Refusal::PreconditionFailed(detail) => Self::new(PRECONDITION_FAILED, detail),
            Refusal::InvalidTransition(detail) => Self::new(INVALID_TRANSITION, detail),
            Refusal::DeadlinePassed { message, deadline } => Self {
                deadline: Some(Box::new(deadline)),
                ..Self::new(DEADLINE_PASSED, message)
            },
            Refusal::Invalid(violations) => Self::validation(fields(violations)),
            Refusal::Conflict {
                message,
                violations,
            } => Self {
                errors: fields(violations),
                ..Self::new(CONFLICT, message)
            },
            Refusal::LastOwner(detail) => Self::new(LAST_OWNER, detail),
            Refusal::InvalidToken(detail) => Self::new(INVALID_TOKEN, detail),
            Refusal::RateLimited {
                message,
                retry_after,
                quotas,
            } => Self {
                retry_after: Some(retry_after),
                quotas: Some(Box::new(Quotas(quotas))),
                ..Self::new(RATE_LIMITED, message)
            },
            Refusal::Db(error) => error.into(),
        }
    }
}

impl From<DbError> for ApiError {
    fn from(err: DbError) -> Self {
        match err {
            DbError::NotFound => Self::new(NOT_FOUND, said!("resource-missing")),
            DbError::Unavailable(cause) => Self::unavailable(cause),
            DbError::UniqueViolation { constraint } => Self {
                cause: Some(format!("unique violation {constraint}").into()),
                ..Self::new(CONFLICT, said!("conflict-same-identifier"))
            },
            other => Self::internal(other),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        Self::internal(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_and_titled_in_six_languages() {
        let mut codes: Vec<&str> = ALL_KINDS.iter().map(|k| k.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ALL_KINDS.len());
        for kind in ALL_KINDS {
            assert!(
                kind.code
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{}",
                kind.code
            );
            assert!(StatusCode::from_u16(kind.status).is_ok());
            for language in Language::ALL {
                assert!(!kind.title(language).is_empty());
            }
        }
        assert_eq!(NOT_FOUND.title(Language::Fr), "Introuvable");
        assert_eq!(NOT_FOUND.title(Language::Ar), "غير موجود");
    }

    #[test]
    fn server_errors_never_carry_their_cause() {
        let err = ApiError::internal("password=hunter2 at db.rs:42");
        let problem = err.to_problem(Language::En, "/x", Some("id"));
        let body = serde_json::to_string(&problem).unwrap();
        assert!(!body.contains("hunter2"), "{body}");
        assert_eq!(problem.status, 500);
    }

    #[test]
    fn statuses_map_to_kinds() {
        assert_eq!(kind_for_status(StatusCode::NOT_FOUND).code, "not_found");
        assert_eq!(
            kind_for_status(StatusCode::PAYLOAD_TOO_LARGE).code,
            "payload_too_large"
        );
        assert_eq!(kind_for_status(StatusCode::BAD_REQUEST).code, "bad_request");
        assert_eq!(kind_for_status(StatusCode::IM_A_TEAPOT).code, "bad_request");
        assert_eq!(
            kind_for_status(StatusCode::BAD_GATEWAY).code,
            "internal_error"
        );
    }
}
