//! `wsis seed-voting`: a WSIS Prizes vote in progress, for demonstrations and for the vote benchmark
//! (bench/votes.sh). A call whose voting opened four weeks ago, with five published nominees in each of the 18
//! categories, and `voters` verified voters each signed in with a session and an access token. Everything before
//! the vote goes through the same use cases as over HTTP, at the times it would have happened (projects and
//! nominations while the tracks were open, acceptance, the shortlist after the nominations closed, publication in
//! the nominees phase); only the voters are written straight to the database (one password hash for all).

use chrono::{DateTime, Duration, Utc};
use wsis_app::submissions as app;
use wsis_domain::prizes::{PhaseDefinition, PrizePhase, PrizeRules};
use wsis_domain::{
    Actor, CallDefinition, Decision, Labels, StakeholderCategory, TimeRule, TrackDefinition,
    TrackKind, UserActor, UserRole,
};
use wsis_http::auth::TokenIssuer;
use wsis_persistence::users::SessionOwner;
use wsis_persistence::{Database, DbError, calls, organisations, users};

/// Nominees per category.
pub const NOMINEES_PER_CATEGORY: usize = 5;

/// What seeding made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VotingReport {
    /// The call's slug.
    pub call: String,
    /// The published nominees (nomination ids) by category, 1 to 18.
    pub nominees: Vec<(u8, Vec<String>)>,
    /// One access token per voter.
    pub tokens: Vec<String>,
}

const SHORT_DESCRIPTION: &str = "Rural e-learning hubs bring solar power, offline digital libraries and trained facilitators to villages where schools have no connectivity. Each hub serves about four hundred pupils and their teachers, with content in local languages aligned with national curricula. Since 2021 the project has opened thirty hubs, trained two hundred teachers and reached twelve thousand learners, more than half of them girls. Community committees own and run the hubs, which also host adult literacy classes and health information sessions in the evenings. Costs per learner fell by forty percent after the second phase thanks to locally assembled equipment and shared maintenance. The ministries of education now include the hubs in their digital education plans, and a regional university evaluates learning outcomes every year. The next phase will connect hubs through community networks where possible, add mathematics and science content, and train young people from each village as technicians, so that the hubs keep working without outside support.";

fn day(at: DateTime<Utc>) -> chrono::NaiveDate {
    at.date_naive()
}

/// The vote's call: a stocktaking track open all along, and a prizes track whose nominations closed 40 days ago,
/// reviewed, nominees published four weeks ago, voting open from then until 30 days from now (running totals
/// public, so the benchmark can watch them).
pub fn voting_call(now: DateTime<Utc>) -> CallDefinition {
    let window = |from: i64, to: i64| {
        (
            TimeRule::StartOfLocalDay {
                date: day(now + Duration::days(from)),
            },
            TimeRule::EndOfLocalDay {
                date: day(now + Duration::days(to)),
            },
        )
    };
    let phase = |phase, from, to| {
        let (opens, closes) = window(from, to);
        PhaseDefinition {
            phase,
            opens,
            closes,
        }
    };
    let (stk_opens, stk_closes) = window(-60, 365);
    let (prz_opens, prz_closes) = window(-60, -40);
    let year = now.date_naive().format("%Y").to_string();
    CallDefinition {
        slug: format!("vote-{year}"),
        year: year.parse().unwrap_or(2026),
        timezone: chrono_tz::Europe::Zurich,
        title: Labels::same("WSIS Prizes vote (demo)"),
        letter_date: None,
        event: None,
        tracks: vec![
            TrackDefinition {
                kind: TrackKind::Stocktaking,
                opens: stk_opens,
                closes: stk_closes,
                grace_seconds: 0,
                timezone: None,
                phases: Vec::new(),
            },
            TrackDefinition {
                kind: TrackKind::Prizes,
                opens: prz_opens,
                closes: prz_closes,
                grace_seconds: 0,
                timezone: None,
                phases: vec![
                    phase(PrizePhase::Review, -39, -30),
                    phase(PrizePhase::Nominees, -28, -28),
                    phase(PrizePhase::Voting, -28, 30),
                    phase(PrizePhase::Results, 31, 60),
                ],
            },
        ],
        session_formats: Vec::new(),
        prize_narrative_min_words: 0,
        prizes: PrizeRules {
            running_totals: true,
            ..PrizeRules::default()
        },
    }
}

