//! The department works on Vietnam time (UTC+7), whatever the server's zone.

use chrono::{Duration, NaiveDate, Utc};

pub fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(7)).date_naive()
}
