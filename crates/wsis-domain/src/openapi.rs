//! OpenAPI schemas of the domain's vocabularies (feature `openapi`, turned on by the HTTP crate only): every closed
//! vocabulary is an `enum` in the contract, every catalogue code a string that says what it accepts.

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};

/// A string with a closed set of values.
pub(crate) fn string_enum(codes: &[&str]) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .enum_values(Some(codes.iter().copied()))
        .into()
}

/// A string checked against a catalogue (countries, currencies, action lines).
pub(crate) fn code_string(description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .description(Some(description))
        .into()
}

/// A number from 1 to `max` (SDGs, prize categories).
pub(crate) fn small_number(description: &str, max: u8) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::Integer))
        .description(Some(description))
        .minimum(Some(1))
        .maximum(Some(max))
        .into()
}

impl utoipa::PartialSchema for crate::Language {
    fn schema() -> RefOr<Schema> {
        let codes: Vec<&str> = crate::Language::ALL.iter().map(|l| l.code()).collect();
        string_enum(&codes)
    }
}

impl utoipa::ToSchema for crate::Language {}
