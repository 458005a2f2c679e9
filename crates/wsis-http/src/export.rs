//! Exports, streamed page by page in constant memory, in the same formats everywhere: `csv` (RFC 4180, UTF-8, a
//! header row, CRLF; cells that a spreadsheet would run as a formula neutralised), `json` (one JSON array) and
//! `jsonl` (JSON Lines, one item per line). Used by the submissions export and the public repository's.

use std::rc::Rc;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Serialize;
use wsis_persistence::submissions::{self, ListQuery, Listed};

use crate::problem::ApiError;
use crate::routes::filters::{Param, QueryValue};
use crate::state::AppState;

/// Items read and rendered per database round trip.
pub const PAGE_SIZE: i64 = 1000;

/// The export's own query parameter (the list's filters apply too).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `csv` (default: RFC 4180, UTF-8, a header row), `json` (one array) or `jsonl` (JSON Lines).
    #[param(value_type = Option<ExportFormat>)]
    pub format: Option<Param<ExportFormat>>,
}

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum ExportFormat {
    /// RFC 4180 CSV with a header row.
    Csv,
    /// One JSON array.
    Json,
    /// JSON Lines.
    Jsonl,
}

impl ExportFormat {
    /// The format named by the `format` query parameter (absent: CSV); 422 naming `format` for anything else.
    pub fn from_query(query_string: &str) -> Result<Self, ApiError> {
        let params: ExportParams = crate::routes::filters::read(query_string)?;
        Ok(params.format.map_or(Self::Csv, |f| f.0))
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8; header=present",
            Self::Json => "application/json",
            Self::Jsonl => "application/x-ndjson",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
            Self::Jsonl => "jsonl",
        }
    }
}

impl QueryValue for ExportFormat {
    const RULE: &'static str = "unknown_format";
    fn read(text: &str) -> Result<Self, wsis_domain::Said> {
        match text {
            "csv" => Ok(Self::Csv),
            "json" => Ok(Self::Json),
            "jsonl" => Ok(Self::Jsonl),
            _ => Err(wsis_domain::said!("field-export-format")),
        }
    }
}

/// One exported item: serialised as it is for JSON, and as cells (in the export's column order) for CSV.
pub trait ExportItem: Serialize {
    /// The CSV cells, in column order, as plain text (neutralised on writing).
    fn cells(&self) -> Vec<String>;
}

/// A cell a spreadsheet would evaluate (`=`, `+`, `-`, `@`, tab or carriage return first) is prefixed with a single
/// quote, as OWASP recommends against CSV injection, so that `=HYPERLINK(…)` arrives as text, not as a live formula.
/// The quote is visible in the cell; the JSON formats carry the text unchanged.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// Renders a page of items in `format`; `first` says whether any item came before (JSON array commas).
fn render_page<T: ExportItem>(
    items: &[T],
    format: ExportFormat,
    first: bool,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(items.len() * 1024);
    match format {
        ExportFormat::Csv => {
            let mut writer = csv_writer();
            for item in items {
                let cells = item.cells();
                writer
                    .write_record(cells.iter().map(|c| neutralise(c).into_owned()))
                    .map_err(|e| e.to_string())?;
            }
            out = writer.into_inner().map_err(|e| e.to_string())?;
        }
        ExportFormat::Json => {
            for (i, item) in items.iter().enumerate() {
                if !(first && i == 0) {
                    out.push(b',');
                }
                serde_json::to_writer(&mut out, item).map_err(|e| e.to_string())?;
            }
        }
        ExportFormat::Jsonl => {
            for item in items {
                serde_json::to_writer(&mut out, item).map_err(|e| e.to_string())?;
                out.push(b'\n');
            }
        }
    }
    Ok(out)
}

fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

/// What an export answers with.
#[derive(Debug)]
pub struct Export {
    /// The format.
    pub format: ExportFormat,
    /// The CSV header row.
    pub columns: &'static [&'static str],
    /// The download's file name, without extension.
    pub file_stem: String,
    /// `Cache-Control`.
    pub cache_control: &'static str,
}

