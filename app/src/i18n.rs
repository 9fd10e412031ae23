//! The interface's words: Vietnamese first, English second. A typed table, so a string
//! missing in one language is a compile error, not a blank on screen.

use crate::error::AppError;
use crate::org::{AreaType, EventKind, Ownership, Relation, SchoolLevel, UnitKind};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const LANG_COOKIE: &str = "antq_lang";

/// Where the language switch posts without the bundle (`to`, and `back`: the page to return to).
pub const LANGUAGE_ENDPOINT: &str = "/language";

/// The cookie that keeps a language for a year.
pub fn lang_cookie(lang: Lang) -> String {
    format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Self {
        if code.trim() == "en" {
            Lang::En
        } else {
            Lang::Vi
        }
    }

    /// Reads the language from a `Cookie` header value.
    pub fn from_cookie_header(header: &str) -> Self {
        header
            .split(';')
            .filter_map(|pair| pair.split_once('='))
            .find(|(name, _)| name.trim() == LANG_COOKIE)
            .map(|(_, value)| Lang::from_code(value))
            .unwrap_or_default()
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }
}

/// The language of the page, provided once by the app shell. It does not change while a page
/// is open: switching language loads the page again (see `LANGUAGE_ENDPOINT`), so every word on it is
/// plain text rather than a reactive closure the browser would have to compile and run.
#[derive(Clone, Copy)]
pub struct I18n(pub Lang);

impl I18n {
    /// The strings of the page's language.
    pub fn t(&self) -> &'static Strings {
        self.0.strings()
    }

    pub fn lang(&self) -> Lang {
        self.0
    }

    /// A phrase used by one page only, in both languages. Words shared by several pages
    /// belong in `Strings`.
    pub fn pick(&self, vi: &'static str, en: &'static str) -> &'static str {
        match self.0 {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// The page's language: from the shell's context on the server, from the document in an
/// island (islands are hydrated without the server's context).
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n(initial_lang()))
}

/// The language of the request being rendered (server) or of the document (browser).
pub fn initial_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(axum::http::header::COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .map(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        browser_lang()
    }
}

/// In the browser the page's language is the one the server rendered it in (`<html lang>`),
/// whatever another tab may have chosen since.
#[cfg(not(feature = "ssr"))]
fn browser_lang() -> Lang {
    #[cfg(feature = "hydrate")]
    {
        document()
            .document_element()
            .and_then(|root| root.get_attribute("lang"))
            .map(|code| Lang::from_code(&code))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Lang::Vi
    }
}

