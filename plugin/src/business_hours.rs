//! Business hours in the business's own time zone, and how a window's end relates to them.

use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};

use crate::error::InvalidInput;
use crate::time::Instant;
use crate::zone::Zone;

/// A wall-clock time; 24:00 is "until midnight".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalTime {
    pub hour: u8,
    pub minute: u8,
}

/// One opening span on one weekday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpeningSpan {
    pub day: Weekday,
    pub opens: LocalTime,
    pub closes: LocalTime,
}

/// A local calendar date as the contract carries it (not yet checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// The weekly schedule and the closed dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BusinessHours {
    pub weekly: Vec<OpeningSpan>,
    pub closed_dates: Vec<LocalDate>,
}

/// How the window's end relates to the business hours (WIT `hours-check`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoursCheck {
    pub open_now: bool,
    pub closes_outside_hours: bool,
    pub last_business_moment: Option<Instant>,
}

/// Business hours checked and ready to place on the time line.
#[derive(Debug, Clone)]
pub struct Schedule {
    spans: Vec<OpeningSpan>,
    closed: Vec<NaiveDate>,
}

impl LocalTime {
    fn minutes(self) -> u32 {
        u32::from(self.hour) * 60 + u32::from(self.minute)
    }

    fn check(self, field: &str) -> Result<Self, InvalidInput> {
        let ok = self.minute < 60 && (self.hour < 24 || (self.hour == 24 && self.minute == 0));
        if ok {
            Ok(self)
        } else {
            Err(InvalidInput::new(
                field,
                format!("{:02}:{:02} is not a time of day (00:00 to 24:00)", self.hour, self.minute),
            ))
        }
    }
}

