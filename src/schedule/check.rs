//! The plan checker: validates a plan against the instance's rules without
//! using anything the solver computed (no pattern lists, no costs). Every
//! plan is checked before it is written, and the tests use it as the oracle.

use crate::input::territory::HalfDayRule;
use crate::schedule::calendar::{HalfDay, format_clock, weekday_code};
use crate::schedule::model::Instance;
use crate::schedule::plan::{Plan, Visit};
use chrono::Weekday;
use std::collections::{BTreeMap, HashMap};

/// Seconds of tolerance on time limits, for floating-point sums.
const EPS: f64 = 1e-6;

/// The rules a plan breaks, one sentence each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken(pub Vec<String>);

impl Broken {
    /// `breaks N rule(s):` and one rule per indented line.
    pub fn listed(&self) -> String {
        format!("breaks {} rule(s):\n  {}", self.0.len(), self.0.join("\n  "))
    }

    /// The rules on one line, separated by `; `.
    pub(crate) fn inline(&self) -> String {
        self.0.join("; ")
    }
}

/// Checks `plan`; `Err` lists every broken rule.
pub(crate) fn verify(instance: &Instance, plan: &Plan) -> Result<(), Broken> {
    let problems = check(instance, plan);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Broken(problems))
    }
}

/// Returns one sentence per rule the plan breaks; empty means valid.
pub fn check(instance: &Instance, plan: &Plan) -> Vec<String> {
    let mut problems = Vec::new();
    check_slots(instance, plan, &mut problems);
    check_communes(instance, plan, &mut problems);
    check_days(instance, plan, &mut problems);
    problems
}

fn check_slots(instance: &Instance, plan: &Plan, problems: &mut Vec<String>) {
    // Per (bus, slot): whether a stop lasting the session takes it. Short
    // stops may share a slot; `check_days` times them.
    let mut taken: HashMap<(usize, crate::schedule::calendar::Slot), bool> = HashMap::new();
    for v in &plan.visits {
        let Some(bus) = instance.buses.get(v.bus) else {
            problems.push(format!("visit on unknown bus #{}", v.bus));
            continue;
        };
        let s = v.slot;
        let weeks = instance.cycle.weeks;
        if !(1..=weeks).contains(&s.week) {
            problems.push(format!("{}: week {} outside 1..={weeks}", bus.name, s.week));
        }
        if s.weekday == Weekday::Sat && s.half == HalfDay::Pm {
            problems.push(format!(
                "{}: a stop on a Saturday afternoon in week {}, when buses work Saturday mornings only",
                bus.name, s.week
            ));
        }
        if !bus.weekdays.contains(&s.weekday) {
            problems.push(format!(
                "{} does not work on {} but stops there in week {}",
                bus.name,
                weekday_code(s.weekday),
                s.week
            ));
        }
        let whole = v.time.is_none();
        if taken.insert((v.bus, s), whole).is_some_and(|before| before || whole) {
            problems.push(format!(
                "{}: two stops in week {} {} {}",
                bus.name,
                s.week,
                weekday_code(s.weekday),
                s.half
            ));
        }
    }
}