pub struct Strings {
    pub nav_users: &'static str,
    pub users_title: &'static str,
    pub users_intro: &'static str,
    pub users_list: &'static str,
    pub users_empty: &'static str,
    pub users_new: &'static str,
    pub users_username: &'static str,
    pub users_name: &'static str,
    pub users_role: &'static str,
    pub users_unit: &'static str,
    pub users_unit_id: &'static str,
    pub users_create: &'static str,
    pub users_bulk: &'static str,
    pub users_bulk_hint: &'static str,
    pub users_bulk_button: &'static str,
    pub users_bulk_none: &'static str,
    pub users_reset: &'static str,
    pub users_reset_confirm: &'static str,
    pub users_must_change: &'static str,
    pub users_slips_title: &'static str,
    pub users_slips_hint: &'static str,
    pub users_initial_password: &'static str,
    pub print: &'static str,
    pub nav_sign_in: &'static str,
    pub nav_account: &'static str,
    pub nav_audit: &'static str,
    pub sign_out: &'static str,
    pub sign_in_title: &'static str,
    pub sign_in_intro: &'static str,
    pub login_label: &'static str,
    pub password_label: &'static str,
    pub sign_in_button: &'static str,
    pub signing_in: &'static str,
    pub sign_in_needed: &'static str,
    pub forbidden_title: &'static str,
    pub forbidden_body: &'static str,
    pub hello: &'static str,
    pub your_roles: &'static str,
    pub account_title: &'static str,
    pub change_password_title: &'static str,
    pub current_password: &'static str,
    pub new_password: &'static str,
    pub confirm_password: &'static str,
    pub passwords_differ: &'static str,
    pub password_changed: &'static str,
    pub must_change_password: &'static str,
    pub save: &'static str,
    pub sign_out_everywhere: &'static str,
    pub sign_out_everywhere_confirm: &'static str,
    pub audit_title: &'static str,
    pub audit_intro: &'static str,
    pub audit_when: &'static str,
    pub audit_who: &'static str,
    pub audit_action: &'static str,
    pub audit_entity: &'static str,
    pub audit_address: &'static str,
    pub audit_change: &'static str,
    pub audit_empty: &'static str,
    pub home_signed_out: &'static str,
    pub your_unit: &'static str,
    pub app_name: &'static str,
    pub app_subtitle: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_directory: &'static str,
    pub nav_tree: &'static str,
    pub nav_import: &'static str,
    pub switch_language: &'static str,
    pub loading: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_home: &'static str,
    pub error_title: &'static str,
    pub retry_hint: &'static str,
    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub home_schools: &'static str,
    pub home_areas: &'static str,
    pub home_students: &'static str,
    pub home_by_level: &'static str,
    pub as_of: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub search_button: &'static str,
    pub filter_kind: &'static str,
    pub filter_level: &'static str,
    pub filter_ownership: &'static str,
    pub filter_area: &'static str,
    pub filter_as_of: &'static str,
    pub filter_grouping: &'static str,
    pub grouping_current: &'static str,
    pub grouping_pre_reform: &'static str,
    pub all: &'static str,
    pub clear_filters: &'static str,
    pub multi_level: &'static str,
    pub results_count: &'static str,
    pub no_results: &'static str,
    pub no_results_hint: &'static str,
    pub col_code: &'static str,
    pub col_name: &'static str,
    pub col_kind: &'static str,
    pub col_levels: &'static str,
    pub col_ownership: &'static str,
    pub col_area: &'static str,
    pub col_students: &'static str,
    pub col_staff: &'static str,
    pub prev_page: &'static str,
    pub next_page: &'static str,
    pub page_of: &'static str,
    pub tree_title: &'static str,
    pub tree_intro: &'static str,
    pub tree_units: &'static str,
    pub unit_code: &'static str,
    pub unit_address: &'static str,
    pub unit_coordinates: &'static str,
    pub unit_established: &'static str,
    pub unit_closed: &'static str,
    pub unit_merged_into: &'static str,
    pub unit_merged_from: &'static str,
    pub unit_names_history: &'static str,
    pub unit_parents_history: &'static str,
    pub unit_events: &'static str,
    pub unit_children: &'static str,
    pub unit_children_last_day: &'static str,
    pub unit_see_schools: &'static str,
    pub since: &'static str,
    pub until: &'static str,
    pub now: &'static str,
    pub import_title: &'static str,
    pub import_intro: &'static str,
    pub import_columns: &'static str,
    pub import_template: &'static str,
    pub import_file: &'static str,
    pub import_button: &'static str,
    pub import_busy: &'static str,
    pub import_pick_file: &'static str,
    pub import_rejected: &'static str,
    pub import_done: &'static str,
    pub import_created: &'static str,
    pub import_updated: &'static str,
    pub import_unchanged: &'static str,
    pub import_row: &'static str,
    pub import_reason: &'static str,
    pub import_disabled: &'static str,
    pub err_not_found: &'static str,
    pub err_forbidden: &'static str,
    pub err_unauthenticated: &'static str,
    pub err_throttled: &'static str,
    pub err_unavailable: &'static str,
    pub err_bad_request: &'static str,
    pub err_too_large: &'static str,
    pub err_internal: &'static str,
    pub err_transport: &'static str,
}

