//! `wsis seed-demo`: a database full of realistic synthetic projects, stored through the same use cases as real
//! submissions (create a draft, submit it with a receipt, staff acceptance), and an open demo call whose tracks close a year
//! from now, so that every endpoint has something to show.

use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use wsis_app::submissions as app;
use wsis_domain::{
    Actor, CallDefinition, Decision, Labels, TimeRule, TrackDefinition, TrackKind, UserActor,
    UserRole,
};
use wsis_persistence::{Database, DbError, calls, organisations, users};

/// The demo accounts (the `.invalid` top-level domain never receives mail).
const OWNER: &str = "demo-owner@wsis.invalid";
const STAFF: &str = "demo-staff@wsis.invalid";

/// What seeding made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoReport {
    /// The demo call's slug.
    pub call: String,
    /// Organisations created.
    pub organisations: usize,
    /// Accepted stocktaking projects created.
    pub projects: usize,
}

struct Words {
    language: &'static str,
    subjects: &'static [&'static str],
    topics: &'static [&'static str],
    places: &'static [&'static str],
    sentence: &'static str,
}

const WORDS: [Words; 6] = [
    Words {
        language: "ar",
        subjects: &["مكتبات", "مراكز", "شبكات", "منصات", "مدارس"],
        topics: &[
            "رقمية",
            "للتعلّم الإلكتروني",
            "للصحة الإلكترونية",
            "مجتمعية",
            "للمعلومات",
        ],
        places: &[
            "في القرى",
            "للنساء",
            "للشباب",
            "في المناطق الريفية",
            "للمزارعين",
        ],
        sentence: "مشروع لتعزيز النفاذ إلى المعلومات والمعارف وبناء القدرات في مجتمع المعلومات.",
    },
    Words {
        language: "zh",
        subjects: &[
            "数字图书馆",
            "社区网络",
            "在线学习平台",
            "远程医疗中心",
            "电子政务服务",
        ],
        topics: &["项目", "计划", "倡议", "网络", "中心"],
        places: &["农村地区", "青年", "妇女", "中小企业", "学校"],
        sentence: "该项目旨在促进信息社会世界峰会行动方针的落实，提高数字技能。",
    },
    Words {
        language: "en",
        subjects: &[
            "Digital libraries",
            "Community networks",
            "E-learning hubs",
            "Telemedicine centres",
            "Open data portals",
        ],
        topics: &[
            "for development",
            "for inclusion",
            "for resilience",
            "for local content",
            "for skills",
        ],
        places: &[
            "in rural areas",
            "for women",
            "for youth",
            "for farmers",
            "for small islands",
        ],
        sentence: "The project connects people to information and knowledge and builds capacity for the information society.",
    },
    Words {
        language: "fr",
        subjects: &[
            "Bibliothèques numériques",
            "Réseaux communautaires",
            "Centres de télé-enseignement",
            "Plateformes de cybersanté",
            "Données ouvertes",
        ],
        topics: &[
            "pour le développement",
            "pour l'inclusion",
            "pour la résilience",
            "pour les contenus locaux",
            "pour les compétences",
        ],
        places: &[
            "en zones rurales",
            "pour les femmes",
            "pour les jeunes",
            "pour les agriculteurs",
            "dans les écoles",
        ],
        sentence: "Le projet relie les communautés à l'information et renforce les capacités de la société de l'information.",
    },
    Words {
        language: "ru",
        subjects: &[
            "Цифровые библиотеки",
            "Общественные сети",
            "Центры электронного обучения",
            "Платформы телемедицины",
            "Открытые данные",
        ],
        topics: &[
            "для развития",
            "для вовлечения",
            "для устойчивости",
            "для местного контента",
            "для навыков",
        ],
        places: &[
            "в сельских районах",
            "для женщин",
            "для молодёжи",
            "для фермеров",
            "в школах",
        ],
        sentence: "Проект обеспечивает доступ к информации и знаниям и укрепляет потенциал информационного общества.",
    },
    Words {
        language: "es",
        subjects: &[
            "Bibliotecas digitales",
            "Redes comunitarias",
            "Centros de aprendizaje en línea",
            "Plataformas de telesalud",
            "Datos abiertos",
        ],
        topics: &[
            "para el desarrollo",
            "para la inclusión",
            "para la resiliencia",
            "para contenidos locales",
            "para competencias",
        ],
        places: &[
            "en zonas rurales",
            "para mujeres",
            "para jóvenes",
            "para agricultores",
            "en escuelas",
        ],
        sentence: "El proyecto conecta a las comunidades con la información y fortalece las capacidades de la sociedad de la información.",
    },
];

