//! Accounts: who may sign in, the roles they hold over parts of the organisation, and what
//! each role may do. The types here travel to the browser; SQL and sessions sit behind `ssr`.

pub mod admin;
pub mod api;
pub mod pages;

use crate::error::AppError;
use crate::i18n::Lang;
use crate::org::UnitRef;
use serde::{Deserialize, Serialize};

/// A role, always held over a unit (and everything under it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Quản trị: accounts, settings and every action.
    Admin,
    /// Lãnh đạo Sở: reads everything in scope, approves.
    Leader,
    /// Chuyên viên Sở: maintains the organisation and its data in scope.
    Specialist,
    /// Cán bộ khu vực: a commune's (formerly a district's) schools.
    AreaOfficer,
    /// Cán bộ trường: one school's own data.
    SchoolOfficer,
    /// Người xem: reads only.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Leader,
        Role::Specialist,
        Role::AreaOfficer,
        Role::SchoolOfficer,
        Role::Viewer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Leader => "leader",
            Role::Specialist => "specialist",
            Role::AreaOfficer => "area",
            Role::SchoolOfficer => "school",
            Role::Viewer => "viewer",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether this role may be held on a unit of `kind`: the department's roles on the
    /// department (or one of its divisions), an area officer's on an area, a school
    /// officer's on a school; a viewer anywhere.
    pub fn fits(self, kind: crate::org::UnitKind) -> bool {
        use crate::org::UnitKind;
        match self {
            Role::Admin | Role::Leader | Role::Specialist => {
                matches!(kind, UnitKind::Department | UnitKind::Division)
            }
            Role::AreaOfficer => kind == UnitKind::Area,
            Role::SchoolOfficer => kind == UnitKind::School,
            Role::Viewer => true,
        }
    }

    /// Whether a holder of this role may give `other` to someone (within their scope):
    /// nobody hands out more than they have.
    pub fn may_grant(self, other: Role) -> bool {
        use Role::*;
        match self {
            Admin => true,
            Specialist => matches!(other, AreaOfficer | SchoolOfficer | Viewer),
            AreaOfficer => matches!(other, SchoolOfficer | Viewer),
            Leader | SchoolOfficer | Viewer => false,
        }
    }
}

/// What a request wants to do. Every server function and endpoint names one (see `authz`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// See units, their history and figures.
    ViewOrganisation,
    /// Import or change schools.
    EditOrganisation,
    /// Create accounts, reset passwords, change grants.
    ManageUsers,
    /// Browse the audit trail.
    ViewAudit,
    /// Read plans: all of them in the department, the issued ones sent to one's units below.
    ViewPlans,
    /// Write plans and submit them for approval.
    EditPlans,
    /// Approve, return and issue plans.
    ApprovePlans,
    /// Mark a unit's deployment steps of an issued plan.
    DeployPlans,
    /// Choose the pilot sites of the 19/8 day: the department its THPT, an area its THCS and
    /// primary schools.
    ChoosePilots,
    /// See report cycles, completeness and roll-ups over one's part of the tree.
    ViewReports,
    /// Fill in and submit the reports of one's units.
    SubmitReports,
    /// Return or accept submitted reports, and reopen those locked by date.
    ReviewReports,
    /// Create report templates and cycles.
    ManageReports,
    /// Reopen an accepted report (a level above the reviewers).
    ReopenReports,
    /// See model schools, standards, evaluations and decisions over one's part of the tree.
    ViewRecognition,
    /// Choose the year's model schools of an area.
    SelectModelSchools,
    /// Assess one's own school against a criteria set and file its dossier.
    AssessSchool,
    /// Score filed dossiers and conclude on them.
    ReviewRecognition,
    /// Record the year-end decisions that recognise schools.
    DecideRecognition,
    /// Edit the criteria sets.
    ManageCriteria,
}

impl Action {
    pub const ALL: [Action; 20] = [
        Action::ViewOrganisation,
        Action::EditOrganisation,
        Action::ManageUsers,
        Action::ViewAudit,
        Action::ViewPlans,
        Action::EditPlans,
        Action::ApprovePlans,
        Action::DeployPlans,
        Action::ChoosePilots,
        Action::ViewReports,
        Action::SubmitReports,
        Action::ReviewReports,
        Action::ManageReports,
        Action::ReopenReports,
        Action::ViewRecognition,
        Action::SelectModelSchools,
        Action::AssessSchool,
        Action::ReviewRecognition,
        Action::DecideRecognition,
        Action::ManageCriteria,
    ];