pub static VI: Strings = Strings {
    nav_users: "Người dùng",
    users_title: "Quản lý người dùng",
    users_intro: "Tài khoản trong phạm vi của bạn. Mật khẩu ban đầu chỉ hiện một lần: hãy in và trao tận tay; người dùng phải đổi ở lần đăng nhập đầu.",
    users_list: "Danh sách tài khoản",
    users_empty: "Chưa có tài khoản nào trong phạm vi này.",
    users_new: "Tạo tài khoản mới",
    users_username: "Tên đăng nhập",
    users_name: "Họ và tên",
    users_role: "Vai trò",
    users_unit: "Đơn vị",
    users_unit_id: "Mã số đơn vị (số trong địa chỉ trang đơn vị)",
    users_create: "Tạo tài khoản",
    users_bulk: "Tạo tài khoản cho mọi trường",
    users_bulk_hint: "Tạo một tài khoản Cán bộ trường cho mỗi trường trực thuộc đơn vị chưa có tài khoản. Tên đăng nhập là “truong” + mã trường.",
    users_bulk_button: "Tạo các tài khoản",
    users_bulk_none: "Mọi trường trong đơn vị đã có tài khoản; không tạo thêm.",
    users_reset: "Cấp lại mật khẩu",
    users_reset_confirm: "Cấp mật khẩu mới cho {}? Mật khẩu cũ và mọi phiên đăng nhập sẽ mất hiệu lực.",
    users_must_change: "Chưa đổi mật khẩu ban đầu",
    users_slips_title: "Mật khẩu ban đầu",
    users_slips_hint: "Chỉ hiện lần này. In ra, cắt thành phiếu và trao cho từng người.",
    users_initial_password: "Mật khẩu ban đầu",
    print: "In",
    nav_sign_in: "Đăng nhập",
    nav_account: "Tài khoản",
    nav_audit: "Nhật ký",
    sign_out: "Đăng xuất",
    sign_in_title: "Đăng nhập",
    sign_in_intro: "Dùng tài khoản do Sở Giáo dục và Đào tạo cấp.",
    login_label: "Tên đăng nhập hoặc e-mail",
    password_label: "Mật khẩu",
    sign_in_button: "Đăng nhập",
    signing_in: "Đang đăng nhập…",
    sign_in_needed: "Hãy đăng nhập để xem trang này.",
    forbidden_title: "Không có quyền truy cập",
    forbidden_body: "Bạn không có quyền xem hoặc thay đổi dữ liệu này. Nếu cần, hãy liên hệ quản trị viên của Sở.",
    hello: "Xin chào",
    your_roles: "Vai trò của bạn",
    account_title: "Tài khoản của tôi",
    change_password_title: "Đổi mật khẩu",
    current_password: "Mật khẩu hiện tại",
    new_password: "Mật khẩu mới (ít nhất 10 ký tự)",
    confirm_password: "Nhập lại mật khẩu mới",
    passwords_differ: "Hai lần nhập mật khẩu mới không khớp.",
    password_changed: "Đã đổi mật khẩu.",
    must_change_password: "Bạn cần đổi mật khẩu được cấp trước khi tiếp tục.",
    save: "Lưu",
    sign_out_everywhere: "Đăng xuất trên mọi thiết bị",
    sign_out_everywhere_confirm: "Đăng xuất khỏi mọi thiết bị, kể cả thiết bị này?",
    audit_title: "Nhật ký thay đổi",
    audit_intro: "Mọi thay đổi dữ liệu: ai, lúc nào, từ đâu, trước và sau. Không ai sửa được nhật ký này.",
    audit_when: "Thời điểm",
    audit_who: "Người thực hiện",
    audit_action: "Thao tác",
    audit_entity: "Đối tượng",
    audit_address: "Địa chỉ IP",
    audit_change: "Thay đổi",
    audit_empty: "Chưa có thay đổi nào.",
    home_signed_out: "Hệ thống quản lý phong trào “Toàn dân bảo vệ an ninh Tổ quốc” trong các cơ sở giáo dục của tỉnh. Hãy đăng nhập để tiếp tục.",
    your_unit: "Đơn vị của bạn",
    app_name: "ANTQ Giáo dục",
    app_subtitle: "Phong trào Toàn dân bảo vệ an ninh Tổ quốc",
    skip_to_content: "Chuyển đến nội dung chính",
    nav_label: "Điều hướng chính",
    nav_home: "Trang chủ",
    nav_directory: "Danh bạ đơn vị",
    nav_tree: "Cây tổ chức",
    nav_import: "Nhập danh sách",
    switch_language: "English",
    loading: "Đang tải…",
    not_found_title: "Không tìm thấy trang",
    not_found_body: "Địa chỉ này không tồn tại hoặc đơn vị đã bị xóa khỏi hệ thống.",
    back_home: "Về trang chủ",
    error_title: "Đã có lỗi xảy ra",
    retry_hint: "Vui lòng thử lại sau ít phút. Nếu lỗi còn tiếp diễn, hãy báo cho bộ phận quản trị của Sở.",
    home_title: "Tổng quan tổ chức",
    home_intro: "Các đơn vị, khu vực và cơ sở giáo dục của tỉnh, theo cơ cấu hiện hành.",
    home_schools: "Cơ sở giáo dục",
    home_areas: "Xã, phường, đặc khu",
    home_students: "Học sinh",
    home_by_level: "Cơ sở giáo dục theo cấp học",
    as_of: "Tính đến ngày",
    search_label: "Tìm đơn vị",
    search_placeholder: "Tên hoặc mã, có dấu hay không dấu",
    search_button: "Tìm",
    filter_kind: "Loại đơn vị",
    filter_level: "Cấp học",
    filter_ownership: "Loại hình",
    filter_area: "Khu vực",
    filter_as_of: "Tại ngày",
    filter_grouping: "Phân nhóm khu vực",
    grouping_current: "Xã, phường (từ 01/07/2025)",
    grouping_pre_reform: "Huyện, thị xã (trước 01/07/2025)",
    all: "Tất cả",
    clear_filters: "Xóa bộ lọc",
    multi_level: "Liên cấp",
    results_count: "đơn vị",
    no_results: "Không có đơn vị nào khớp.",
    no_results_hint: "Thử bỏ bớt bộ lọc hoặc gõ ít chữ hơn.",
    col_code: "Mã",
    col_name: "Tên đơn vị",
    col_kind: "Loại",
    col_levels: "Cấp học",
    col_ownership: "Loại hình",
    col_area: "Khu vực",
    col_students: "Học sinh",
    col_staff: "CB-GV-NV",
    prev_page: "Trang trước",
    next_page: "Trang sau",
    page_of: "Trang",
    tree_title: "Cây tổ chức",
    tree_intro: "Sở, các phòng, khu vực và trường theo quan hệ quản lý tại ngày đã chọn. Chọn một nút để mở.",
    tree_units: "đơn vị trực thuộc",
    unit_code: "Mã đơn vị",
    unit_address: "Địa chỉ",
    unit_coordinates: "Tọa độ",
    unit_established: "Thành lập",
    unit_closed: "Ngừng hoạt động",
    unit_merged_into: "Đã sáp nhập vào",
    unit_merged_from: "Hợp nhất từ",
    unit_names_history: "Lịch sử tên gọi",
    unit_parents_history: "Lịch sử trực thuộc",
    unit_events: "Các thay đổi",
    unit_children: "Đơn vị trực thuộc hiện nay",
    unit_children_last_day: "Đơn vị trực thuộc vào ngày cuối hoạt động",
    unit_see_schools: "Xem các trường trong khu vực",
    since: "từ",
    until: "đến",
    now: "nay",
    import_title: "Nhập danh sách trường",
    import_intro: "Tải lên tệp Excel (.xlsx) hoặc CSV. Mọi dòng được kiểm tra trước; chỉ cần một dòng sai thì không dòng nào được nhập. Nhập lại cùng tệp không làm thay đổi gì (khóa theo mã trường).",
    import_columns: "Các cột: Mã trường, Tên trường, Cấp học, Loại hình, Mã khu vực, Số CB-GV-NV, Số học sinh, Địa chỉ, Vĩ độ, Kinh độ.",
    import_template: "Tải tệp mẫu (CSV)",
    import_file: "Tệp danh sách",
    import_button: "Kiểm tra và nhập",
    import_busy: "Đang kiểm tra…",
    import_pick_file: "Hãy chọn một tệp .xlsx hoặc .csv.",
    import_rejected: "Tệp có dòng không hợp lệ. Chưa có dữ liệu nào được nhập; hãy sửa các dòng dưới đây rồi tải lên lại.",
    import_done: "Đã nhập xong.",
    import_created: "Thêm mới",
    import_updated: "Cập nhật",
    import_unchanged: "Không đổi",
    import_row: "Dòng",
    import_reason: "Lý do",
    import_disabled: "Chức năng nhập đang tắt trên máy chủ này.",
    err_not_found: "Không tìm thấy dữ liệu yêu cầu.",
    err_forbidden: "Bạn không có quyền thực hiện thao tác này.",
    err_unauthenticated: "Bạn cần đăng nhập để tiếp tục.",
    err_throttled: "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {} phút.",
    err_unavailable: "Máy chủ tạm thời không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít phút.",
    err_bad_request: "Máy chủ không đọc được yêu cầu này. Hãy tải lại trang rồi thử lại.",
    err_too_large: "Nội dung gửi lên quá lớn.",
    err_internal: "Máy chủ gặp lỗi khi xử lý yêu cầu. Dữ liệu của bạn chưa bị thay đổi.",
    err_transport: "Không gửi được yêu cầu đến máy chủ. Hãy kiểm tra kết nối mạng.",
};