impl BusinessHours {
    /// Check every span and date, naming the first one that is wrong.
    pub fn schedule(&self) -> Result<Schedule, InvalidInput> {
        for (i, span) in self.weekly.iter().enumerate() {
            let opens = span.opens.check(&format!("business-hours.weekly[{i}].opens"))?;
            let closes = span.closes.check(&format!("business-hours.weekly[{i}].closes"))?;
            if closes <= opens {
                return Err(InvalidInput::new(
                    format!("business-hours.weekly[{i}].closes"),
                    "must be later than `opens`; write a span past midnight as two spans",
                ));
            }
        }
        let closed = self
            .closed_dates
            .iter()
            .enumerate()
            .map(|(i, d)| {
                NaiveDate::from_ymd_opt(d.year, u32::from(d.month), u32::from(d.day)).ok_or_else(|| {
                    InvalidInput::new(
                        format!("business-hours.closed-dates[{i}]"),
                        format!("{}-{:02}-{:02} is not a calendar date", d.year, d.month, d.day),
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Schedule { spans: self.weekly.clone(), closed })
    }
}

impl Schedule {
    /// The opening spans, as instants, of every local date from the one before `from` to the one after `to`.
    fn intervals(&self, zone: &Zone, from: Instant, to: Instant) -> Vec<(Instant, Instant)> {
        let first = zone.local(from).wall.date() - Days::new(1);
        let last = zone.local(to).wall.date() + Days::new(1);
        let mut out = Vec::new();
        let mut date = first;
        while date <= last {
            if !self.closed.contains(&date) {
                for span in self.spans.iter().filter(|s| s.day == date.weekday()) {
                    out.push((at(zone, date, span.opens), at(zone, date, span.closes)));
                }
            }
            date = date + Days::new(1);
        }
        out
    }

    /// Whether the business is open at `now`, and how the window closing at `closes_at` falls.
    pub fn check(&self, zone: &Zone, now: Instant, closes_at: Instant) -> HoursCheck {
        let end = closes_at.max(now);
        let intervals = self.intervals(zone, now, end);
        let open_now = intervals.iter().any(|&(s, e)| s <= now && now < e);
        // The contract's boundary rule (wit/window.wit `hours-check`): spans are (opens, closes].
        // Closing at the very end of a span still leaves the whole span to reply in; closing at the
        // very start of one leaves none of it.
        let closes_outside_hours = !intervals.iter().any(|&(s, e)| s < closes_at && closes_at <= e);
        let last_business_moment =
            intervals.iter().filter(|&&(s, e)| s.max(now) < e.min(closes_at)).map(|&(_, e)| e.min(closes_at)).max();
        HoursCheck { open_now, closes_outside_hours, last_business_moment }
    }
}

/// The instant a local date and time name; 24:00 is the next day's midnight.
fn at(zone: &Zone, date: NaiveDate, time: LocalTime) -> Instant {
    let minutes = time.minutes();
    let (date, minutes) = if minutes == 24 * 60 { (date + Days::new(1), 0) } else { (date, minutes) };
    let time = NaiveTime::from_num_seconds_from_midnight_opt(minutes * 60, 0).unwrap_or(NaiveTime::MIN);
    zone.instant_of(date.and_time(time))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BERLIN: &str = "CET-1CEST,M3.5.0,M10.5.0/3";

    fn t(hour: u8, minute: u8) -> LocalTime {
        LocalTime { hour, minute }
    }

    fn weekdays_9_to_18() -> BusinessHours {
        let weekly = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri]
            .into_iter()
            .map(|day| OpeningSpan { day, opens: t(9, 0), closes: t(18, 0) })
            .collect();
        BusinessHours { weekly, closed_dates: vec![] }
    }

    fn berlin(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Instant {
        let wall = NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_opt(h, mi, 0).unwrap();
        Zone::from_posix_rule(BERLIN).unwrap().instant_of(wall)
    }

    #[test]
    fn window_closing_on_saturday_points_back_to_friday_evening() {
        let zone = Zone::from_posix_rule(BERLIN).unwrap();
        let schedule = weekdays_9_to_18().schedule().unwrap();
        // Friday 20 Nov 2026 10:00, the window closes Saturday 19:40.
        let check = schedule.check(&zone, berlin(2026, 11, 20, 10, 0), berlin(2026, 11, 21, 19, 40));
        assert!(check.open_now);
        assert!(check.closes_outside_hours);
        assert_eq!(check.last_business_moment, Some(berlin(2026, 11, 20, 18, 0)));
    }

    #[test]
    fn no_business_moment_left_when_checked_on_saturday() {
        let zone = Zone::from_posix_rule(BERLIN).unwrap();
        let schedule = weekdays_9_to_18().schedule().unwrap();
        let check = schedule.check(&zone, berlin(2026, 11, 21, 9, 0), berlin(2026, 11, 21, 19, 40));
        assert!(!check.open_now);
        assert!(check.closes_outside_hours);
        assert_eq!(check.last_business_moment, None);
    }

    #[test]
    fn closing_inside_hours_gives_the_closing_time_itself() {
        let zone = Zone::from_posix_rule(BERLIN).unwrap();
        let schedule = weekdays_9_to_18().schedule().unwrap();
        let closes = berlin(2026, 11, 19, 17, 59);
        let check = schedule.check(&zone, berlin(2026, 11, 19, 8, 0), closes);
        assert!(!check.open_now);
        assert!(!check.closes_outside_hours);
        assert_eq!(check.last_business_moment, Some(closes));
        // Closing exactly when the office closes counts as inside.
        let check = schedule.check(&zone, berlin(2026, 11, 19, 8, 0), berlin(2026, 11, 19, 18, 0));
        assert!(!check.closes_outside_hours);
    }

    #[test]
    fn closing_exactly_when_the_office_opens_is_outside() {
        let zone = Zone::from_posix_rule(BERLIN).unwrap();
        let schedule = weekdays_9_to_18().schedule().unwrap();
        // Checked Wednesday 12:00; the window closes Thursday 09:00, the minute the office opens.
        let check = schedule.check(&zone, berlin(2026, 11, 18, 12, 0), berlin(2026, 11, 19, 9, 0));
        assert!(check.closes_outside_hours);
        assert_eq!(check.last_business_moment, Some(berlin(2026, 11, 18, 18, 0)));
        // One minute later, Thursday's span counts.
        let check = schedule.check(&zone, berlin(2026, 11, 18, 12, 0), berlin(2026, 11, 19, 9, 1));
        assert!(!check.closes_outside_hours);
        assert_eq!(check.last_business_moment, Some(berlin(2026, 11, 19, 9, 1)));
    }

    #[test]
    fn closed_dates_and_lunch_breaks() {
        let zone = Zone::from_posix_rule(BERLIN).unwrap();
        let mut hours = BusinessHours {
            weekly: vec![
                OpeningSpan { day: Weekday::Thu, opens: t(9, 0), closes: t(12, 0) },
                OpeningSpan { day: Weekday::Thu, opens: t(13, 0), closes: t(17, 0) },
                OpeningSpan { day: Weekday::Fri, opens: t(9, 0), closes: t(17, 0) },
            ],
            closed_dates: vec![],
        };
        let check = hours.schedule().unwrap().check(&zone, berlin(2026, 12, 24, 8, 0), berlin(2026, 12, 24, 12, 30));
        assert!(check.closes_outside_hours, "12:30 falls in the lunch break");
        assert_eq!(check.last_business_moment, Some(berlin(2026, 12, 24, 12, 0)));
        // 25 December is a Friday and a holiday.
        hours.closed_dates.push(LocalDate { year: 2026, month: 12, day: 25 });
        let check = hours.schedule().unwrap().check(&zone, berlin(2026, 12, 24, 18, 0), berlin(2026, 12, 25, 15, 0));
        assert!(check.closes_outside_hours);
        assert_eq!(check.last_business_moment, None);
    }

    #[test]
    fn hours_follow_the_clock_across_the_autumn_switch() {
        let zone = Zone::from_posix_rule(BERLIN).unwrap();
        let hours = BusinessHours {
            weekly: vec![OpeningSpan { day: Weekday::Sun, opens: t(1, 0), closes: t(4, 0) }],
            closed_dates: vec![],
        };
        // On 2026-10-25 the local span 01:00-04:00 lasts four real hours (02:00-03:00 happens twice).
        let check = hours.schedule().unwrap().check(&zone, berlin(2026, 10, 24, 12, 0), berlin(2026, 10, 25, 12, 0));
        let last = check.last_business_moment.unwrap();
        assert_eq!(last, berlin(2026, 10, 25, 4, 0));
        assert_eq!(last - berlin(2026, 10, 25, 1, 0), 4 * crate::time::HOUR);
    }

    #[test]
    fn bad_spans_and_dates_are_named() {
        let mut hours = weekdays_9_to_18();
        hours.weekly[2].closes = t(8, 0);
        assert_eq!(hours.schedule().unwrap_err().field, "business-hours.weekly[2].closes");
        let mut hours = weekdays_9_to_18();
        hours.weekly[0].opens = t(24, 30);
        assert!(hours.schedule().unwrap_err().reason.contains("24:30"));
        let hours = BusinessHours { weekly: vec![], closed_dates: vec![LocalDate { year: 2026, month: 2, day: 30 }] };
        assert_eq!(hours.schedule().unwrap_err().field, "business-hours.closed-dates[0]");
        // 24:00 is the end of the day, and is accepted.
        let hours = BusinessHours {
            weekly: vec![OpeningSpan { day: Weekday::Sat, opens: t(0, 0), closes: t(24, 0) }],
            closed_dates: vec![],
        };
        assert!(hours.schedule().is_ok());
    }
}
