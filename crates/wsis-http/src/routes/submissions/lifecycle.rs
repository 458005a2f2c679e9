//! Submitting (receipt, prize rules, deadline to the second) and withdrawing, with the mails they send.

use super::*;

/// Checks what the prizes rules add at submission: the project is the organisation's submitted stocktaking entry
/// that has not won a WSIS Prize before, one nomination per organisation and category in a call, and a project
/// once per call.
async fn check_prize_rules(state: &AppState, record: &SubmissionRecord) -> Result<(), ApiError> {
    let project = record
        .content
        .get("project_id")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned();
    let category = record
        .content
        .get("category")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or_default();
    let (org, call, me) = (
        record.organisation_id.clone(),
        record.call_id.clone(),
        record.id.clone(),
    );
    let (project_record, siblings, previous_wins, won_in) = state
        .db(move |conn| {
            let found = match submissions::find(conn, &project) {
                Ok(p) => Some(p),
                Err(DbError::NotFound) => None,
                Err(e) => return Err(e),
            };
            let wins = submissions::winning_nominations_of(conn, &project)?;
            let won_in = match wins.first() {
                Some(win) => Some(calls::find_call_by_id(conn, &win.call_id)?.slug),
                None => None,
            };
            Ok((
                found,
                submissions::list_for_organisations(conn, std::slice::from_ref(&org))?,
                wins,
                won_in,
            ))
        })
        .await?;
    let eligible = project_record.as_ref().is_some_and(|p| {
        p.organisation_id == record.organisation_id
            && p.track_kind == TrackKind::Stocktaking
            && matches!(
                p.status,
                SubmissionStatus::Submitted
                    | SubmissionStatus::UnderReview
                    | SubmissionStatus::Accepted
            )
    });
    if !eligible {
        return Err(ApiError::validation(vec![FieldError::new(
            "content.project_id",
            "not_eligible",
            "nominate one of your organisation's submitted stocktaking projects",
        )]));
    }
    if !previous_wins.is_empty() {
        let call = won_in.unwrap_or_default();
        return Err(ApiError::validation(vec![FieldError::new(
            "content.project_id",
            "previous_winner",
            format!("this project won a WSIS Prize in {call}; previous winners are not eligible"),
        )]));
    }
    let live = |s: &&SubmissionRecord| {
        s.id != me
            && s.call_id == call
            && s.track_kind == TrackKind::Prizes
            && !matches!(
                s.status,
                SubmissionStatus::Draft | SubmissionStatus::Withdrawn
            )
    };
    if siblings.iter().filter(live).any(|s| {
        s.content
            .get("category")
            .and_then(serde_json::Value::as_u64)
            == Some(category)
    }) {
        return Err(ApiError {
            errors: vec![FieldError::new(
                "content.category",
                "one_per_category",
                "your organisation already has a nomination in this category",
            )],
            ..ApiError::new(
                CONFLICT,
                "One nomination per organisation per category per call.",
            )
        });
    }
    let project_id = record.content.get("project_id");
    if siblings
        .iter()
        .filter(live)
        .any(|s| s.content.get("project_id") == project_id)
    {
        return Err(ApiError {
            errors: vec![FieldError::new(
                "content.project_id",
                "already_nominated",
                "this project is already nominated in this call",
            )],
            ..ApiError::new(CONFLICT, "A project is nominated once per call.")
        });
    }
    Ok(())
}

