//! Server functions of the 19/8 day. Reading needs `ViewRecognition` (scoped to the
//! caller's part of the tree); a school records its own day and photos with
//! `AssessSchool` on itself.

use super::{DayOverview, NewDayRecord};
use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
pub mod guard {
    use crate::accounts::Action;
    use crate::authz::SessionUser;
    use crate::error::AppError;
    use crate::security_day::{DayPhoto, NewDayRecord, MAX_PHOTO_BYTES};
    use crate::state::AppState;

    /// Records what a school held for the day, replacing what it recorded before.
    pub async fn save(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        record: &NewDayRecord,
    ) -> Result<i64, AppError> {
        let today = crate::clock::today();
        crate::authz::check(&state.db, user, Action::AssessSchool, record.unit, today).await?;
        recordable(record.year, crate::store::recognition::current_year(today))?;
        if crate::store::recognition::school_levels(&state.db, record.unit, today)
            .await?
            .is_none()
        {
            return Err(AppError::Invalid(
                "Chỉ trường đang hoạt động mới ghi được ngày hội.".into(),
            ));
        }
        let held_on = record
            .check(today)
            .map_err(|problems| AppError::Invalid(problems.join(" ")))?;
        let id = crate::store::security_day::save(&state.db, record, held_on, user.id).await?;
        crate::authz::record_write(
            state,
            user.id,
            address,
            "security_day_save",
            "security_day",
            id,
            serde_json::json!({
                "unit": record.unit, "year": record.year, "held_on": record.held_on,
                "participants": record.participants,
            }),
        )
        .await?;
        Ok(id)
    }

    /// Refuses, before a photo is read, a caller who may not add one to the school's day of
    /// `year`.
    pub async fn may_add_photo(
        state: &AppState,
        user: &SessionUser,
        unit: i64,
        year: i32,
    ) -> Result<(), AppError> {
        let today = crate::clock::today();
        crate::authz::check(&state.db, user, Action::AssessSchool, unit, today).await?;
        recordable(year, crate::store::recognition::current_year(today))
    }

    /// Adds a photo to a school's record of the day (the record must be saved first). The
    /// content decides what the file is. Answers the record's photos.
    pub async fn add_photo(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        (unit, year): (i64, i32),
        name: &str,
        bytes: &[u8],
    ) -> Result<Vec<DayPhoto>, AppError> {
        use crate::store::security_day as days;
        may_add_photo(state, user, unit, year).await?;
        let Some(day) = days::day_of(&state.db, unit, year).await? else {
            return Err(AppError::Invalid(
                "Hãy lưu thông tin ngày hội trước khi gửi ảnh.".into(),
            ));
        };
        if name.is_empty() {
            return Err(AppError::Invalid("Thiếu tên tệp.".into()));
        }
        let sniffed = crate::reports::check_file(
            crate::reports::AttachmentKind::Photo,
            name,
            bytes,
            MAX_PHOTO_BYTES,
        )
        .map_err(AppError::Invalid)?;
        let photo = days::NewPhoto {
            day,
            file_name: name,
            content_type: sniffed.content_type(),
            bytes,
            user: user.id,
        };
        let photos = days::add_photo(&state.db, &photo).await?;
        crate::authz::record_write(
            state,
            user.id,
            address,
            "security_day_photo",
            "security_day",
            day,
            serde_json::json!({ "name": name, "size": bytes.len() }),
        )
        .await?;
        Ok(photos)
    }

    /// Removes a photo of a school's day, for a caller who may record that school's day.
    pub async fn remove_photo(
        state: &AppState,
        user: &SessionUser,
        address: &str,
        photo: i64,
    ) -> Result<(), AppError> {
        use crate::store::security_day as days;
        let (unit, year) = days::photo_owner(&state.db, photo).await?;
        may_add_photo(state, user, unit, year).await?;
        days::delete_photo(&state.db, photo).await?;
        crate::authz::record_write(
            state,
            user.id,
            address,
            "security_day_photo_delete",
            "security_day_photo",
            photo,
            serde_json::json!({ "unit": unit }),
        )
        .await
    }

    /// The years a school may record, and change the photos of: this one and the last.
    pub fn recordable(year: i32, this_year: i32) -> Result<(), AppError> {
        if year == this_year || year == this_year - 1 {
            Ok(())
        } else {
            crate::authz::fail(AppError::Invalid(format!(
                "Chỉ ghi được ngày hội năm {this_year} hoặc năm {}.",
                this_year - 1
            )))
        }
    }
}

/// The day of a year over the caller's part of the tree: the caller's own schools with
/// their records, figures by area and by activity form, and the pilot sites.
#[server(endpoint = "security-day/overview", input = Json)]
pub async fn security_day_of_year(year: Option<i32>) -> Result<DayOverview, AppError> {
    use crate::accounts::Action;
    use crate::store::security_day as store;
    let (state, _, user) = crate::authz::require_any(Action::ViewRecognition).await?;
    let today = crate::clock::today();
    let current_year = crate::store::recognition::current_year(today);
    let year = crate::safety_models::api::guard::year(year.unwrap_or(current_year), current_year)?;
    let scope = user.scope_for(&state.db, Action::ViewRecognition).await?;
    let own_schools = crate::recognition::api::guard::own_schools(&state, &user).await?;
    let ids: Vec<i64> = own_schools.iter().map(|s| s.id).collect();
    let mut records = store::records(&state.db, &ids, year).await?;
    let pilots = store::pilots_among(&state.db, &ids, year).await?;
    let own = own_schools
        .into_iter()
        .map(|unit| super::OwnDay {
            pilot: pilots.contains(&unit.id),
            record: records.remove(&unit.id),
            unit,
        })
        .collect::<Vec<_>>();
    Ok(DayOverview {
        year,
        current_year,
        today,
        may_record: !own.is_empty() && (year == current_year || year == current_year - 1),
        own,
        areas: store::by_area(&state.db, year, &scope, today).await?,
        forms: store::forms(&state.db, year, &scope, today).await?,
        pilots: store::pilots(&state.db, year, &scope, today).await?,
    })
}

/// Records what a school held for the day, replacing what it recorded before.
#[server(endpoint = "security-day/save", input = Json)]
pub async fn save_security_day(record: NewDayRecord) -> Result<i64, AppError> {
    use crate::accounts::Action;
    let (state, caller, user) = crate::authz::require_any(Action::AssessSchool).await?;
    guard::save(&state, &user, &caller.address, &record)
        .await
        .or_else(crate::authz::fail)
}

/// Removes a photo of the school's day.
#[server(endpoint = "security-day/delete-photo", input = Json)]
pub async fn delete_security_day_photo(photo: i64) -> Result<(), AppError> {
    use crate::accounts::Action;
    let (state, caller, user) = crate::authz::require_any(Action::AssessSchool).await?;
    guard::remove_photo(&state, &user, &caller.address, photo)
        .await
        .or_else(crate::authz::fail)
}