impl Export {
    /// Streams every item `query` lists (its `limit` and `after` are the export's own), page by page: at most one
    /// page is in memory at a time. A page that cannot be read, or an item that cannot be rendered, ends the
    /// stream with an error rather than leaving anything out silently.
    pub fn stream<T, F>(
        self,
        state: web::Data<AppState>,
        query: ListQuery,
        render: F,
    ) -> HttpResponse
    where
        T: ExportItem + 'static,
        F: Fn(&Listed) -> Result<T, String> + 'static,
    {
        let format = self.format;
        let opening = opening(format, self.columns)
            .ok()
            .filter(|head| !head.is_empty());
        struct Cursor {
            query: ListQuery,
            first: bool,
            done: bool,
        }
        let render = Rc::new(render);
        let state = state.into_inner();
        let pages = futures_util::stream::unfold(
            Cursor {
                query: ListQuery {
                    limit: PAGE_SIZE,
                    after: None,
                    ..query
                },
                first: true,
                done: false,
            },
            move |mut cursor| {
                let state = state.clone();
                let render = render.clone();
                async move {
                    if cursor.done {
                        return None;
                    }
                    let query = cursor.query.clone();
                    let page = async {
                        let rows = state
                            .db(move |conn| submissions::list(conn, &query))
                            .await
                            .map_err(|e| e.to_string())?;
                        let items = rows
                            .iter()
                            .map(|r| render(r))
                            .collect::<Result<Vec<T>, _>>()?;
                        let chunk = render_page(&items, format, cursor.first)?;
                        Ok::<_, String>((
                            rows.len(),
                            rows.last().map(|r| r.position.clone()),
                            chunk,
                        ))
                    }
                    .await;
                    match page {
                        Ok((count, last, mut chunk)) => {
                            cursor.done = i64::try_from(count).unwrap_or(0) < cursor.query.limit;
                            cursor.first = cursor.first && count == 0;
                            if let Some(position) = last {
                                cursor.query.after = Some(position);
                            }
                            if cursor.done && format == ExportFormat::Json {
                                chunk.push(b']');
                            }
                            Some((Ok::<_, actix_web::Error>(web::Bytes::from(chunk)), cursor))
                        }
                        Err(err) => {
                            tracing::error!(error = %err, "export stopped");
                            Some((
                                Err(actix_web::error::ErrorInternalServerError(
                                    "export interrupted",
                                )),
                                Cursor {
                                    done: true,
                                    ..cursor
                                },
                            ))
                        }
                    }
                }
            },
        );
        let head = futures_util::stream::iter(
            opening.map(|bytes| Ok::<_, actix_web::Error>(web::Bytes::from(bytes))),
        );
        attachment(format, &self.file_stem, self.cache_control)
            .streaming(futures_util::StreamExt::chain(head, pages))
    }
}

/// Answers a short list already in memory (a call's reviews) in `format`, as the streamed exports are answered:
/// the header row of `columns` for CSV, the same headers, and never stored by a cache (staff data).
pub fn whole<T: ExportItem>(
    format: ExportFormat,
    columns: &[String],
    items: &[T],
    file_stem: &str,
) -> Result<HttpResponse, ApiError> {
    let mut body = opening(format, columns).map_err(ApiError::internal)?;
    body.extend(render_page(items, format, true).map_err(ApiError::internal)?);
    if format == ExportFormat::Json {
        body.push(b']');
    }
    Ok(attachment(format, file_stem, "private, no-store").body(body))
}

/// What an export starts with: the CSV header row of `columns`, JSON's opening bracket, nothing for JSON Lines.
fn opening<C: AsRef<[u8]>>(format: ExportFormat, columns: &[C]) -> Result<Vec<u8>, String> {
    match format {
        ExportFormat::Csv => {
            let mut writer = csv_writer();
            writer.write_record(columns).map_err(|e| e.to_string())?;
            writer.into_inner().map_err(|e| e.to_string())
        }
        ExportFormat::Json => Ok(b"[".to_vec()),
        ExportFormat::Jsonl => Ok(Vec::new()),
    }
}

/// The head of an export's answer: its media type, `Cache-Control`, and a download named `file_stem.<format>`.
fn attachment(
    format: ExportFormat,
    file_stem: &str,
    cache_control: &'static str,
) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::CONTENT_TYPE, format.content_type()))
        .insert_header((header::CACHE_CONTROL, cache_control))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"{file_stem}.{}\"",
                format.extension()
            ),
        ));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row(Vec<String>);

    impl ExportItem for Row {
        fn cells(&self) -> Vec<String> {
            self.0.clone()
        }
    }

    #[test]
    fn cells_a_spreadsheet_would_run_are_neutralised() {
        for cell in [
            "=HYPERLINK(\"http://evil\",\"x\")",
            "+1",
            "-1+2",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(neutralise(cell), format!("'{cell}"), "{cell:?}");
        }
        for cell in ["", "Library", "1-2", "a=b", "'quoted"] {
            assert_eq!(neutralise(cell), cell, "{cell:?}");
        }
        let csv = render_page(
            &[Row(vec!["=1+1".into(), "ok".into()])],
            ExportFormat::Csv,
            true,
        )
        .unwrap();
        assert_eq!(String::from_utf8(csv).unwrap(), "'=1+1,ok\r\n");
        let json = render_page(&[Row(vec!["=1+1".into()])], ExportFormat::Json, true).unwrap();
        assert_eq!(
            String::from_utf8(json).unwrap(),
            "[\"=1+1\"]",
            "JSON keeps the text as it is"
        );
    }

    #[test]
    fn json_pages_join_into_one_array() {
        let a = render_page(
            &[Row(vec!["a".into()]), Row(vec!["b".into()])],
            ExportFormat::Json,
            true,
        )
        .unwrap();
        let b = render_page(&[Row(vec!["c".into()])], ExportFormat::Json, false).unwrap();
        let whole = format!(
            "[{}{}]",
            String::from_utf8(a).unwrap(),
            String::from_utf8(b).unwrap()
        );
        let parsed: serde_json::Value = serde_json::from_str(&whole).unwrap();
        assert_eq!(parsed, serde_json::json!([["a"], ["b"], ["c"]]));
    }

    #[test]
    fn formats_are_named_alike_everywhere() {
        assert_eq!(ExportFormat::from_query("").unwrap(), ExportFormat::Csv);
        assert_eq!(
            ExportFormat::from_query("format=json").unwrap(),
            ExportFormat::Json
        );
        assert_eq!(
            ExportFormat::from_query("q=x&format=jsonl").unwrap(),
            ExportFormat::Jsonl
        );
        assert!(ExportFormat::from_query("format=xml").is_err());
    }
}