    /// The roles that may take this action within their scope.
    pub fn allowed(self) -> &'static [Role] {
        use Role::*;
        match self {
            Action::ViewOrganisation => &[
                Admin,
                Leader,
                Specialist,
                AreaOfficer,
                SchoolOfficer,
                Viewer,
            ],
            Action::EditOrganisation => &[Admin, Specialist],
            Action::ManageUsers => &[Admin, Specialist, AreaOfficer],
            Action::ViewAudit => &[Admin],
            Action::ViewPlans => &[
                Admin,
                Leader,
                Specialist,
                AreaOfficer,
                SchoolOfficer,
                Viewer,
            ],
            Action::EditPlans => &[Admin, Specialist],
            Action::ApprovePlans => &[Admin, Leader],
            Action::DeployPlans => &[Admin, AreaOfficer, SchoolOfficer],
            Action::ChoosePilots => &[Admin, Leader, Specialist, AreaOfficer],
            Action::ViewReports => &[
                Admin,
                Leader,
                Specialist,
                AreaOfficer,
                SchoolOfficer,
                Viewer,
            ],
            Action::SubmitReports => &[Admin, AreaOfficer, SchoolOfficer],
            Action::ReviewReports => &[Admin, Specialist, AreaOfficer],
            Action::ManageReports => &[Admin, Specialist],
            Action::ReopenReports => &[Admin, Leader, Specialist],
            Action::ViewRecognition => &[
                Admin,
                Leader,
                Specialist,
                AreaOfficer,
                SchoolOfficer,
                Viewer,
            ],
            Action::SelectModelSchools => &[Admin, Specialist, AreaOfficer],
            Action::AssessSchool => &[Admin, SchoolOfficer],
            Action::ReviewRecognition => &[Admin, Specialist, AreaOfficer],
            Action::DecideRecognition => &[Admin, Leader, Specialist],
            Action::ManageCriteria => &[Admin, Specialist],
        }
    }

    pub fn allows(self, role: Role) -> bool {
        self.allowed().contains(&role)
    }
}

/// One grant: a role over a unit's subtree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub unit: UnitRef,
}

/// The signed-in user as pages see them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub must_change_password: bool,
    pub grants: Vec<Grant>,
}

impl CurrentUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    /// Whether some grant allows the action somewhere; the server still checks the unit.
    pub fn may(&self, action: Action) -> bool {
        self.grants.iter().any(|g| action.allows(g.role))
    }

    /// Where the user starts: the unit of their first grant.
    pub fn home_unit(&self) -> Option<&UnitRef> {
        self.grants.first().map(|g| &g.unit)
    }
}

/// One entry of the audit trail, as admins read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntryView {
    pub id: i64,
    pub at: String,
    pub username: Option<String>,
    pub address: String,
    pub action: String,
    pub entity: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A user as the administration page lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub active: bool,
    pub must_change_password: bool,
    pub grants: Vec<Grant>,
}

/// An initial password handed over on paper; it must be changed at first sign-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssuedPassword {
    pub username: String,
    pub full_name: String,
    pub unit: String,
    pub password: String,
}

/// The kinds of write the audit trail records, for its filter.
pub const AUDIT_ACTIONS: [&str; 8] = [
    "import_create",
    "import_update",
    "sign_in",
    "sign_out",
    "sign_out_everywhere",
    "change_password",
    "user_create",
    "user_reset_password",
];

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Checks a new password; the message is for the user.
pub fn check_new_password(password: &str, username: &str) -> Result<(), String> {
    let chars = password.chars().count();
    let refusal = if chars < MIN_PASSWORD_CHARS {
        Refusal::TooShort
    } else if chars > 200 {
        Refusal::TooLong
    } else if password.to_lowercase().contains(&username.to_lowercase()) && !username.is_empty() {
        Refusal::HasUsername
    } else {
        return Ok(());
    };
    Err(refusal.message(Lang::Vi))
}

/// Why a sign-in or password change was refused. A plain form (without the bundle) is sent
/// back to its page with the code in its address (`?error=`): only these codes, so a link
/// cannot put words of its own on the page, and the page says it in the reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Credentials,
    Missing,
    Throttled,
    CurrentWrong,
    Mismatch,
    Same,
    TooShort,
    TooLong,
    HasUsername,
    /// Anything else (the database, the network).
    Other,
}

