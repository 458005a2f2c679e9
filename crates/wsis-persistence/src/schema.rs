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
        session_formats -> Text,
        prize_narrative_min_words -> Integer,
        prize_rules -> Text,
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

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        email_normalized -> Text,
        password_hash -> Text,
        display_name -> Text,
        language -> Text,
        email_verified_at -> Nullable<Timestamp>,
        deleted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    user_roles (user_id, role) {
        user_id -> Text,
        role -> Text,
        granted_at -> Timestamp,
    }
}

diesel::table! {
    email_tokens (id) {
        id -> Text,
        user_id -> Text,
        purpose -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        new_email -> Nullable<Text>,
    }
}

diesel::table! {
    account_events (id) {
        id -> Text,
        user_id -> Text,
        actor_id -> Nullable<Text>,
        action -> Text,
        detail -> Text,
        client_address -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        recipient -> Text,
        subject -> Text,
        body -> Text,
        language -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        leased_until -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    api_clients (id) {
        id -> Text,
        client_id -> Text,
        name -> Text,
        agency -> Text,
        secret_hash -> Text,
        scopes -> Text,
        action_lines -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        secret_rotated_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Nullable<Text>,
        api_client_id -> Nullable<Text>,
        scope -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_reason -> Nullable<Text>,
        last_used_at -> Nullable<Timestamp>,
        user_agent -> Nullable<Text>,
        client_address -> Nullable<Text>,
        oauth_client_id -> Nullable<Text>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        session_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        rotated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    auth_failures (id) {
        id -> Text,
        throttle_key -> Text,
        failed_at -> Timestamp,
    }
}

diesel::table! {
    organisations (id) {
        id -> Text,
        name -> Text,
        stakeholder_category -> Text,
        country_code -> Text,
        website -> Nullable<Text>,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    memberships (organisation_id, user_id) {
        organisation_id -> Text,
        user_id -> Text,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    invitations (id) {
        id -> Text,
        organisation_id -> Text,
        email_normalized -> Text,
        role -> Text,
        token_hash -> Text,
        invited_by -> Text,
        expires_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        accepted_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(email_tokens -> users (user_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(memberships -> organisations (organisation_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(invitations -> organisations (organisation_id));

diesel::table! {
    prize_phases (track_id, phase) {
        track_id -> Text,
        phase -> Text,
        timezone -> Text,
        opens_rule -> Text,
        closes_rule -> Text,
        opens_at -> Timestamp,
        closes_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    prize_nominees (nomination_id) {
        nomination_id -> Text,
        call_id -> Text,
        category -> Integer,
        organisation_id -> Text,
        project_id -> Text,
        title -> Text,
        short_description -> Text,
        winner -> Bool,
        added_by -> Text,
        added_at -> Timestamp,
    }
}

diesel::table! {
    prize_publications (call_id, kind) {
        call_id -> Text,
        kind -> Text,
        published_at -> Timestamp,
        published_by -> Text,
    }
}

diesel::table! {
    prize_votes (id) {
        id -> Text,
        call_id -> Text,
        category -> Integer,
        voter_id -> Text,
        nominee_id -> Text,
        cast_at -> Timestamp,
        client_address -> Nullable<Text>,
        invalidated_at -> Nullable<Timestamp>,
        invalidated_by -> Nullable<Text>,
        invalidation_reason -> Nullable<Text>,
    }
}

diesel::table! {
    prize_audit (id) {
        id -> Text,
        call_id -> Text,
        action -> Text,
        actor_id -> Text,
        subject -> Nullable<Text>,
        detail -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    prize_earlier_winners (id) {
        id -> Text,
        year -> Integer,
        category -> Nullable<Integer>,
        title -> Text,
        title_key -> Text,
        organisation_name -> Text,
        organisation_id -> Nullable<Text>,
        project_id -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    reviewer_conflicts (user_id, kind, value) {
        user_id -> Text,
        kind -> Text,
        value -> Text,
        declared_at -> Timestamp,
    }
}

diesel::table! {
    prize_assignments (nomination_id, reviewer_id) {
        nomination_id -> Text,
        reviewer_id -> Text,
        call_id -> Text,
        assigned_by -> Text,
        assigned_at -> Timestamp,
    }
}

diesel::table! {
    hourly_counters (throttle_key, window_start) {
        throttle_key -> Text,
        window_start -> Timestamp,
        used -> Integer,
    }
}

diesel::table! {
    prize_reviews (nomination_id, reviewer_id) {
        nomination_id -> Text,
        reviewer_id -> Text,
        call_id -> Text,
        scores -> Text,
        total -> Double,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(prize_phases -> tracks (track_id));
diesel::joinable!(prize_nominees -> organisations (organisation_id));
diesel::joinable!(prize_votes -> prize_nominees (nominee_id));

diesel::allow_tables_to_appear_in_same_query!(
    prize_phases,
    prize_nominees,
    prize_publications,
    prize_votes,
    prize_audit,
    prize_earlier_winners,
    reviewer_conflicts,
    prize_assignments,
    prize_reviews,
    hourly_counters,
    users,
    user_roles,
    email_tokens,
    account_events,
    outbox,
    api_clients,
    sessions,
    refresh_tokens,
    auth_failures,
    organisations,
    memberships,
    invitations,
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
    submissions,
    receipt_counters,
    submission_revisions,
    submission_events,
    submission_tags,
    extensions,
    idempotency_keys,
    submissions_fts,
    repository_fts,
    submission_search_rows,
    repository_version,
);

diesel::table! {
    submissions (id) {
        id -> Text,
        call_id -> Text,
        track_id -> Text,
        track_kind -> Text,
        organisation_id -> Text,
        language -> Text,
        status -> Text,
        content -> Text,
        version -> Integer,
        receipt_number -> Nullable<Text>,
        received_at -> Nullable<Timestamp>,
        content_sha256 -> Nullable<Text>,
        pledge_status -> Nullable<Text>,
        search_text -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        prize_award -> Nullable<Text>,
        sort_title -> Text,
        receipt_check -> Nullable<Text>,
        submitted_stakeholder_category -> Nullable<Text>,
        submitted_country_code -> Nullable<Text>,
    }
}

diesel::table! {
    submission_tags (submission_id, tag) {
        submission_id -> Text,
        tag -> Text,
    }
}

diesel::table! {
    receipt_counters (track_id) {
        track_id -> Text,
        next_value -> Integer,
    }
}

diesel::table! {
    submission_revisions (id) {
        id -> Text,
        submission_id -> Text,
        number -> Integer,
        author_id -> Text,
        content -> Text,
        changed_fields -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    submission_events (id) {
        id -> Text,
        submission_id -> Text,
        actor_id -> Nullable<Text>,
        action -> Text,
        detail -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    extensions (id) {
        id -> Text,
        track_id -> Text,
        organisation_id -> Nullable<Text>,
        submission_id -> Nullable<Text>,
        until_at -> Timestamp,
        reason -> Text,
        granted_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (caller, idempotency_key) {
        caller -> Text,
        idempotency_key -> Text,
        request_hash -> Text,
        response_status -> Nullable<Integer>,
        response_body -> Nullable<Text>,
        created_at -> Timestamp,
        lease_expires_at -> Nullable<Timestamp>,
        claim_id -> Nullable<Text>,
    }
}

diesel::joinable!(submissions -> calls (call_id));
diesel::joinable!(submissions -> organisations (organisation_id));
diesel::joinable!(submission_tags -> submissions (submission_id));
diesel::joinable!(submissions_fts -> submission_search_rows (rowid));
diesel::joinable!(repository_fts -> submission_search_rows (rowid));
diesel::joinable!(submission_search_rows -> submissions (submission_id));

diesel::table! {
    /// SQLite only (contentless FTS5, migration `…000006_search_index`): the full-text index of
    /// `submissions.search_text`. `rank` is FTS5's hidden BM25 score of the current `MATCH` (lower is better).
    submissions_fts (rowid) {
        rowid -> BigInt,
        rank -> Double,
    }
}

diesel::table! {
    /// SQLite only (contentless FTS5, migration `…000008_repository_search`): the full-text index of the public
    /// repository alone (accepted stocktaking entries), keyed like `submissions_fts`.
    repository_fts (rowid) {
        rowid -> BigInt,
        rank -> Double,
    }
}

diesel::table! {
    /// SQLite only: the stable integer key of each submission in `submissions_fts`.
    submission_search_rows (rowid) {
        rowid -> BigInt,
        submission_id -> Text,
    }
}
diesel::allow_columns_to_appear_in_same_group_by_clause!(
    submissions::track_kind,
    submissions::status,
    organisations::stakeholder_category,
    organisations::country_code,
);

diesel::table! {
    /// One row: the version of what the public repository shows (bumped by triggers, migration `…000007`).
    repository_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    change_events (id) {
        id -> Text,
        seq -> Nullable<BigInt>,
        tx -> Nullable<BigInt>,
        event_type -> Text,
        object_kind -> Text,
        object_id -> Text,
        object_version -> Nullable<Integer>,
        call_id -> Nullable<Text>,
        track_kind -> Nullable<Text>,
        action_lines -> Nullable<Text>,
        organisation_id -> Nullable<Text>,
        audience -> Text,
        occurred_at -> Timestamp,
        client_id -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_endpoints (id) {
        id -> Text,
        client_id -> Nullable<Text>,
        created_by -> Nullable<Text>,
        url -> Text,
        description -> Text,
        event_types -> Text,
        filters -> Text,
        status -> Text,
        disabled_reason -> Nullable<Text>,
        delivered_seq -> BigInt,
        next_attempt_at -> Timestamp,
        attempts -> Integer,
        failing_since -> Nullable<Timestamp>,
        leased_by -> Nullable<Text>,
        leased_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_secrets (id) {
        id -> Text,
        endpoint_id -> Text,
        secret -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        endpoint_id -> Text,
        event_id -> Text,
        event_type -> Text,
        seq -> Nullable<BigInt>,
        kind -> Text,
        attempt -> Integer,
        status -> Text,
        created_at -> Timestamp,
        attempted_at -> Nullable<Timestamp>,
        http_status -> Nullable<Integer>,
        latency_ms -> Nullable<Integer>,
        response_excerpt -> Nullable<Text>,
        error -> Nullable<Text>,
    }
}

diesel::joinable!(webhook_endpoints -> api_clients (client_id));
diesel::joinable!(webhook_secrets -> webhook_endpoints (endpoint_id));
diesel::joinable!(webhook_deliveries -> webhook_endpoints (endpoint_id));

diesel::allow_tables_to_appear_in_same_query!(
    change_events,
    webhook_endpoints,
    webhook_secrets,
    webhook_deliveries,
    api_clients,
);

diesel::table! {
    oauth_clients (id) {
        id -> Text,
        client_id -> Text,
        name -> Text,
        redirect_uris -> Text,
        scopes -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    oauth_codes (id) {
        id -> Text,
        code_hash -> Text,
        client_id -> Text,
        user_id -> Text,
        redirect_uri -> Text,
        scope -> Text,
        code_challenge -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        session_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(oauth_clients, oauth_codes);
