//! Dates: where a page's "last updated" comes from, the build date, and the
//! one formatter that writes a date the way each language writes it
//! (`2026-11-28`, `2026年11月28日`).

use std::time::SystemTime;

pub use jiff::civil::Date;

/// A date written as `YYYY-MM-DD` (front matter's `updated:`).
pub fn parse(text: &str) -> Option<Date> {
    let text = text.trim();
    // jiff also reads longer forms; a date field takes exactly a date.
    (text.len() == 10)
        .then(|| text.parse::<Date>().ok())
        .flatten()
}

/// The calendar date (UTC) of a file time.
pub fn from_system_time(time: SystemTime) -> Option<Date> {
    jiff::Timestamp::try_from(time).ok().map(utc_date)
}

/// The date of this build: from `SOURCE_DATE_EPOCH` (seconds since 1970)
/// when set, so that builds can be reproduced, else today (UTC).
pub fn build_date() -> Date {
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| jiff::Timestamp::from_second(s).ok());
    utc_date(epoch.unwrap_or_else(jiff::Timestamp::now))
}

/// The calendar date (UTC) of an instant.
fn utc_date(stamp: jiff::Timestamp) -> Date {
    jiff::tz::Offset::UTC.to_datetime(stamp).date()
}

/// The date that counts as today for review and effective dates: the one
/// given with [`set_today`] (`--today`), else `ROLEBOOK_TODAY`, else today
/// (UTC). Fixing it makes checks reproducible in CI and tests.
pub fn today() -> Date {
    if let Some(date) = TODAY.get() {
        return *date;
    }
    std::env::var("ROLEBOOK_TODAY")
        .ok()
        .and_then(|s| parse(&s))
        .unwrap_or_else(|| utc_date(jiff::Timestamp::now()))
}

static TODAY: std::sync::OnceLock<Date> = std::sync::OnceLock::new();

/// Fixes what [`today`] returns for the rest of the process (once).
pub fn set_today(date: Date) {
    let _ = TODAY.set(date);
}

/// `date` as the language `lang_key` writes dates: year, month and day
/// with 年月日 in Chinese and Japanese, 년월일 in Korean, else ISO 8601
/// (unambiguous in every other language a handbook is likely to use).
pub fn format(date: Date, lang_key: &str) -> String {
    let (y, m, d) = (date.year(), date.month(), date.day());
    match lang_key.split('-').next().unwrap_or(lang_key) {
        "zh" | "ja" => format!("{y}年{m}月{d}日"),
        "ko" => format!("{y}년 {m}월 {d}일"),
        _ => format!("{y:04}-{m:02}-{d:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_writes_dates_its_own_way() {
        let date = parse("2026-11-08").unwrap();
        assert_eq!(format(date, "en"), "2026-11-08");
        assert_eq!(format(date, "zh"), "2026年11月8日");
        assert_eq!(format(date, "zh-TW"), "2026年11月8日");
        assert_eq!(format(date, "ko"), "2026년 11월 8일");
    }

    #[test]
    fn only_whole_dates_are_dates() {
        for bad in [
            "",
            "2026-13-01",
            "2026-02-30",
            "28.11.2026",
            "2026-11-28T10:00",
            "soon",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn file_times_become_utc_dates() {
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(86_400 * 365);
        assert_eq!(
            from_system_time(t).map(|d| format(d, "en")),
            Some("1971-01-01".into())
        );
    }
}