const ACTION_LINES: [&str; 18] = [
    "C1",
    "C2",
    "C3",
    "C4",
    "C5",
    "C6",
    "C7.e-government",
    "C7.e-business",
    "C7.e-learning",
    "C7.e-health",
    "C7.e-employment",
    "C7.e-environment",
    "C7.e-agriculture",
    "C7.e-science",
    "C8",
    "C9",
    "C10",
    "C11",
];
const CATEGORIES: [&str; 7] = [
    "government",
    "private_sector",
    "civil_society",
    "academia",
    "technical_community",
    "international_organisation",
    "other",
];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// The demo call: four tracks open from a month ago to a year from `now`, in Geneva time.
pub fn demo_call(now: DateTime<Utc>) -> CallDefinition {
    let year =
        i32::try_from(now.format("%Y").to_string().parse::<i64>().unwrap_or(2026)).unwrap_or(2026);
    let open = (now - Duration::days(30)).date_naive();
    let close = (now + Duration::days(365)).date_naive();
    CallDefinition {
        slug: format!("demo-{year}"),
        year,
        timezone: chrono_tz::Europe::Zurich,
        title: Labels {
            ar: "دعوة تجريبية".into(),
            zh: "演示征集".into(),
            en: "Demo call for contributions".into(),
            fr: "Appel à contributions de démonstration".into(),
            ru: "Демонстрационный призыв".into(),
            es: "Convocatoria de demostración".into(),
        },
        letter_date: None,
        event: None,
        tracks: TrackKind::ALL
            .iter()
            .map(|kind| TrackDefinition {
                kind: *kind,
                opens: TimeRule::StartOfLocalDay { date: open },
                closes: TimeRule::EndOfLocalDay { date: close },
                grace_seconds: 0,
                timezone: None,
                phases: Vec::new(),
            })
            .collect(),
        session_formats: CallDefinition::wsis_2025()
            .map(|call| call.session_formats)
            .unwrap_or_default(),
        prize_narrative_min_words: 0,
        prizes: Default::default(),
    }
}

