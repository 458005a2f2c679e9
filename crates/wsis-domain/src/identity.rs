//! Who acts: roles, scopes, and the authorisation policy over an [`Actor`] (an account's own rules, its address
//! and password, are in [`crate::account`]).
//!
//! The policy answers with an [`Access`]: allowed, hidden (the caller may not know the object exists: 404) or
//! forbidden (the caller sees the object but lacks the role or scope: 403).

use std::str::FromStr;

use crate::reference::{ActionLineCode, ParseError, code_enum};

code_enum!(
    /// A member's role in an organisation.
    MemberRole, "member role" {
        /// Manages members and everything else.
        Owner => "owner",
        /// Edits the organisation and its contributions.
        Editor => "editor",
        /// Reads only.
        Viewer => "viewer",
    }
);

impl FromStr for MemberRole {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_exact(s)
    }
}

impl MemberRole {
    /// Whether this role may do more than `other`: owner, then editor, then viewer.
    pub fn outranks(self, other: Self) -> bool {
        let rank = |role: Self| match role {
            Self::Owner => 3,
            Self::Editor => 2,
            Self::Viewer => 1,
        };
        rank(self) > rank(other)
    }
}

code_enum!(
    /// A role granted to a user by staff (submitters are users with memberships; partners are API clients).
    UserRole, "role" {
        /// Runs everything; every action is audited.
        Staff => "staff",
        /// Reviews assigned prize nominations.
        Reviewer => "reviewer",
    }
);

impl FromStr for UserRole {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_exact(s)
    }
}

code_enum!(
    /// What a partner API client may do.
    Scope, "scope" {
        /// Read submitted entries (never drafts).
        SubmissionsRead => "submissions:read",
        /// Download exports.
        ExportsRead => "exports:read",
        /// Read statistics.
        StatsRead => "stats:read",
    }
);

impl FromStr for Scope {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_exact(s)
    }
}

/// A signed-in user, as the policy sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserActor {
    /// User id.
    pub id: String,
    /// Granted roles.
    pub roles: Vec<UserRole>,
    /// (organisation id, role) for each membership.
    pub memberships: Vec<(String, MemberRole)>,
    /// Whether the e-mail address is verified (needed to submit, vote, create organisations).
    pub email_verified: bool,
    /// Whether the user acts through a third-party OAuth client (the `account` scope): then no role is delegated
    /// and the account's own credentials and erasure are out of reach ([`may_manage_credentials`]).
    pub delegated: bool,
}

/// Whether `actor` may change its account's password or e-mail address, or erase it: the user themself, signed in
/// first-party (a token obtained through a third-party client may not).
pub fn may_manage_credentials(actor: &Actor) -> Access {
    match actor {
        Actor::Anonymous => Access::Unauthenticated,
        Actor::User(user) if !user.delegated => Access::Allowed,
        _ => Access::Forbidden,
    }
}

/// A partner agency's API client, as the policy sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientActor {
    /// Client record id.
    pub id: String,
    /// Granted scopes.
    pub scopes: Vec<Scope>,
    /// When set, the client sees only entries on these action lines.
    pub action_lines: Option<Vec<ActionLineCode>>,
}

/// Whoever makes a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// No credentials.
    Anonymous,
    /// A user.
    User(UserActor),
    /// A partner API client.
    Client(ClientActor),
}

/// The policy's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Go ahead.
    Allowed,
    /// Answer as if the object did not exist (404).
    Hidden,
    /// The caller knows the object but may not do this (403).
    Forbidden,
    /// Credentials are needed (401).
    Unauthenticated,
}

impl Actor {
    /// Whether this is a staff user.
    pub fn is_staff(&self) -> bool {
        matches!(self, Self::User(u) if u.roles.contains(&UserRole::Staff))
    }

    /// The user, if a user.
    pub fn user(&self) -> Option<&UserActor> {
        match self {
            Self::User(u) => Some(u),
            _ => None,
        }
    }