impl Refusal {
    pub const ALL: [Refusal; 10] = [
        Refusal::Credentials,
        Refusal::Missing,
        Refusal::Throttled,
        Refusal::CurrentWrong,
        Refusal::Mismatch,
        Refusal::Same,
        Refusal::TooShort,
        Refusal::TooLong,
        Refusal::HasUsername,
        Refusal::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Refusal::Credentials => "credentials",
            Refusal::Missing => "missing",
            Refusal::Throttled => "throttled",
            Refusal::CurrentWrong => "current",
            Refusal::Mismatch => "mismatch",
            Refusal::Same => "same",
            Refusal::TooShort => "short",
            Refusal::TooLong => "long",
            Refusal::HasUsername => "username",
            Refusal::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Refusal> {
        Refusal::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn message(self, lang: Lang) -> String {
        let vi = matches!(lang, Lang::Vi);
        let text = match self {
            Refusal::Credentials if vi => "Tên đăng nhập hoặc mật khẩu không đúng.",
            Refusal::Credentials => "The username or password is wrong.",
            Refusal::Missing if vi => "Hãy nhập tên đăng nhập và mật khẩu.",
            Refusal::Missing => "Enter your username and password.",
            Refusal::Throttled if vi => "Đăng nhập sai quá nhiều lần. Hãy thử lại sau ít phút.",
            Refusal::Throttled => "Too many failed sign-ins. Please try again in a few minutes.",
            Refusal::CurrentWrong if vi => "Mật khẩu hiện tại không đúng.",
            Refusal::CurrentWrong => "The current password is wrong.",
            Refusal::Mismatch if vi => "Hai lần nhập mật khẩu mới không khớp.",
            Refusal::Mismatch => "The two entries of the new password differ.",
            Refusal::Same if vi => "Mật khẩu mới phải khác mật khẩu hiện tại.",
            Refusal::Same => "The new password must differ from the current one.",
            Refusal::TooShort if vi => {
                return format!("Mật khẩu mới phải có ít nhất {MIN_PASSWORD_CHARS} ký tự.")
            }
            Refusal::TooShort => {
                return format!("The new password needs at least {MIN_PASSWORD_CHARS} characters.")
            }
            Refusal::TooLong if vi => "Mật khẩu mới dài quá 200 ký tự.",
            Refusal::TooLong => "The new password is longer than 200 characters.",
            Refusal::HasUsername if vi => "Mật khẩu mới không được chứa tên đăng nhập.",
            Refusal::HasUsername => "The new password must not contain the username.",
            Refusal::Other if vi => "Chưa thực hiện được. Hãy thử lại sau ít phút.",
            Refusal::Other => "That did not go through. Please try again in a few minutes.",
        };
        text.to_string()
    }

    /// The refusal an error of sign-in or password change stands for.
    pub fn of(err: &AppError) -> Refusal {
        match err {
            AppError::TooManyAttempts(_) => Refusal::Throttled,
            AppError::Invalid(message) => Refusal::ALL
                .into_iter()
                .find(|r| r.message(Lang::Vi) == *message)
                .unwrap_or(Refusal::Other),
            _ => Refusal::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_codes() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
    }

    #[test]
    fn only_admins_read_the_audit_trail_and_everyone_reads_the_organisation() {
        assert_eq!(Action::ViewAudit.allowed(), &[Role::Admin]);
        assert!(Role::ALL
            .iter()
            .all(|r| Action::ViewOrganisation.allows(*r)));
        assert!(!Action::EditOrganisation.allows(Role::SchoolOfficer));
    }

    #[test]
    fn nobody_grants_more_than_they_have() {
        assert!(Role::Admin.may_grant(Role::Admin));
        assert!(!Role::Specialist.may_grant(Role::Admin));
        assert!(!Role::Specialist.may_grant(Role::Leader));
        assert!(Role::AreaOfficer.may_grant(Role::SchoolOfficer));
        assert!(!Role::AreaOfficer.may_grant(Role::AreaOfficer));
        assert!(!Role::SchoolOfficer.may_grant(Role::Viewer));
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        assert!(check_new_password("ngắn", "an")
            .unwrap_err()
            .contains("ít nhất"));
        assert!(check_new_password("truongan2025!", "truongan")
            .unwrap_err()
            .contains("tên đăng nhập"));
        assert!(check_new_password("Mùa thu Hà Nội 2025", "an.nguyen").is_ok());
    }
}