fn check_communes(instance: &Instance, plan: &Plan, problems: &mut Vec<String>) {
    let mut by_commune: BTreeMap<usize, Vec<_>> = BTreeMap::new();
    for v in &plan.visits {
        by_commune.entry(v.commune).or_default().push(*v);
    }
    for (c, commune) in instance.territory.communes.iter().enumerate() {
        let mut visits = by_commune.remove(&c).unwrap_or_default();
        let name = &commune.name;
        if commune.half_day == Some(HalfDayRule::Full) {
            // A whole day counts once: its morning, with its afternoon.
            match whole_days(&visits) {
                Ok(days) => visits = days,
                Err(why) => {
                    problems.push(format!("{name}: {why}"));
                    continue;
                }
            }
        }
        let required = commune
            .visits_per_month
            .unwrap_or_else(|| instance.frequency.visits_for(commune.population));
        if visits.len() != usize::from(required) {
            problems.push(format!("{name}: {} visits planned, {required} required", visits.len()));
            continue;
        }
        let Some(first) = visits.first() else { continue };
        let regular = visits.iter().all(|v| {
            v.bus == first.bus
                && v.slot.weekday == first.slot.weekday
                && v.slot.half == first.slot.half
                && v.time == first.time
        });
        check_length(instance, commune, first, problems);
        let mut weeks: Vec<u8> = visits.iter().map(|v| v.slot.week).collect();
        weeks.sort_unstable();
        // A week outside the cycle is reported once, by `check_slots`.
        let within = weeks.iter().all(|w| instance.cycle.week_numbers().contains(w));
        if !regular || (within && !evenly_spread(&weeks, instance.cycle.weeks)) {
            problems.push(format!(
                "{name}: visits in weeks {weeks:?} do not follow one valid pattern (same bus, weekday and half-day; evenly spread over the {}-week cycle, e.g. weeks 1+3 or 2+4 for 2 in 4)",
                instance.cycle.weeks
            ));
        }
        for v in &visits {
            let s = v.slot;
            if commune.weekdays.as_ref().is_some_and(|days| !days.contains(&s.weekday)) {
                problems.push(format!(
                    "{name}: visited on {}, not one of its allowed weekdays",
                    weekday_code(s.weekday)
                ));
            }
            if let Some(HalfDayRule::Require(h)) = commune.half_day
                && h != s.half
            {
                problems.push(format!("{name}: visited {} but requires {h}", s.half));
            }
            // A week outside the cycle has no date; `check_slots` reports it.
            if let Some(date) = instance.cycle.date_of(s.week, s.weekday) {
                if commune.unavailable.contains(&date) {
                    problems.push(format!("{name}: visited on {date}, a date it is unavailable"));
                }
                if crate::schedule::calendar::is_french_holiday(date) {
                    problems.push(format!("{name}: visited on {date}, a public holiday"));
                }
            }
        }
    }
    for c in by_commune.keys() {
        problems.push(format!("visit to unknown commune #{c}"));
    }
}

/// A short stop (its `minutes` shorter than the sessions) opens and
/// closes within its session, for its minutes; any other stop lasts its
/// session.
fn check_length(
    instance: &Instance,
    commune: &crate::input::territory::Commune,
    visit: &Visit,
    problems: &mut Vec<String>,
) {
    let (am, pm) = (instance.sessions.am, instance.sessions.pm);
    let shortest = (am.end - am.start).min(pm.end - pm.start);
    let short = commune
        .minutes
        .filter(|m| *m < shortest && commune.half_day != Some(HalfDayRule::Full));
    let session = instance.sessions.get(visit.slot.half);
    let name = &commune.name;
    match (short, visit.time) {
        (None, None) => {}
        (Some(m), Some((opens, closes))) => {
            if closes != opens + m || opens < session.start || closes > session.end {
                problems.push(format!(
                    "{name}: open {}–{}, but its stop lasts {m} min within the {}–{} session",
                    format_clock(opens),
                    format_clock(closes),
                    format_clock(session.start),
                    format_clock(session.end)
                ));
            }
        }
        (Some(m), None) => problems.push(format!(
            "{name}: planned for the whole session, but its stop lasts {m} min"
        )),
        (None, Some(_)) => problems.push(format!(
            "{name}: given opening hours, but its stop lasts the whole session"
        )),
    }
}

/// The mornings of a whole-day commune's visits, if every visit is a
/// morning and an afternoon of the same bus and day; else what is wrong.
fn whole_days(visits: &[Visit]) -> Result<Vec<Visit>, String> {
    let partner = |v: &Visit, half: HalfDay| {
        visits
            .iter()
            .any(|w| w.bus == v.bus && w.slot == crate::schedule::calendar::Slot { half, ..v.slot })
    };
    let other = |half: HalfDay| if half == HalfDay::Am { HalfDay::Pm } else { HalfDay::Am };
    if let Some(v) = visits.iter().find(|v| !partner(v, other(v.slot.half))) {
        return Err(format!(
            "served whole days, but only the {} of week {} {}",
            v.slot.half,
            v.slot.week,
            weekday_code(v.slot.weekday)
        ));
    }
    Ok(visits.iter().filter(|v| v.slot.half == HalfDay::Am).copied().collect())
}