pub static EN: Strings = Strings {
    nav_users: "Users",
    users_title: "Users",
    users_intro: "Accounts within your scope. Initial passwords show once: print and hand them over; users must change them at first sign-in.",
    users_list: "Accounts",
    users_empty: "No accounts in this scope yet.",
    users_new: "New account",
    users_username: "User name",
    users_name: "Full name",
    users_role: "Role",
    users_unit: "Unit",
    users_unit_id: "Unit number (as in the unit page's address)",
    users_create: "Create account",
    users_bulk: "An account for every school",
    users_bulk_hint: "Creates a school-officer account for each school under the unit that has none. The user name is “truong” + the school code.",
    users_bulk_button: "Create the accounts",
    users_bulk_none: "Every school under the unit already has an account; none created.",
    users_reset: "Reset password",
    users_reset_confirm: "Give {} a new password? The old one and every session stop working.",
    users_must_change: "Has not changed the initial password",
    users_slips_title: "Initial passwords",
    users_slips_hint: "Shown this once. Print, cut into slips and hand each to its holder.",
    users_initial_password: "Initial password",
    print: "Print",
    nav_sign_in: "Sign in",
    nav_account: "Account",
    nav_audit: "Audit trail",
    sign_out: "Sign out",
    sign_in_title: "Sign in",
    sign_in_intro: "Use the account the Department gave you.",
    login_label: "User name or e-mail",
    password_label: "Password",
    sign_in_button: "Sign in",
    signing_in: "Signing in…",
    sign_in_needed: "Sign in to see this page.",
    forbidden_title: "Access denied",
    forbidden_body: "You may not see or change this data. Ask the Department's administrator if you need to.",
    hello: "Hello",
    your_roles: "Your roles",
    account_title: "My account",
    change_password_title: "Change password",
    current_password: "Current password",
    new_password: "New password (at least 10 characters)",
    confirm_password: "New password again",
    passwords_differ: "The two new passwords differ.",
    password_changed: "Password changed.",
    must_change_password: "Change the password you were given before going on.",
    save: "Save",
    sign_out_everywhere: "Sign out on every device",
    sign_out_everywhere_confirm: "Sign out on every device, this one included?",
    audit_title: "Audit trail",
    audit_intro: "Every change of data: who, when, from where, before and after. Nobody can edit this trail.",
    audit_when: "When",
    audit_who: "Who",
    audit_action: "Action",
    audit_entity: "Entity",
    audit_address: "Address",
    audit_change: "Change",
    audit_empty: "No changes yet.",
    home_signed_out: "Runs the movement “All people protect national security” across the province's schools. Sign in to go on.",
    your_unit: "Your unit",
    app_name: "ANTQ Education",
    app_subtitle: "All People Protect National Security movement",
    skip_to_content: "Skip to main content",
    nav_label: "Main navigation",
    nav_home: "Home",
    nav_directory: "Directory",
    nav_tree: "Organisation",
    nav_import: "Import",
    switch_language: "Tiếng Việt",
    loading: "Loading…",
    not_found_title: "Page not found",
    not_found_body: "This address does not exist, or the unit was removed.",
    back_home: "Back to home",
    error_title: "Something went wrong",
    retry_hint: "Please try again in a few minutes. If it persists, tell the department's administrators.",
    home_title: "Organisation overview",
    home_intro: "The province's units, areas and schools, in the current structure.",
    home_schools: "Schools",
    home_areas: "Communes and wards",
    home_students: "Students",
    home_by_level: "Schools by level",
    as_of: "As of",
    search_label: "Find a unit",
    search_placeholder: "Name or code, with or without diacritics",
    search_button: "Search",
    filter_kind: "Unit kind",
    filter_level: "Level",
    filter_ownership: "Ownership",
    filter_area: "Area",
    filter_as_of: "As of date",
    filter_grouping: "Area grouping",
    grouping_current: "Communes, wards (from 01/07/2025)",
    grouping_pre_reform: "Districts (before 01/07/2025)",
    all: "All",
    clear_filters: "Clear filters",
    multi_level: "Multi-level",
    results_count: "units",
    no_results: "No unit matches.",
    no_results_hint: "Try fewer filters or fewer words.",
    col_code: "Code",
    col_name: "Unit name",
    col_kind: "Kind",
    col_levels: "Levels",
    col_ownership: "Ownership",
    col_area: "Area",
    col_students: "Students",
    col_staff: "Staff",
    prev_page: "Previous page",
    next_page: "Next page",
    page_of: "Page",
    tree_title: "Organisation tree",
    tree_intro: "The department, its divisions, areas and schools by management on the chosen date. Open a node to expand it.",
    tree_units: "units under it",
    unit_code: "Unit code",
    unit_address: "Address",
    unit_coordinates: "Coordinates",
    unit_established: "Established",
    unit_closed: "Closed",
    unit_merged_into: "Merged into",
    unit_merged_from: "Merged from",
    unit_names_history: "Name history",
    unit_parents_history: "Parent history",
    unit_events: "Changes",
    unit_children: "Units under it today",
    unit_children_last_day: "Units under it on its last day",
    unit_see_schools: "See the schools of this area",
    since: "from",
    until: "until",
    now: "now",
    import_title: "Import schools",
    import_intro: "Upload an Excel (.xlsx) or CSV file. Every row is checked first; if any row is bad, nothing is imported. Importing the same file again changes nothing (keyed by school code).",
    import_columns: "Columns: school code, name, levels, ownership, area code, staff, students, address, latitude, longitude.",
    import_template: "Download the template (CSV)",
    import_file: "School list file",
    import_button: "Check and import",
    import_busy: "Checking…",
    import_pick_file: "Choose an .xlsx or .csv file.",
    import_rejected: "The file has invalid rows. Nothing was imported; fix the rows below and upload again.",
    import_done: "Import finished.",
    import_created: "Created",
    import_updated: "Updated",
    import_unchanged: "Unchanged",
    import_row: "Row",
    import_reason: "Reason",
    import_disabled: "Import is turned off on this server.",
    err_not_found: "The requested data was not found.",
    err_forbidden: "You are not allowed to do this.",
    err_unauthenticated: "Please sign in to continue.",
    err_throttled: "Too many failed sign-ins. Please try again in {} minutes.",
    err_unavailable: "The server cannot reach its database right now. Please try again in a few minutes.",
    err_bad_request: "The server could not read this request. Reload the page and try again.",
    err_too_large: "What was sent is too large.",
    err_internal: "The server failed to handle the request. Your data was not changed.",
    err_transport: "The request did not reach the server. Check the network connection.",
};