    /// The caller's role in an organisation, if a member.
    pub fn member_role(&self, organisation_id: &str) -> Option<MemberRole> {
        self.user()?
            .memberships
            .iter()
            .find(|(id, _)| id == organisation_id)
            .map(|(_, role)| *role)
    }
}

/// The authorisation policy: one function per kind of action, checked at the top of each operation.
pub mod policy {
    use super::{Access, Actor, MemberRole, UserRole};

    fn membership(actor: &Actor, organisation_id: &str, allowed: &[MemberRole]) -> Access {
        match actor {
            Actor::Anonymous => Access::Unauthenticated,
            Actor::Client(_) => Access::Hidden,
            Actor::User(_) if actor.is_staff() => Access::Allowed,
            Actor::User(_) => match actor.member_role(organisation_id) {
                None => Access::Hidden,
                Some(role) if allowed.contains(&role) => Access::Allowed,
                Some(_) => Access::Forbidden,
            },
        }
    }

    /// Read an organisation and its members: its members and staff.
    pub fn view_organisation(actor: &Actor, organisation_id: &str) -> Access {
        membership(
            actor,
            organisation_id,
            &[MemberRole::Owner, MemberRole::Editor, MemberRole::Viewer],
        )
    }

    /// Change an organisation's details: owners, editors and staff.
    pub fn edit_organisation(actor: &Actor, organisation_id: &str) -> Access {
        membership(
            actor,
            organisation_id,
            &[MemberRole::Owner, MemberRole::Editor],
        )
    }

    /// Invite, change and remove members: owners and staff.
    pub fn manage_members(actor: &Actor, organisation_id: &str) -> Access {
        membership(actor, organisation_id, &[MemberRole::Owner])
    }

    /// Create an organisation: any user (an unverified account may prepare drafts; submitting and voting will
    /// need a verified address).
    pub fn create_organisation(actor: &Actor) -> Access {
        own_account(actor)
    }

    /// Submit a contribution or vote: users with a verified address.
    pub fn act_as_verified_user(actor: &Actor) -> Access {
        match actor {
            Actor::User(user) if user.email_verified => Access::Allowed,
            Actor::Anonymous => Access::Unauthenticated,
            _ => Access::Forbidden,
        }
    }

    /// Anything under `/admin`: staff only.
    pub fn administer(actor: &Actor) -> Access {
        match actor {
            Actor::Anonymous => Access::Unauthenticated,
            _ if actor.is_staff() => Access::Allowed,
            _ => Access::Forbidden,
        }
    }

    /// Own-account operations (`/me`): users.
    pub fn own_account(actor: &Actor) -> Access {
        match actor {
            Actor::Anonymous => Access::Unauthenticated,
            Actor::Client(_) => Access::Forbidden,
            Actor::User(_) => Access::Allowed,
        }
    }

    /// Whether a user holds a role (reviewer work comes with the prizes issue).
    pub fn has_role(actor: &Actor, role: UserRole) -> bool {
        actor.user().is_some_and(|u| u.roles.contains(&role))
    }
}

