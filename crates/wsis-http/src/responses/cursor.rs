//! Cursors of keyset pagination: the position of a page's last item, opaque to clients.

use chrono::DateTime;
use wsis_domain::said;
use wsis_persistence::submissions::{ListOrder, Position};

use crate::problem::ApiError;
use crate::routes::filters::bad;

/// A cursor: the position of the last item of a page, in its order (`n` newest, `t` title, `r` relevance), opaque
/// to clients (URL-safe base64). Cursors of the first release (`micros|id`) still read as newest.
pub fn encode(position: &Position) -> String {
    use base64::Engine;
    let raw = match position {
        Position::Newest(at, id) => format!("n|{}|{id}", at.timestamp_micros()),
        Position::Title(title, id) => format!("t|{id}|{title}"),
        Position::Relevance(score, id) => format!("r|{:016x}|{id}", score.to_bits()),
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

/// Reads a cursor for a listing in `order`; a cursor of another order (the `sort` changed) is refused.
pub fn decode(cursor: &str, order: ListOrder) -> Result<Position, ApiError> {
    use base64::Engine;
    let invalid = || bad("cursor", "invalid_cursor", said!("field-cursor"));
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| invalid())?;
    let raw = String::from_utf8(raw).map_err(|_| invalid())?;
    let micros = |m: &str| {
        m.parse::<i64>()
            .ok()
            .and_then(DateTime::from_timestamp_micros)
            .ok_or_else(invalid)
    };
    let position = match raw.split_once('|').ok_or_else(invalid)? {
        ("n", rest) => {
            let (at, id) = rest.split_once('|').ok_or_else(invalid)?;
            Position::Newest(micros(at)?, id.to_owned())
        }
        ("t", rest) => {
            let (id, title) = rest.split_once('|').ok_or_else(invalid)?;
            Position::Title(title.to_owned(), id.to_owned())
        }
        ("r", rest) => {
            let (bits, id) = rest.split_once('|').ok_or_else(invalid)?;
            let bits = u64::from_str_radix(bits, 16).map_err(|_| invalid())?;
            Position::Relevance(f64::from_bits(bits), id.to_owned())
        }
        (at, id) => Position::Newest(micros(at)?, id.to_owned()),
    };
    let fits = matches!(
        (&position, order),
        (Position::Newest(..), ListOrder::Newest)
            | (Position::Title(..), ListOrder::Title)
            | (Position::Relevance(..), ListOrder::Relevance)
    );
    if fits { Ok(position) } else { Err(invalid()) }
}