impl Strings {
    pub fn error(&self, err: &AppError) -> String {
        match err {
            AppError::NotFound => self.err_not_found.to_string(),
            AppError::Invalid(message) => message.clone(),
            AppError::Forbidden => self.err_forbidden.to_string(),
            AppError::Unauthenticated => self.err_unauthenticated.to_string(),
            AppError::TooManyAttempts(minutes) => {
                self.err_throttled.replace("{}", &minutes.to_string())
            }
            AppError::Unavailable => self.err_unavailable.to_string(),
            AppError::BadRequest => self.err_bad_request.to_string(),
            AppError::TooLarge => self.err_too_large.to_string(),
            AppError::Internal => self.err_internal.to_string(),
            AppError::Transport(_) => self.err_transport.to_string(),
        }
    }
}

/// Names of domain values. Abbreviations such as THCS are the same in both languages.
impl Lang {
    /// The name of an audit-trail action; unknown codes are shown as they are.
    pub fn audit_action(self, code: &str) -> String {
        let name = match (self, code) {
            (Lang::Vi, "import_create") => "Nhập trường mới",
            (Lang::Vi, "import_update") => "Nhập cập nhật trường",
            (Lang::Vi, "sign_in") => "Đăng nhập",
            (Lang::Vi, "sign_out") => "Đăng xuất",
            (Lang::Vi, "sign_out_everywhere") => "Đăng xuất mọi thiết bị",
            (Lang::Vi, "change_password") => "Đổi mật khẩu",
            (Lang::Vi, "user_create") => "Tạo tài khoản",
            (Lang::Vi, "user_reset_password") => "Cấp lại mật khẩu",
            (Lang::Vi, "user_disable") => "Khoá tài khoản",
            (Lang::Vi, "user_enable") => "Mở lại tài khoản",
            (Lang::Vi, "grant_remove") => "Bỏ quyền",
            (Lang::Vi, "report_save") => "Lưu nháp báo cáo",
            (Lang::Vi, "assessment_self_save") => "Lưu bản tự đánh giá",
            (Lang::Vi, "assessment_review_save") => "Lưu điểm xét",
            (Lang::En, "import_create") => "Import: new school",
            (Lang::En, "import_update") => "Import: school updated",
            (Lang::En, "sign_in") => "Sign in",
            (Lang::En, "sign_out") => "Sign out",
            (Lang::En, "sign_out_everywhere") => "Sign out everywhere",
            (Lang::En, "change_password") => "Password change",
            (Lang::En, "user_create") => "Account created",
            (Lang::En, "user_reset_password") => "Password reset",
            (Lang::En, "user_disable") => "Account disabled",
            (Lang::En, "user_enable") => "Account enabled",
            (Lang::En, "grant_remove") => "Grant removed",
            (Lang::En, "report_save") => "Report draft saved",
            (Lang::En, "assessment_self_save") => "Self-assessment saved",
            (Lang::En, "assessment_review_save") => "Review scores saved",
            _ => return code.to_string(),
        };
        name.to_string()
    }