/// Seeds `projects` accepted stocktaking projects spread over organisations of every category and region, in the
/// six languages; `progress` is told how many are done after each batch.
pub fn seed(
    database: &Database,
    projects: usize,
    now: DateTime<Utc>,
    progress: &dyn Fn(usize),
) -> Result<DemoReport, String> {
    let err = |e: DbError| e.to_string();
    let definition = demo_call(now);
    let call = database
        .with(|conn| {
            if calls::call_exists(conn, &definition.slug)? {
                calls::find_call(conn, &definition.slug)
            } else {
                calls::create_call(conn, &definition, now)
            }
        })
        .map_err(err)?;
    let hash =
        wsis_app::passwords::hash("demo account, not for production").map_err(|e| e.to_string())?;
    let mut rng = StdRng::seed_from_u64(20_250_707);
    let countries: Vec<String> = wsis_domain::catalogue()
        .countries
        .iter()
        .filter(|c| c.region.is_some())
        .map(|c| c.code.clone())
        .collect();
    let organisation_count = (projects / 25).clamp(1, 5000);
    let (owner, staff) = database
        .with(|conn| {
            let make = |conn: &mut wsis_persistence::DbConnection,
                        email: &str|
             -> Result<String, DbError> {
                match users::find_user_by_email(conn, email)? {
                    Some(user) => Ok(user.id),
                    None => {
                        let user = users::create_user(
                            conn,
                            &users::NewUser {
                                email,
                                email_normalized: email,
                                password_hash: &hash,
                                display_name: "Demo",
                                language: "en",
                            },
                            now,
                        )?;
                        users::mark_verified(conn, &user.id, now)?;
                        Ok(user.id)
                    }
                }
            };
            Ok((make(conn, OWNER)?, make(conn, STAFF)?))
        })
        .map_err(err)?;
    let mut orgs = Vec::with_capacity(organisation_count);
    database
        .with(|conn| {
            wsis_persistence::db::transaction(conn, |conn| {
                for i in 0..organisation_count {
                    let country = if i % 40 == 0 {
                        "global".to_owned()
                    } else {
                        pick(&mut rng, &countries).clone()
                    };
                    let fields = organisations::Profile {
                        name: format!("Demo organisation {}", i + 1),
                        stakeholder_category: pick(&mut rng, &CATEGORIES).parse().map_err(
                            |e: wsis_domain::ParseError| DbError::Corrupt(e.to_string()),
                        )?,
                        country: country.parse().map_err(|e: wsis_domain::ParseError| {
                            DbError::Corrupt(e.to_string())
                        })?,
                        website: Some(format!("https://org{}.example.org", i + 1)),
                    };
                    orgs.push((
                        organisations::create(conn, &fields, &owner, now)?.id,
                        country,
                    ));
                }
                Ok(())
            })
        })
        .map_err(err)?;
    // The demo owner acts with every membership it has; the demo staff account acts as the secretariat would (the
    // operator running this command has that authority; the account itself is given no staff role).
    let owner_actor = database
        .with(|conn| users::memberships_of(conn, &owner))
        .map_err(err)
        .map(|memberships| {
            Actor::User(UserActor {
                id: owner.clone(),
                roles: Vec::new(),
                memberships: memberships
                    .into_iter()
                    .map(|m| (m.organisation_id, m.role))
                    .collect(),
                email_verified: true,
                delegated: false,
            })
        })?;
    let staff_actor = Actor::User(UserActor {
        id: staff,
        roles: vec![UserRole::Staff],
        memberships: Vec::new(),
        email_verified: true,
        delegated: false,
    });
    let refused = |refusal: wsis_app::Refusal| match refusal {
        wsis_app::Refusal::Db(e) => e,
        other => DbError::Corrupt(format!("a demo project was refused: {other}")),
    };
    let batch = 1000;
    let mut done = 0;
    while done < projects {
        let size = batch.min(projects - done);
        database
            .with(|conn| {
                wsis_persistence::db::prepare_bulk_load(conn)?;
                wsis_persistence::db::bulk_transaction(conn, |conn| {
                    for i in done..done + size {
                        let words = &WORDS[i % WORDS.len()];
                        let (org, org_country) = pick(&mut rng, &orgs).clone();
                        let lines: Vec<&str> = (0..rng.random_range(1..=3)).map(|_| *pick(&mut rng, &ACTION_LINES)).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
                        let sdgs: Vec<u8> = (0..rng.random_range(1..=3)).map(|_| rng.random_range(1..=17u8)).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
                        let project_countries: Vec<String> =
                            if org_country == "global" { vec!["global".into()] } else { vec![org_country.clone()] };
                        let title = format!("{} {} {}", pick(&mut rng, words.subjects), pick(&mut rng, words.topics), pick(&mut rng, words.places));
                        let start = 2015 + rng.random_range(0..10);
                        let content = serde_json::json!({
                            "title": title,
                            "description": format!("{} {} ({})", title, words.sentence, i + 1),
                            "website": format!("https://project{}.example.org", i + 1),
                            "action_lines": lines,
                            "sdgs": sdgs,
                            "countries": project_countries,
                            "coverage_level": *pick(&mut rng, &["national", "regional", "international"]),
                            "status": *pick(&mut rng, &["planned", "ongoing", "ongoing", "completed"]),
                            "start_date": format!("{start}-0{}-01", rng.random_range(1..=9)),
                            "partners": [format!("Partner {}", rng.random_range(1..500))],
                            "beneficiaries": format!("{} people", rng.random_range(100..100_000)),
                            "contact": {"name": "Demo Contact", "email": "contact@example.org"}
                        });
                        // The same use cases as the API: a draft, its submission with a receipt, staff acceptance.
                        let drafted = app::create_draft(conn, &owner_actor, app::NewDraft {
                            call: call.slug.clone(), track: TrackKind::Stocktaking.code().into(), organisation_id: org,
                            language: words.language.into(), content, at: now, dry_run: false,
                        }).map_err(refused)?;
                        let id = drafted.record.id;
                        app::submit(conn, &owner_actor, app::Submit { id: id.clone(), received_at: now, if_match: None, dry_run: false })
                            .map_err(refused)?;
                        app::decide(conn, &staff_actor, app::Decide { id, decision: Decision::Accept, note: None, at: now })
                            .map_err(refused)?;
                    }
                    // The receipts and decisions were mailed to the demo accounts, which no one reads.
                    wsis_persistence::outbox::discard_pending_to(conn, &[OWNER, STAFF])?;
                    Ok(())
                })
            })
            .map_err(err)?;
        done += size;
        progress(done);
    }
    // Fresh planner statistics, or SQLite may scan by status instead of walking the listing index.
    database.analyze().map_err(err)?;
    Ok(DemoReport {
        call: call.slug,
        organisations: organisation_count,
        projects,
    })
}