/// Submit a draft. Allowed when the server's receive time, taken once for this request, is at or before the
/// track's effective deadline (to the second). Answers the receipt. A late attempt is recorded and answered 409
/// `deadline_passed` with the deadline in UTC and in the track's zone.
#[utoipa::path(
    operation_id = "submit_submission",
    tag = "submissions",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Submission id"),
        ("If-Match" = Option<String>, Header, description = "Optionally, the `ETag` of the version you mean to submit"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retrying with the same key replays the first receipt instead of failing"),
        DryRun,
    ),
    responses(
        (status = 200, description = "The receipt (dry run: `number` is `DRY-RUN`)", body = Receipt),
        SignInRequired,
        (status = 403, description = "Not an owner or editor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such submission, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`deadline_passed`, `invalid_transition` (not a draft) or `conflict` (prizes rules)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since the given `ETag`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The content no longer passes the rules", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/submissions/{id}/submit")]
pub async fn submit_submission(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: web::Query<DryRun>,
) -> Result<HttpResponse, ApiError> {
    let caller = principal.user_id().map(str::to_owned).unwrap_or_default();
    crate::idempotency::key_of(&req)?;
    let dry_run = query.dry_run;
    let work = submit_submission_work(req.clone(), state.clone(), principal, id, query);
    if dry_run || caller.is_empty() {
        return work.await;
    }
    crate::idempotency::once(&req, &state, &caller, "", work).await
}

async fn submit_submission_work(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: web::Query<DryRun>,
) -> Result<HttpResponse, ApiError> {
    let received_at = crate::middleware::arrived_at(&req, &state);
    let (record, call) = load(&state, &principal, &id).await?;
    require_editor(&principal.actor, &record)?;
    if req.headers().contains_key(header::IF_MATCH) {
        require_if_match(&req, &record)?;
    }
    let user = principal.user_id()?.to_owned();
    let verified = policy::act_as_verified_user(&principal.actor);
    if verified != Access::Allowed {
        return Err(ApiError::new(
            FORBIDDEN,
            "Verify your e-mail address before submitting.",
        ));
    }
    if let Err(err) = record
        .status
        .apply(Transition::Submit, Performer::Organisation)
    {
        return Err(ApiError::new(INVALID_TRANSITION, format!("{err}.")));
    }
    check_own_deadline(&state, &record, &call, &user, "submit", received_at).await?;
    let language: Language = record.language.parse().unwrap_or(Language::En);
    validate(record.track_kind, &record.content, language)?;
    if record.track_kind == TrackKind::Prizes {
        check_prize_rules(&state, &record).await?;
    }
    let digest = content_digest(&record.content);
    let track = track_of(&call, &record.track_id)?;
    if query.dry_run {
        let preview = SubmissionRecord {
            receipt_number: Some("DRY-RUN".into()),
            received_at: Some(received_at),
            content_sha256: Some(digest),
            receipt_check: Some("DRY-RUN".into()),
            ..record.clone()
        };
        return Ok(HttpResponse::Ok().json(receipt_of(&preview, &call, &track)));
    }
    let (sid, version, slug, kind) = (
        record.id.clone(),
        record.version,
        call.slug.clone(),
        record.track_kind,
    );
    let check_code = crate::auth::secrets::receipt_check_code();
    let zone = track.schedule.timezone();
    let for_mail = record.clone();
    let submitted = state
        .db(move |conn| {
            let recipients = submissions::recipients(conn, &for_mail)?;
            submissions::submit(
                conn,
                &sid,
                version,
                &slug,
                kind,
                &digest,
                &check_code,
                &user,
                received_at,
                &|submitted| receipt_mails(&recipients, submitted, zone),
            )
        })
        .await?
        .ok_or_else(|| {
            ApiError::new(
                PRECONDITION_FAILED,
                "The submission changed while submitting; fetch it again.",
            )
        })?;
    let receipt = receipt_of(&submitted, &call, &track)
        .ok_or_else(|| ApiError::internal("receipt missing after submit"))?;
    tracing::info!(submission.id = %submitted.id, receipt = %receipt.number, "submitted");
    crate::routes::auth::deliver_now(&state, None).await;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(&submitted)))
        .json(receipt))
}

/// The receipt mail for each recipient, in their language.
fn receipt_mails(
    recipients: &[(String, String)],
    submitted: &SubmissionRecord,
    zone: chrono_tz::Tz,
) -> Vec<submissions::Mail> {
    let (Some(number), Some(at), Some(sha), Some(check)) = (
        &submitted.receipt_number,
        submitted.received_at,
        &submitted.content_sha256,
        &submitted.receipt_check,
    ) else {
        return Vec::new();
    };
    recipients
        .iter()
        .map(|(to, language)| {
            let language: Language = language.parse().unwrap_or(Language::En);
            let local = at
                .with_timezone(&zone)
                .to_rfc3339_opts(SecondsFormat::Secs, true);
            let letter = crate::mail::receipt(
                language,
                number,
                submitted.track_kind.code(),
                &rfc3339(at),
                &local,
                sha,
                check,
            );
            submissions::Mail {
                to: to.clone(),
                subject: letter.subject,
                body: letter.body,
                language: language.code().to_owned(),
            }
        })
        .collect()
}

/// Withdraw a submitted entry before a decision and before the track's effective deadline (owners, editors); after
/// the deadline entries are frozen and a late attempt is answered 409 `deadline_passed` and recorded.
#[utoipa::path(
    operation_id = "withdraw_submission",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Submission id")),
    responses(
        (status = 200, description = "Withdrawn", body = Submission),
        SignInRequired,
        (status = 403, description = "Not an owner or editor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such submission, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition` (a draft, or already decided) or `deadline_passed` (entries are frozen after the deadline)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/submissions/{id}/withdraw")]
pub async fn withdraw_submission(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let now = crate::middleware::arrived_at(&req, &state);
    let (record, call) = load(&state, &principal, &id).await?;
    require_editor(&principal.actor, &record)?;
    let user = principal.user_id()?.to_owned();
    let to = record
        .status
        .apply(Transition::Withdraw, Performer::Organisation)
        .map_err(|e| ApiError::new(INVALID_TRANSITION, format!("{e}.")))?;
    // After the deadline entries are frozen (docs/submissions.md): what was received is what is reviewed, and an
    // organisation that wants out asks the secretariat. Up to its own effective deadline it may withdraw.
    check_own_deadline(&state, &record, &call, &user, "withdraw", now).await?;
    let (sid, from) = (record.id.clone(), record.status);
    let moved = state
        .db(move |conn| {
            submissions::transition(
                conn,
                &sid,
                from,
                to,
                &user,
                "withdrawn",
                &serde_json::json!({"from": from.code()}),
                now,
                &[],
            )
        })
        .await?
        .ok_or_else(|| changed_meanwhile("submission"))?;
    Ok(respond(
        actix_web::http::StatusCode::OK,
        &moved,
        &render(&moved, &call, now, Vec::new())?,
    ))
}