/// Serialisable list of scopes as a space-separated OAuth `scope` string.
pub fn scope_string(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.code())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether an OAuth `scope` request only asks for scopes in `granted`; `None` asks for all granted.
pub fn narrow_scopes(requested: Option<&str>, granted: &[Scope]) -> Result<Vec<Scope>, ParseError> {
    let Some(requested) = requested.filter(|r| !r.trim().is_empty()) else {
        return Ok(granted.to_vec());
    };
    let mut out = Vec::new();
    for name in requested.split_whitespace() {
        let scope: Scope = name.parse()?;
        if !granted.contains(&scope) {
            return Err(ParseError::new(
                "scope",
                name,
                crate::said!("expected-granted-scope"),
            ));
        }
        if !out.contains(&scope) {
            out.push(scope);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_rank_owner_then_editor_then_viewer() {
        use MemberRole::{Editor, Owner, Viewer};
        assert!(Owner.outranks(Editor) && Editor.outranks(Viewer) && Owner.outranks(Viewer));
        for role in [Owner, Editor, Viewer] {
            assert!(!role.outranks(role));
        }
        assert!(!Viewer.outranks(Editor) && !Editor.outranks(Owner));
    }

    fn user(memberships: &[(&str, MemberRole)], roles: &[UserRole], verified: bool) -> Actor {
        Actor::User(UserActor {
            id: "u".into(),
            roles: roles.to_vec(),
            memberships: memberships
                .iter()
                .map(|(o, r)| ((*o).to_owned(), *r))
                .collect(),
            email_verified: verified,
            delegated: false,
        })
    }

    #[test]
    fn only_a_first_party_user_manages_its_credentials() {
        let mut delegated = UserActor {
            id: "u".into(),
            roles: Vec::new(),
            memberships: Vec::new(),
            email_verified: true,
            delegated: true,
        };
        assert_eq!(
            may_manage_credentials(&Actor::User(delegated.clone())),
            Access::Forbidden
        );
        delegated.delegated = false;
        assert_eq!(
            may_manage_credentials(&Actor::User(delegated)),
            Access::Allowed
        );
        assert_eq!(
            may_manage_credentials(&Actor::Anonymous),
            Access::Unauthenticated
        );
        let client = Actor::Client(ClientActor {
            id: "c".into(),
            scopes: Vec::new(),
            action_lines: None,
        });
        assert_eq!(may_manage_credentials(&client), Access::Forbidden);
    }

    #[test]
    fn the_policy_hides_foreign_organisations_and_forbids_missing_roles() {
        let viewer = user(&[("org", MemberRole::Viewer)], &[], true);
        let editor = user(&[("org", MemberRole::Editor)], &[], true);
        let owner = user(&[("org", MemberRole::Owner)], &[], true);
        let stranger = user(&[("other", MemberRole::Owner)], &[], true);
        let staff = user(&[], &[UserRole::Staff], true);
        let client = Actor::Client(ClientActor {
            id: "c".into(),
            scopes: vec![Scope::StatsRead],
            action_lines: None,
        });
        assert_eq!(policy::view_organisation(&viewer, "org"), Access::Allowed);
        assert_eq!(policy::view_organisation(&stranger, "org"), Access::Hidden);
        assert_eq!(policy::view_organisation(&client, "org"), Access::Hidden);
        assert_eq!(
            policy::view_organisation(&Actor::Anonymous, "org"),
            Access::Unauthenticated
        );
        assert_eq!(policy::edit_organisation(&viewer, "org"), Access::Forbidden);
        assert_eq!(policy::edit_organisation(&editor, "org"), Access::Allowed);
        assert_eq!(policy::manage_members(&editor, "org"), Access::Forbidden);
        assert_eq!(policy::manage_members(&owner, "org"), Access::Allowed);
        assert_eq!(policy::manage_members(&staff, "org"), Access::Allowed);
        assert_eq!(policy::administer(&owner), Access::Forbidden);
        assert_eq!(policy::administer(&staff), Access::Allowed);
        assert_eq!(
            policy::create_organisation(&user(&[], &[], false)),
            Access::Allowed
        );
        assert_eq!(
            policy::act_as_verified_user(&user(&[], &[], false)),
            Access::Forbidden
        );
        assert_eq!(policy::act_as_verified_user(&viewer), Access::Allowed);
        assert_eq!(policy::create_organisation(&viewer), Access::Allowed);
        assert_eq!(policy::create_organisation(&client), Access::Forbidden);
        assert_eq!(policy::own_account(&client), Access::Forbidden);
    }

    #[test]
    fn requested_scopes_narrow_the_granted_ones() {
        let granted = [Scope::SubmissionsRead, Scope::StatsRead];
        assert_eq!(narrow_scopes(None, &granted).unwrap(), granted);
        assert_eq!(
            narrow_scopes(Some("stats:read"), &granted).unwrap(),
            [Scope::StatsRead]
        );
        assert!(narrow_scopes(Some("exports:read"), &granted).is_err());
        assert!(narrow_scopes(Some("everything"), &granted).is_err());
        assert_eq!(scope_string(&granted), "submissions:read stats:read");
    }
}