/// Seeds the vote (once: a second run adds voters only) and signs `voters` voters in, with tokens from `tokens`.
pub fn seed(
    database: &Database,
    tokens: &TokenIssuer,
    voters: usize,
    now: DateTime<Utc>,
) -> Result<VotingReport, String> {
    let err = |e: DbError| e.to_string();
    let refused = |what: &str, refusal: wsis_app::Refusal| format!("{what} was refused: {refusal}");
    let definition = voting_call(now);
    let hash =
        wsis_app::passwords::hash("demo account, not for production").map_err(|e| e.to_string())?;
    let user =
        |conn: &mut wsis_persistence::DbConnection, email: &str| -> Result<String, DbError> {
            if let Some(found) = users::find_user_by_email(conn, email)? {
                return Ok(found.id);
            }
            let created = users::create_user(
                conn,
                &users::NewUser {
                    email,
                    email_normalized: email,
                    password_hash: &hash,
                    display_name: "Demo voter",
                    language: "en",
                },
                now,
            )?;
            users::mark_verified(conn, &created.id, now)?;
            Ok(created.id)
        };
    let staff = Actor::User(UserActor {
        id: database
            .with(|conn| user(conn, "vote-staff@wsis.invalid"))
            .map_err(err)?,
        roles: vec![UserRole::Staff],
        memberships: Vec::new(),
        email_verified: true,
        delegated: false,
    });
    let exists = database
        .with(|conn| calls::call_exists(conn, &definition.slug))
        .map_err(err)?;
    if !exists {
        database
            .with(|conn| calls::create_call(conn, &definition, now))
            .map_err(err)?;
        // One organisation per nominee, each nominating one completed project of its own.
        let mut mailed = vec!["vote-staff@wsis.invalid".to_owned()];
        for category in 1..=18u8 {
            for k in 0..NOMINEES_PER_CATEGORY {
                let owner_email = format!("vote-org-{category}-{k}@wsis.invalid");
                let owner = database
                    .with(|conn| user(conn, &owner_email))
                    .map_err(err)?;
                mailed.push(owner_email);
                let profile = organisations::Profile {
                    name: format!("Nominee organisation {category}.{}", k + 1),
                    stakeholder_category: StakeholderCategory::CivilSociety,
                    country: "KE"
                        .parse()
                        .map_err(|e: wsis_domain::ParseError| e.to_string())?,
                    website: None,
                };
                let organisation = database
                    .with(|conn| organisations::create(conn, &profile, &owner, now))
                    .map_err(err)?
                    .id;
                let actor = Actor::User(UserActor {
                    id: owner,
                    roles: Vec::new(),
                    memberships: vec![(organisation.clone(), wsis_domain::MemberRole::Owner)],
                    email_verified: true,
                    delegated: false,
                });
                let entry = |track: TrackKind, content: serde_json::Value, at: DateTime<Utc>| {
                    database
                        .with(|conn| {
                            let draft = app::create_draft(
                                conn,
                                &actor,
                                app::NewDraft {
                                    call: definition.slug.clone(),
                                    track: track.code().into(),
                                    organisation_id: organisation.clone(),
                                    language: "en".into(),
                                    content,
                                    at,
                                    dry_run: false,
                                },
                            )
                            .map_err(|r| DbError::Corrupt(refused("a draft", r)))?;
                            let id = draft.record.id;
                            let submit = app::Submit {
                                id: id.clone(),
                                received_at: at,
                                if_match: None,
                                dry_run: false,
                            };
                            app::submit(conn, &actor, submit)
                                .map_err(|r| DbError::Corrupt(refused("a submission", r)))?;
                            let decide = |decision| app::Decide {
                                id: id.clone(),
                                decision,
                                note: None,
                                at: at + Duration::days(1),
                            };
                            if track == TrackKind::Prizes {
                                app::decide(conn, &staff, decide(Decision::StartReview))
                                    .map_err(|r| DbError::Corrupt(refused("a review", r)))?;
                            }
                            app::decide(conn, &staff, decide(Decision::Accept))
                                .map_err(|r| DbError::Corrupt(refused("an acceptance", r)))?;
                            Ok(id)
                        })
                        .map_err(err)
                };
                let title = format!("Community learning hubs {category}.{}", k + 1);
                let project = entry(
                    TrackKind::Stocktaking,
                    serde_json::json!({
                        "title": title,
                        "description": format!("{title}: solar-powered learning hubs run by their villages."),
                        "action_lines": ["C7.e-learning"],
                        "sdgs": [4],
                        "countries": ["KE"],
                        "coverage_level": "national",
                        "status": "completed",
                        "start_date": "2021-01-01",
                        "website": "https://hubs.example.org",
                        "partners": ["Ministry of education"],
                        "beneficiaries": "12,000 learners",
                        "contact": {"name": "Demo Contact", "email": "contact@example.org"}
                    }),
                    now - Duration::days(55),
                )?;
                let nomination = entry(
                    TrackKind::Prizes,
                    serde_json::json!({
                        "project_id": project,
                        "category": category,
                        "short_description": SHORT_DESCRIPTION,
                        "impact": "Twelve thousand learners, more than half of them girls.",
                        "sdg_linkage": "SDG 4 through Action Line C7 e-learning.",
                        "partnerships": "Ministries of education; a regional university.",
                        "challenges": "Power, connectivity and maintenance in remote villages.",
                        "future_plans": "Community-network links between hubs."
                    }),
                    now - Duration::days(50),
                )?;
                database
                    .with(|conn| {
                        wsis_app::prizes::add_nominee(
                            conn,
                            &staff,
                            &definition.slug,
                            &nomination,
                            now - Duration::days(35),
                        )
                        .map_err(|r| DbError::Corrupt(refused("a nominee", r)))
                    })
                    .map_err(err)?;
            }
        }
        database
            .with(|conn| {
                wsis_app::prizes::publish_nominees(
                    conn,
                    &staff,
                    &definition.slug,
                    now - Duration::days(28) + Duration::hours(12),
                )
                .map_err(|r| DbError::Corrupt(refused("the publication", r)))
            })
            .map_err(err)?;
        // The receipts and decisions were mailed to the demo accounts, which no one reads.
        let recipients: Vec<&str> = mailed.iter().map(String::as_str).collect();
        database
            .with(|conn| wsis_persistence::outbox::discard_pending_to(conn, &recipients))
            .map_err(err)?;
    }
    let list = database
        .with(|conn| {
            let call = calls::find_call(conn, &definition.slug)?;
            wsis_persistence::prizes::nominees(conn, &call.id)
        })
        .map_err(err)?;
    let nominees = (1..=18u8)
        .map(|c| {
            let ids = list
                .iter()
                .filter(|n| n.category == i32::from(c))
                .map(|n| n.nomination_id.clone())
                .collect();
            (c, ids)
        })
        .collect();
    // The voters: one hash for all, verified, each with a session of a day and an access token for it.
    let mut issued = Vec::with_capacity(voters);
    let batch = 500;
    let mut done = 0;
    while done < voters {
        let size = batch.min(voters - done);
        let made = database
            .with(|conn| {
                wsis_persistence::db::transaction(conn, |conn| {
                    let mut made = Vec::with_capacity(size);
                    for i in done..done + size {
                        let id = user(conn, &format!("voter-{i}@wsis.invalid"))?;
                        let sid = users::create_session(
                            conn,
                            &SessionOwner::User(id.clone()),
                            "",
                            now + Duration::days(1),
                            now,
                        )?;
                        made.push((id, sid));
                    }
                    Ok(made)
                })
            })
            .map_err(err)?;
        for (id, sid) in made {
            issued.push(tokens.issue(&id, &sid, "user", Vec::new(), "", now)?);
        }
        done += size;
    }
    Ok(VotingReport {
        call: definition.slug,
        nominees,
        tokens: issued,
    })
}