    pub fn role(self, role: crate::accounts::Role) -> &'static str {
        use crate::accounts::Role::*;
        match (self, role) {
            (Lang::Vi, Admin) => "Quản trị",
            (Lang::Vi, Leader) => "Lãnh đạo Sở",
            (Lang::Vi, Specialist) => "Chuyên viên Sở",
            (Lang::Vi, AreaOfficer) => "Cán bộ khu vực",
            (Lang::Vi, SchoolOfficer) => "Cán bộ trường",
            (Lang::Vi, Viewer) => "Người xem",
            (Lang::En, Admin) => "Administrator",
            (Lang::En, Leader) => "Department leader",
            (Lang::En, Specialist) => "Department specialist",
            (Lang::En, AreaOfficer) => "Area officer",
            (Lang::En, SchoolOfficer) => "School officer",
            (Lang::En, Viewer) => "Viewer",
        }
    }

    pub fn unit_kind(self, kind: UnitKind) -> &'static str {
        match (self, kind) {
            (Lang::Vi, UnitKind::Department) => "Sở",
            (Lang::Vi, UnitKind::Division) => "Phòng thuộc Sở",
            (Lang::Vi, UnitKind::Area) => "Khu vực",
            (Lang::Vi, UnitKind::School) => "Cơ sở giáo dục",
            (Lang::En, UnitKind::Department) => "Department",
            (Lang::En, UnitKind::Division) => "Division",
            (Lang::En, UnitKind::Area) => "Area",
            (Lang::En, UnitKind::School) => "School",
        }
    }

    pub fn area_type(self, area: AreaType) -> &'static str {
        match (self, area) {
            (Lang::Vi, AreaType::District) => "Huyện",
            (Lang::Vi, AreaType::UrbanDistrict) => "Quận",
            (Lang::Vi, AreaType::Town) => "Thị xã",
            (Lang::Vi, AreaType::City) => "Thành phố",
            (Lang::Vi, AreaType::Commune) => "Xã",
            (Lang::Vi, AreaType::Ward) => "Phường",
            (Lang::Vi, AreaType::SpecialZone) => "Đặc khu",
            (Lang::En, AreaType::District) => "District",
            (Lang::En, AreaType::UrbanDistrict) => "Urban district",
            (Lang::En, AreaType::Town) => "Town",
            (Lang::En, AreaType::City) => "City",
            (Lang::En, AreaType::Commune) => "Commune",
            (Lang::En, AreaType::Ward) => "Ward",
            (Lang::En, AreaType::SpecialZone) => "Special zone",
        }
    }

    pub fn level(self, level: SchoolLevel) -> &'static str {
        match (self, level) {
            (Lang::Vi, SchoolLevel::Preschool) => "Mầm non",
            (Lang::Vi, SchoolLevel::Primary) => "Tiểu học",
            (Lang::Vi, SchoolLevel::LowerSecondary) => "THCS",
            (Lang::Vi, SchoolLevel::UpperSecondary) => "THPT",
            (Lang::Vi, SchoolLevel::ContinuingEducation) => "GDNN-GDTX",
            (Lang::Vi, SchoolLevel::College) => "Cao đẳng, đại học",
            (Lang::En, SchoolLevel::Preschool) => "Preschool",
            (Lang::En, SchoolLevel::Primary) => "Primary",
            (Lang::En, SchoolLevel::LowerSecondary) => "Lower secondary",
            (Lang::En, SchoolLevel::UpperSecondary) => "Upper secondary",
            (Lang::En, SchoolLevel::ContinuingEducation) => "Vocational and continuing",
            (Lang::En, SchoolLevel::College) => "College, university",
        }
    }

    pub fn ownership(self, ownership: Ownership) -> &'static str {
        match (self, ownership) {
            (Lang::Vi, Ownership::Public) => "Công lập",
            (Lang::Vi, Ownership::NonPublic) => "Ngoài công lập",
            (Lang::En, Ownership::Public) => "Public",
            (Lang::En, Ownership::NonPublic) => "Non-public",
        }
    }

    pub fn relation(self, relation: Relation) -> &'static str {
        match (self, relation) {
            (Lang::Vi, Relation::ManagedBy) => "Quản lý bởi",
            (Lang::Vi, Relation::LocatedIn) => "Đóng trên địa bàn",
            (Lang::En, Relation::ManagedBy) => "Managed by",
            (Lang::En, Relation::LocatedIn) => "Located in",
        }
    }

    pub fn event(self, kind: EventKind) -> &'static str {
        match (self, kind) {
            (Lang::Vi, EventKind::Established) => "Thành lập",
            (Lang::Vi, EventKind::Renamed) => "Đổi tên",
            (Lang::Vi, EventKind::Moved) => "Chuyển trực thuộc",
            (Lang::Vi, EventKind::MergedInto) => "Sáp nhập vào",
            (Lang::Vi, EventKind::Absorbed) => "Tiếp nhận đơn vị sáp nhập",
            (Lang::Vi, EventKind::Closed) => "Ngừng hoạt động",
            (Lang::Vi, EventKind::Updated) => "Cập nhật thông tin",
            (Lang::En, EventKind::Established) => "Established",
            (Lang::En, EventKind::Renamed) => "Renamed",
            (Lang::En, EventKind::Moved) => "Moved",
            (Lang::En, EventKind::MergedInto) => "Merged into",
            (Lang::En, EventKind::Absorbed) => "Absorbed a merged unit",
            (Lang::En, EventKind::Closed) => "Closed",
            (Lang::En, EventKind::Updated) => "Details updated",
        }
    }

    /// Dates as Vietnamese documents write them, dd/mm/yyyy, in both languages.
    pub fn date(self, date: chrono::NaiveDate) -> String {
        date.format("%d/%m/%Y").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_selects_language() {
        assert_eq!(Lang::from_cookie_header("a=1; antq_lang=en"), Lang::En);
        assert_eq!(Lang::from_cookie_header("antq_lang=vi"), Lang::Vi);
        assert_eq!(Lang::from_cookie_header(""), Lang::Vi);
    }
}
