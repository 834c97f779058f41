//! The business's time zone, given as a POSIX TZ rule (`CET-1CEST,M3.5.0,M10.5.0/3`).
//!
//! Why a rule and not an IANA name: a full time-zone database adds about 900 KB to the component
//! (chrono-tz) while the rule is the footer of every TZif file and covers every date from now on.
//! The host turns the IANA name its users pick into the rule (the harness does, from `tzdb_data`).

use chrono::{DateTime, Datelike, NaiveDateTime, Timelike};

use crate::time::{DAY, Instant};

/// A time zone: UTC, or the one a POSIX TZ rule describes.
#[derive(Debug, Clone)]
pub struct Zone {
    rule: Option<tz::TimeZone>,
}

/// A wall-clock reading in a zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalMoment {
    pub wall: NaiveDateTime,
    /// The zone's abbreviation at that moment (`CEST`, `+03`, `UTC`).
    pub abbreviation: String,
}

impl Zone {
    pub fn utc() -> Self {
        Self { rule: None }
    }

    /// Read a POSIX TZ rule, including the TZif v3 extensions (hours beyond 24, negative hours)
    /// that rules such as Asia/Jerusalem's `IST-2IDT,M3.4.4/26,M10.5.0` use.
    pub fn from_posix_rule(rule: &str) -> Result<Self, String> {
        let rule = rule.trim();
        if rule.is_empty() {
            return Err("empty: give a POSIX TZ rule such as `CET-1CEST,M3.5.0,M10.5.0/3` or `UTC0`".into());
        }
        if rule.starts_with(':') || rule.contains('/') && !rule.contains(',') {
            return Err(format!(
                "`{rule}` looks like a file or an IANA name; give its POSIX TZ rule (the last line of its TZif file), \
                 e.g. `CET-1CEST,M3.5.0,M10.5.0/3` for Europe/Berlin"
            ));
        }
        if rule.len() > 256 || !rule.bytes().all(|b| b.is_ascii_graphic()) {
            return Err("must be at most 256 printable ASCII characters without spaces".into());
        }
        tz::TimeZone::from_tz_data(&tzif_with_footer(rule))
            .map(|tz| Self { rule: Some(tz) })
            .map_err(|e| format!("`{rule}` is not a POSIX TZ rule: {e}"))
    }

    /// UTC offset in seconds and abbreviation at a Unix time in seconds.
    fn local_type(&self, unix_secs: i64) -> (i32, &str) {
        match &self.rule {
            None => (0, "UTC"),
            // A rule-only zone has a local time type for every instant; fall back to UTC rather than panic.
            Some(tz) => tz
                .find_local_time_type(unix_secs)
                .map(|t| (t.ut_offset(), t.time_zone_designation()))
                .unwrap_or((0, "UTC")),
        }
    }

    /// The wall clock at an instant.
    pub fn local(&self, at: Instant) -> LocalMoment {
        let (offset, abbreviation) = self.local_type(at.div_euclid(1000));
        LocalMoment { wall: naive_at(at + i64::from(offset) * 1000), abbreviation: abbreviation.to_string() }
    }

    /// The instant a wall-clock time names, disambiguated as RFC 9557's "compatible":
    /// a repeated time (autumn) means its first occurrence, a skipped time (spring) is moved
    /// forward by the length of the gap.
    pub fn instant_of(&self, wall: NaiveDateTime) -> Instant {
        let local_ms = wall.and_utc().timestamp_millis();
        let local_secs = local_ms.div_euclid(1000);
        // The offsets in force a day either side bracket any single transition near `wall`.
        let before = self.local_type(local_secs - DAY / 1000).0;
        let after = self.local_type(local_secs + DAY / 1000).0;
        let fits = |offset: i32| self.local_type(local_secs - i64::from(offset)).0 == offset;
        let offset = match (fits(before), fits(after)) {
            (true, true) => before.max(after), // the larger offset gives the earlier instant
            (true, false) => before,
            (false, true) => after,
            (false, false) => before, // in the gap: read with the offset before it, so it lands after it
        };
        local_ms - i64::from(offset) * 1000
    }

    /// "Sat 19:40 CEST" for instants within six days of `now`, "Sat 2026-11-21 19:40 CET" further away.
    /// Written out by hand: chrono's strftime parser would add about 15 KB to the component.
    pub fn describe(&self, at: Instant, now: Instant) -> String {
        let moment = self.local(at);
        let w = moment.wall;
        const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        let day = DAYS[w.weekday().num_days_from_monday() as usize];
        if (at - now).abs() <= 6 * DAY {
            format!("{day} {} {}", clock(w), moment.abbreviation)
        } else {
            format!("{day} {:04}-{:02}-{:02} {} {}", w.year(), w.month(), w.day(), clock(w), moment.abbreviation)
        }
    }
}

/// `19:40`.
pub fn clock(wall: NaiveDateTime) -> String {
    format!("{:02}:{:02}", wall.hour(), wall.minute())
}

/// A date-time read as if UTC; instants are range-checked before they get here.
fn naive_at(ms: i64) -> NaiveDateTime {
    DateTime::from_timestamp_millis(ms).unwrap_or_default().naive_utc()
}

