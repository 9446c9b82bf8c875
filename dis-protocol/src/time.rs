//! IAM's token times: `expires_at` as `2024-01-03T03:04:05.123000Z`.

use app::domain::{DateTime, ZoneOffset};

/// `2024-01-03T03:04:05.123000Z` (IAM's `expires_at`) in epoch milliseconds.
pub fn parse_iso_ms(s: &str) -> Option<i64> {
    let s = s.strip_suffix('Z')?;
    let (date, time) = s.split_once('T')?;
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, mo, day) = (d.next()??, d.next()??, d.next()??);
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut t = hms.split(':').map(|p| p.parse::<u32>().ok());
    let (h, mi, sec) = (t.next()??, t.next()??, t.next()??);
    let dt = DateTime::new(
        y,
        u32::try_from(mo).ok()?,
        u32::try_from(day).ok()?,
        h,
        mi,
        sec,
    )?;
    let millis: i64 = format!("{:0<3}", frac.get(..3.min(frac.len()))?)
        .parse()
        .ok()?;
    Some(dt.to_epoch_ms(ZoneOffset::UTC) + millis)
}

/// The inverse of [`parse_iso_ms`], for the embedded IAM.
pub fn format_iso_ms(ms: i64) -> String {
    let t = DateTime::from_epoch_ms(ms, ZoneOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}000Z",
        t.year,
        t.month,
        t.day,
        t.hour,
        t.minute,
        t.second,
        ms.rem_euclid(1000)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iam_times_round_trip() {
        assert_eq!(
            parse_iso_ms("2024-01-02T03:04:05.123000Z"),
            Some(1_704_164_645_123)
        );
        assert_eq!(
            parse_iso_ms("2024-01-02T03:04:05Z"),
            Some(1_704_164_645_000)
        );
        assert_eq!(
            format_iso_ms(1_704_164_645_123),
            "2024-01-02T03:04:05.123000Z"
        );
        assert_eq!(parse_iso_ms("yesterday"), None);
    }
}
