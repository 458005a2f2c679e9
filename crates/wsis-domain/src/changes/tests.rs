use super::*;
use crate::identity::{ClientActor, MemberRole, UserActor, UserRole};

fn line(code: &str) -> ActionLineCode {
    code.parse().unwrap()
}

fn user(orgs: &[&str], roles: &[UserRole]) -> Actor {
    Actor::User(UserActor {
        id: "u".into(),
        roles: roles.to_vec(),
        memberships: orgs
            .iter()
            .map(|o| ((*o).to_owned(), MemberRole::Viewer))
            .collect(),
        email_verified: true,
        delegated: false,
    })
}

fn client(scopes: &[Scope], lines: Option<&[&str]>) -> Actor {
    Actor::Client(ClientActor {
        id: "c".into(),
        scopes: scopes.to_vec(),
        action_lines: lines.map(|l| l.iter().map(|c| line(c)).collect()),
    })
}

#[test]
fn who_sees_what() {
    let c3 = [line("C3")];
    let c5 = [line("C5")];
    let anonymous = Sight::of(&Actor::Anonymous);
    assert!(anonymous.sees(Audience::Public, None, None, None));
    assert!(anonymous.sees(Audience::Public, Some("org"), Some(&c3), None));
    assert!(!anonymous.sees(Audience::Readers, Some("org"), Some(&c3), None));
    assert!(!anonymous.sees(Audience::Members, Some("org"), None, None));

    let member = Sight::of(&user(&["org"], &[]));
    assert!(member.sees(Audience::Members, Some("org"), None, None));
    assert!(member.sees(Audience::Readers, Some("org"), None, None));
    assert!(!member.sees(Audience::Readers, Some("other"), None, None));
    assert!(!member.sees(Audience::Members, Some("other"), None, None));

    let staff = Sight::of(&user(&[], &[UserRole::Staff]));
    assert!(staff.sees(Audience::Readers, Some("other"), None, None));
    // Another organisation's drafts are not staff's to see, in the feed as in `GET /submissions/{id}`.
    assert!(!staff.sees(Audience::Members, Some("other"), None, None));

    let reader = Sight::of(&client(&[Scope::SubmissionsRead], None));
    assert!(reader.sees(Audience::Readers, Some("org"), Some(&c5), None));
    assert!(!reader.sees(Audience::Members, Some("org"), Some(&c5), None));

    let limited = Sight::of(&client(&[Scope::SubmissionsRead], Some(&["C3"])));
    assert!(limited.sees(Audience::Readers, Some("org"), Some(&c3), None));
    assert!(!limited.sees(Audience::Readers, Some("org"), Some(&c5), None));
    assert!(!limited.sees(Audience::Public, Some("org"), Some(&c5), None));
    // Events without action lines (calls, tracks) are public facts, seen by a limited partner too.
    assert!(limited.sees(Audience::Public, None, None, None));

    let stats_only = Sight::of(&client(&[Scope::StatsRead], None));
    assert!(!stats_only.sees(Audience::Readers, Some("org"), None, None));
    assert!(stats_only.sees(Audience::Public, None, None, None));

    // A webhook endpoint's events: its client's and staff's alone, whatever else the caller may read.
    assert!(stats_only.sees(Audience::Owner, None, None, Some("c")));
    assert!(!stats_only.sees(Audience::Owner, None, None, Some("another")));
    assert!(!reader.sees(Audience::Owner, None, None, None));
    assert!(staff.sees(Audience::Owner, None, None, Some("c")));
    assert!(staff.sees(Audience::Owner, None, None, None));
    assert!(!member.sees(Audience::Owner, Some("org"), None, None));
    assert!(!anonymous.sees(Audience::Owner, None, None, None));
    assert!(!anonymous.sees(Audience::Owner, None, None, Some("c")));
}

#[test]
fn every_event_type_parses_back_and_names_its_object() {
    for ty in EventType::ALL {
        assert_eq!(ty.code().parse::<EventType>(), Ok(*ty));
        let prefix = ty.code().split('.').next().unwrap_or_default();
        let kind = ty.object_kind();
        match prefix {
            "submission" => assert_eq!(kind, ObjectKind::Submission),
            "repository" => assert_eq!(kind, ObjectKind::Project),
            "call" => assert_eq!(kind, ObjectKind::Call),
            "webhook" => assert_eq!(kind, ObjectKind::Webhook),
            _ => assert_eq!(kind, ObjectKind::Track),
        }
    }
    assert!("submission.nope".parse::<EventType>().is_err());
}

#[test]
fn the_digest_ignores_order_and_repeats_but_not_values() {
    let a = Filters {
        types: vec![EventType::SubmissionSubmitted, EventType::CallCreated],
        calls: vec!["wsis-2025".into()],
        tracks: vec![],
        action_lines: vec![line("C3"), line("C5")],
    };
    let b = Filters {
        types: vec![
            EventType::CallCreated,
            EventType::SubmissionSubmitted,
            EventType::CallCreated,
        ],
        calls: vec!["wsis-2025".into()],
        tracks: vec![],
        action_lines: vec![line("C5"), line("C3")],
    };
    assert_eq!(a.digest(), b.digest());
    assert_ne!(a.digest(), Filters::default().digest());
    assert_eq!(a.digest().len(), 12);
}

#[test]
fn cursors_round_trip_and_refuse_anything_else() {
    let cursor = Cursor {
        seq: 42,
        filters: Filters::default().digest(),
    };
    assert_eq!(cursor.encode().parse::<Cursor>(), Ok(cursor));
    for bad in [
        "",
        "c",
        "c-1.000000000000",
        "c1",
        "c1.xyz",
        "x1.000000000000",
        "c1.0000000000000",
    ] {
        assert!(bad.parse::<Cursor>().is_err(), "{bad}");
    }
}

#[test]
fn lines_are_kept_so_that_one_like_finds_each() {
    let lines = [line("C3"), line("C7.e-health")];
    let column = lines_column(&lines);
    assert_eq!(column.as_deref(), Some(",C3,C7.e-health,"));
    assert_eq!(lines_of_column(column.as_deref()), lines.to_vec());
    assert_eq!(lines_column(&[]), None);
    assert!(lines_of_column(None).is_empty());
}