/// Whether sorted `weeks` are evenly spread over a `cycle` of weeks: as
/// many as divide it, each `cycle / count` after the one before, the first
/// within the first gap (so the pattern repeats unchanged every cycle).
fn evenly_spread(weeks: &[u8], cycle: u8) -> bool {
    let count = weeks.len() as u8;
    if count == 0 || !cycle.is_multiple_of(count) {
        return false;
    }
    let gap = cycle / count;
    weeks[0] >= 1 && weeks[0] <= gap && weeks.windows(2).all(|w| w[1] == w[0] + gap)
}

fn check_days(instance: &Instance, plan: &Plan, problems: &mut Vec<String>) {
    let gap = f64::from(instance.sessions.pm.start - instance.sessions.am.end) * 60.0;
    // Per bus day, its stops in time order: (half, commune, opens, closes,
    // whether it lasts its session).
    type DayStop = (HalfDay, usize, u32, u32, bool);
    let mut days: BTreeMap<(usize, u8, u32), Vec<DayStop>> = BTreeMap::new();
    // Visits to unknown communes are reported by `check_communes`; the
    // matrix has no row for them.
    let known = instance.territory.communes.len();
    for v in plan.visits.iter().filter(|v| v.commune < known) {
        let key = (v.bus, v.slot.week, v.slot.weekday.num_days_from_monday());
        let session = instance.sessions.get(v.slot.half);
        let (opens, closes) = v.time.unwrap_or((session.start, session.end));
        let stops = days.entry(key).or_default();
        let whole = v.time.is_none();
        // Two stops that each last the session are reported by
        // `check_slots`; the day is priced with the later one.
        if whole && let Some(i) = stops.iter().position(|s| s.0 == v.slot.half && s.4) {
            stops.remove(i);
        }
        stops.push((v.slot.half, v.commune, opens, closes, whole));
    }
    for ((bus, week, weekday), mut stops) in days {
        let Some(b) = instance.buses.get(bus) else { continue };
        stops.sort_by_key(|s| (s.0, s.2));
        let depot = bus;
        let node = |c: usize| instance.buses.len() + c;
        let mut path = vec![depot];
        path.extend(stops.iter().map(|s| node(s.1)));
        path.push(depot);
        let drive: f64 = path.windows(2).map(|l| instance.matrix.seconds(l[0], l[1])).sum();
        let day = format!(
            "{} week {week} {}",
            b.name,
            weekday_code(crate::schedule::calendar::WEEKDAYS[weekday as usize])
        );
        if !drive.is_finite() {
            problems.push(format!("{day}: a stop cannot be reached by road"));
        } else if drive > instance.max_drive_seconds + EPS {
            problems.push(format!(
                "{day}: {:.0} min of driving, more than the {:.0} min allowed",
                drive / 60.0,
                instance.max_drive_seconds / 60.0
            ));
        }
        for pair in stops.windows(2) {
            let (a, p) = (pair[0], pair[1]);
            let leg = instance.matrix.seconds(node(a.1), node(p.1));
            if a.4 && p.4 && a.0 == HalfDay::Am && p.0 == HalfDay::Pm {
                if leg > gap + EPS {
                    problems.push(format!(
                        "{day}: {:.0} min from the {} stop to the {} stop, more than the {:.0} min lunch gap",
                        leg / 60.0,
                        HalfDay::Am,
                        HalfDay::Pm,
                        gap / 60.0
                    ));
                }
            } else if f64::from(a.3) * 60.0 + leg > f64::from(p.2) * 60.0 + EPS {
                let name = |c: usize| &instance.territory.communes[c].name;
                problems.push(format!(
                    "{day}: {} closes at {} and {} opens at {}, {:.0} min of driving away",
                    name(a.1),
                    format_clock(a.3),
                    name(p.1),
                    format_clock(p.2),
                    leg / 60.0
                ));
            }
        }
    }
}
