//! Content negotiation: the response language (`?lang=` or `Accept-Language`) and the caller's time zone (`?tz=`).

use std::future::{Ready, ready};
use wsis_domain::said;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use chrono_tz::Tz;
use serde::Deserialize;
use wsis_domain::Language;

use crate::problem::{ApiError, FieldError};

#[derive(Debug, Default, Deserialize)]
struct NegotiationQuery {
    lang: Option<String>,
}

fn query(req: &HttpRequest) -> NegotiationQuery {
    web::Query::<NegotiationQuery>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .unwrap_or_default()
}

/// Every `name=` value of the query string, in order.
fn all_values(req: &HttpRequest, name: &str) -> Vec<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v)
        .collect()
}

/// A parameter given more than once where one value is meant: a 422 naming it (it used to be ignored, silently).
fn repeated(name: &str) -> ApiError {
    ApiError::validation(vec![FieldError::new(
        name,
        "repeated_parameter",
        said!("field-give-once", name = name),
    )])
}

/// The language for a request, leniently: `?lang=` when it names one of the six, else the best match of
/// `Accept-Language`, else English. Used where a request must be answered whatever it says (error responses).
pub fn request_language(req: &HttpRequest) -> Language {
    query(req)
        .lang
        .and_then(|l| l.parse().ok())
        .or_else(|| {
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Language::negotiate)
        })
        .unwrap_or(Language::En)
}

/// A `?lang=` value: one of the six, else a 422 naming `lang`.
pub fn query_language(tag: &str) -> Result<Language, ApiError> {
    tag.parse().map_err(|_| {
        ApiError::validation(vec![FieldError::new(
            "lang",
            "unsupported_language",
            said!("field-not-a-language", given = tag),
        )])
    })
}

/// The negotiated language of a request, strictly: a `?lang=` outside the six is a 422 naming `lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lang(pub Language);

impl FromRequest for Lang {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let values = all_values(req, "lang");
        ready(match values.as_slice() {
            [] => Ok(Lang(request_language(req))),
            [tag] => query_language(tag).map(Lang),
            _ => Err(repeated("lang")),
        })
    }
}

/// The caller's IANA time zone from `?tz=`, if given; an unknown zone is a 422 naming `tz`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallerZone(pub Option<Tz>);

impl FromRequest for CallerZone {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let values = all_values(req, "tz");
        if values.len() > 1 {
            return ready(Err(repeated("tz")));
        }
        ready(match values.into_iter().next() {
            None => Ok(CallerZone(None)),
            Some(name) => name
                .parse::<Tz>()
                .map(|tz| CallerZone(Some(tz)))
                .map_err(|_| {
                    ApiError::validation(vec![FieldError::new(
                        "tz",
                        "unknown_time_zone",
                        said!(
                            "field-unknown-time-zone-such-as",
                            given = name.chars().take(64).collect::<String>()
                        ),
                    )])
                }),
        })
    }
}