/// A TZif v3 file with no transitions and the rule as its footer. tz-rs applies the footer at every
/// instant when there are no transitions, and reads footers of v3 files with the extensions allowed;
/// its direct POSIX-string entry point disallows them and may look for files.
fn tzif_with_footer(rule: &str) -> Vec<u8> {
    let mut header = Vec::with_capacity(44);
    header.extend_from_slice(b"TZif3");
    header.extend_from_slice(&[0; 15]);
    // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt (RFC 8536 §3.1)
    for count in [0u32, 0, 0, 0, 1, 4] {
        header.extend_from_slice(&count.to_be_bytes());
    }
    // One local time type: offset 0, not DST, designation index 0, then the designation "UTC\0".
    let data = [0u8, 0, 0, 0, 0, 0, b'U', b'T', b'C', 0];
    let mut file = Vec::with_capacity(2 * (header.len() + data.len()) + rule.len() + 2);
    for _ in 0..2 {
        // the version 1 block, then the 64-bit block that v2+ readers use
        file.extend_from_slice(&header);
        file.extend_from_slice(&data);
    }
    file.push(b'\n');
    file.extend_from_slice(rule.as_bytes());
    file.push(b'\n');
    file
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    const BERLIN: &str = "CET-1CEST,M3.5.0,M10.5.0/3";

    fn utc_ms(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Instant {
        NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_opt(h, mi, 0).unwrap().and_utc().timestamp_millis()
    }

    fn wall(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_opt(h, mi, 0).unwrap()
    }

    #[test]
    fn berlin_switches_on_the_last_sundays_of_march_and_october() {
        let zone = Zone::from_posix_rule(BERLIN).unwrap();
        // 2026-03-29 01:00 UTC is the spring switch.
        assert_eq!(zone.local(utc_ms(2026, 3, 29, 0, 59)).abbreviation, "CET");
        assert_eq!(zone.local(utc_ms(2026, 3, 29, 1, 0)).wall, wall(2026, 3, 29, 3, 0));
        assert_eq!(zone.local(utc_ms(2026, 3, 29, 1, 0)).abbreviation, "CEST");
        // 2026-10-25 01:00 UTC is the autumn switch.
        assert_eq!(zone.local(utc_ms(2026, 10, 25, 0, 59)).wall, wall(2026, 10, 25, 2, 59));
        assert_eq!(zone.local(utc_ms(2026, 10, 25, 1, 0)).wall, wall(2026, 10, 25, 2, 0));
    }

    #[test]
    fn local_to_instant_is_compatible_across_both_switches() {
        let zone = Zone::from_posix_rule(BERLIN).unwrap();
        // An ordinary time.
        assert_eq!(zone.instant_of(wall(2026, 11, 20, 18, 0)), utc_ms(2026, 11, 20, 17, 0));
        // 02:30 does not exist on 2026-03-29: moved forward by the hour's gap, to 03:30 CEST.
        assert_eq!(zone.instant_of(wall(2026, 3, 29, 2, 30)), utc_ms(2026, 3, 29, 1, 30));
        // 02:30 happens twice on 2026-10-25: the first (CEST) one.
        assert_eq!(zone.instant_of(wall(2026, 10, 25, 2, 30)), utc_ms(2026, 10, 25, 0, 30));
    }

    #[test]
    fn southern_hemisphere_and_extension_rules() {
        // Sydney: DST from the first Sunday of October to the first Sunday of April.
        let sydney = Zone::from_posix_rule("AEST-10AEDT,M10.1.0,M4.1.0/3").unwrap();
        assert_eq!(sydney.local(utc_ms(2026, 1, 10, 0, 0)).abbreviation, "AEDT");
        assert_eq!(sydney.local(utc_ms(2026, 7, 10, 0, 0)).abbreviation, "AEST");
        // Jerusalem's rule uses hour 26, a TZif v3 extension.
        let jerusalem = Zone::from_posix_rule("IST-2IDT,M3.4.4/26,M10.5.0").unwrap();
        assert_eq!(jerusalem.local(utc_ms(2026, 7, 1, 12, 0)).abbreviation, "IDT");
        // Numeric abbreviations in angle brackets.
        let sao_paulo = Zone::from_posix_rule("<-03>3").unwrap();
        assert_eq!(sao_paulo.describe(utc_ms(2026, 11, 21, 15, 0), utc_ms(2026, 11, 21, 15, 0)), "Sat 12:00 -03");
    }

    #[test]
    fn bad_rules_say_what_to_give_instead() {
        assert!(Zone::from_posix_rule("").unwrap_err().contains("empty"));
        assert!(Zone::from_posix_rule("Europe/Berlin").unwrap_err().contains("IANA"));
        assert!(Zone::from_posix_rule(":/etc/localtime").unwrap_err().contains("IANA"));
        assert!(Zone::from_posix_rule("CET-1CEST,M13.5.0").unwrap_err().contains("not a POSIX TZ rule"));
        assert!(Zone::from_posix_rule("CET -1").is_err());
    }

    #[test]
    fn describe_uses_the_date_only_when_far_away() {
        let zone = Zone::from_posix_rule(BERLIN).unwrap();
        let now = utc_ms(2026, 11, 20, 17, 0);
        assert_eq!(zone.describe(utc_ms(2026, 11, 21, 18, 40), now), "Sat 19:40 CET");
        assert_eq!(zone.describe(utc_ms(2026, 12, 1, 18, 40), now), "Tue 2026-12-01 19:40 CET");
        assert_eq!(Zone::utc().describe(now, now), "Fri 17:00 UTC");
    }
}
