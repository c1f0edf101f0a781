//! The bus service a scenario describes: the half-day sessions' hours,
//! the frequency rule by population, and the buses (depot, weekdays,
//! range).

use crate::calendar::HalfDay;
use chrono::Weekday;
use road::LatLon;

/// A half-day session's opening hours, in minutes since midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    pub start: u32,
    pub end: u32,
}

/// The two daily sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sessions {
    pub am: Session,
    pub pm: Session,
}

impl Sessions {
    pub fn get(&self, half: HalfDay) -> Session {
        match half {
            HalfDay::Am => self.am,
            HalfDay::Pm => self.pm,
        }
    }

    /// Time between the end of the morning and the start of the afternoon
    /// session, in which the bus packs up, drives and sets up again.
    pub fn lunch_gap_seconds(&self) -> f64 {
        f64::from(self.pm.start - self.am.end) * 60.0
    }
}

impl Default for Sessions {
    fn default() -> Self {
        Sessions {
            am: Session {
                start: 9 * 60 + 30,
                end: 12 * 60,
            },
            pm: Session {
                start: 14 * 60,
                end: 16 * 60 + 30,
            },
        }
    }
}

/// Visits a month by population: `< twice_from` → 1, `< weekly_from` → 2,
/// otherwise 4; communes under `monthly_from` are not served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrequencyRule {
    pub monthly_from: u32,
    pub twice_from: u32,
    pub weekly_from: u32,
}

impl Default for FrequencyRule {
    fn default() -> Self {
        FrequencyRule {
            monthly_from: 0,
            twice_from: 2000,
            weekly_from: 5000,
        }
    }
}

impl FrequencyRule {
    pub fn visits_for(&self, population: u32) -> u8 {
        match population {
            p if p >= self.weekly_from => 4,
            p if p >= self.twice_from => 2,
            p if p >= self.monthly_from => 1,
            _ => 0,
        }
    }
}

/// Where a bus starts and ends its day.
#[derive(Debug, Clone, PartialEq)]
pub enum Depot {
    /// The stop of a commune of the territory, by INSEE code.
    Commune(String),
    Point(LatLon),
}

/// One bus and its working week.
#[derive(Debug, Clone, PartialEq)]
pub struct BusSpec {
    pub name: String,
    /// `None`: the territory's most populous commune.
    pub depot: Option<Depot>,
    pub weekdays: Vec<Weekday>,
    /// The (weekday, half-day) it works when not every half-day of its
    /// weekdays (a bus that staffs a fixed desk the rest of the week);
    /// `None`: both sessions of each weekday.
    pub half_days: Option<Vec<(Weekday, HalfDay)>>,
    /// Most km it may drive in a day (an electric bus's range), `None`
    /// for no limit besides the driving time.
    pub range_km: Option<f64>,
    /// Its own session hours on these weekdays (the scenario's elsewhere).
    pub hours: Vec<(Weekday, Sessions)>,
}

/// The working week of a bus when none is given.
pub(crate) const DEFAULT_WEEKDAYS: [Weekday; 5] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri];
