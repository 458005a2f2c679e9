//! Table definitions, written to match `migrations/` (identical on both backends).

diesel::table! {
    stakeholder_categories (code) {
        code -> Text,
        position -> Integer,
        labels -> Text,
    }
}

diesel::table! {
    regions (code) {
        code -> Text,
        position -> Integer,
        labels -> Text,
    }
}

diesel::table! {
    countries (code) {
        code -> Text,
        alpha3 -> Nullable<Text>,
        numeric_code -> Nullable<Text>,
        region_code -> Nullable<Text>,
        labels -> Text,
    }
}

diesel::table! {
    action_lines (code) {
        code -> Text,
        position -> Integer,
        facilitators -> Text,
        labels -> Text,
    }
}

diesel::table! {
    sdgs (number) {
        number -> Integer,
        labels -> Text,
    }
}

diesel::table! {
    prize_categories (number) {
        number -> Integer,
        action_line_code -> Text,
        labels -> Text,
    }
}

diesel::table! {
    currencies (code) {
        code -> Text,
        numeric_code -> Text,
        minor_units -> Integer,
        labels -> Text,
    }
}

diesel::table! {
    track_kinds (code) {
        code -> Text,
        position -> Integer,
        labels -> Text,
    }
}

diesel::table! {
    calls (id) {
        id -> Text,
        slug -> Text,
        year -> Integer,
        timezone -> Text,
        title -> Text,
        letter_date -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    events (id) {
        id -> Text,
        call_id -> Text,
        name -> Text,
        starts_on -> Date,
        ends_on -> Date,
        city -> Text,
        country_code -> Text,
        timezone -> Text,
        co_organisers -> Text,
    }
}

diesel::table! {
    tracks (id) {
        id -> Text,
        call_id -> Text,
        kind -> Text,
        timezone -> Text,
        opens_rule -> Text,
        closes_rule -> Text,
        opens_at -> Timestamp,
        closes_at -> Timestamp,
        grace_seconds -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(countries -> regions (region_code));
diesel::joinable!(prize_categories -> action_lines (action_line_code));
diesel::joinable!(events -> calls (call_id));
diesel::joinable!(tracks -> calls (call_id));
diesel::joinable!(tracks -> track_kinds (kind));

diesel::allow_tables_to_appear_in_same_query!(
    stakeholder_categories,
    regions,
    countries,
    action_lines,
    sdgs,
    prize_categories,
    currencies,
    track_kinds,
    calls,
    events,
    tracks,
);
