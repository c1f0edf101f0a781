//! The scheduling rules of the domain, one file each. A rule says which
//! slot patterns a commune may take ([`Rule::allows`]), explains with
//! numbers why it left a commune none ([`Rule::explain`]), checks a saved
//! plan ([`Rule::check_commune`], [`Rule::check_day`]: from the plan's
//! visits alone, never from what the solver computed), says which bus
//! days the exact model may pair ([`Rule::day_allows`]) and what it limits
//! of a bus's day in the solver ([`Rule::limit`]).
//!
//! The model builder, the checker, the exact model and the solver's
//! mapping iterate over [`RULES`]; adding a rule is a file here and a line
//! in that list (ARCHITECTURE.md, "Add a rule").

mod bus_half_days;
mod dates;
mod driving;
mod half_day;
mod lunch;
mod published;
mod range;
mod saturday;
mod short_stop;
mod spacing;
mod weekdays;
mod whole_day;

use crate::calendar::{HalfDay, WEEKDAYS, weekday_code};
use crate::input::territory::Commune;
use crate::schedule::model::{DayDrive, Instance, SlotPattern};
use crate::schedule::plan::{Plan, Visit};
use crate::schedule::reason::Reason;
use std::collections::BTreeMap;

/// Seconds (or metres) of tolerance on limits, for floating-point sums.
pub(crate) const EPS: f64 = 1e-6;

/// One scheduling rule. Every method has a default that lets everything
/// through, so a rule implements only the parts it constrains.
pub(crate) trait Rule: Sync {
    /// Whether commune `c` may take `pattern`.
    fn allows(&self, _instance: &Instance, _c: usize, _pattern: &SlotPattern) -> bool {
        true
    }

    /// Why commune `c` has no pattern once this rule has removed all of
    /// `left` (those every earlier rule allowed), with the numbers that
    /// show it; `None` when the interplay of calendar rules is to blame
    /// and the model's general explanation says it better.
    fn explain(&self, _instance: &Instance, _c: usize, _left: &[SlotPattern]) -> Option<String> {
        None
    }

    /// One refusal for all the `communes` this rule left without a pattern
    /// (each with the patterns the earlier rules allowed it), when the
    /// numbers say more together (the limit that would admit them all);
    /// `None`: each commune's [`Rule::explain`], listed.
    fn summary(&self, _instance: &Instance, _communes: &[(usize, Vec<SlotPattern>)]) -> Option<String> {
        None
    }

    /// The broken rules in the `visits` of `commune` (index `c`), one
    /// reason each; a whole day counts as its morning.
    fn check_commune(&self, _instance: &Instance, _c: usize, _commune: &Commune, _visits: &[Visit]) -> Vec<Reason> {
        Vec::new()
    }

    /// The broken rules in one bus day of a plan, one reason each.
    fn check_day(&self, _instance: &Instance, _day: &CheckedDay) -> Vec<Reason> {
        Vec::new()
    }

    /// Whether `bus` may serve `am` in the morning then `pm` in the
    /// afternoon of one day, which drives `drive` (the exact model's
    /// pairs).
    fn day_allows(&self, _instance: &Instance, _bus: usize, _am: usize, _pm: usize, _drive: DayDrive) -> bool {
        true
    }

    /// What the rule limits of `bus`'s day in the solver.
    fn limit(&self, _instance: &Instance, _bus: usize, _limits: &mut pvrp::Limits) {}
}

/// Every rule, in the order a refusal is explained: the bus-level limits
/// first (a commune no bus reaches is told so before its weekdays are
/// discussed), then the calendar.
pub(crate) static RULES: &[&dyn Rule] = &[
    &driving::Driving,
    &range::Range,
    &whole_day::WholeDay,
    &saturday::SaturdayMornings,
    &bus_half_days::BusHalfDays,
    &spacing::Spacing,
    &published::Published,
    &weekdays::Weekdays,
    &half_day::HalfDays,
    &dates::Dates,
    &short_stop::ShortStop,
    &lunch::Lunch,
];

/// Whether every rule lets commune `c` take `pattern`.
pub(crate) fn allowed(instance: &Instance, c: usize, pattern: &SlotPattern) -> bool {
    RULES.iter().all(|r| r.allows(instance, c, pattern))
}

/// The rule that removes the last of commune `c`'s `candidates` (its
/// index in [`RULES`]), with the patterns the earlier rules left; `None`
/// when every rule alone would leave some.
pub(crate) fn refused_by(
    instance: &Instance,
    c: usize,
    candidates: &[SlotPattern],
) -> Option<(usize, Vec<SlotPattern>)> {
    let mut left = candidates.to_vec();
    for (r, rule) in RULES.iter().enumerate() {
        let kept: Vec<SlotPattern> = left.iter().copied().filter(|p| rule.allows(instance, c, p)).collect();
        if kept.is_empty() {
            return Some((r, left));
        }
        left = kept;
    }
    None
}

/// One refusal for the `communes` rule `r` left without a pattern: its
/// summary, else each commune's explanation (or `fallback`'s), a line
/// each.
pub(crate) fn refusal(
    instance: &Instance,
    r: usize,
    communes: &[(usize, Vec<SlotPattern>)],
    fallback: &dyn Fn(usize) -> String,
) -> String {
    let rule = RULES[r];
    if communes.len() > 1
        && let Some(summary) = rule.summary(instance, communes)
    {
        return summary;
    }
    let lines: Vec<String> = communes
        .iter()
        .map(|(c, left)| rule.explain(instance, *c, left).unwrap_or_else(|| fallback(*c)))
        .collect();
    lines.join("\n")
}

/// Whether every rule lets `bus` pair `am` and `pm` in one day, which
/// drives `drive`.
pub(crate) fn day_allowed(instance: &Instance, bus: usize, am: usize, pm: usize, drive: DayDrive) -> bool {
    RULES.iter().all(|r| r.day_allows(instance, bus, am, pm, drive))
}

/// The solver's limits of `bus`'s day, as the rules set them.
pub(crate) fn limits(instance: &Instance, bus: usize) -> pvrp::Limits {
    let mut limits = pvrp::Limits::default();
    for rule in RULES {
        rule.limit(instance, bus, &mut limits);
    }
    limits
}

/// One stop of a bus day in a plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DayStop {
    pub half: HalfDay,
    /// Index into the territory's communes.
    pub commune: usize,
    /// Minutes since midnight.
    pub opens: u32,
    pub closes: u32,
    /// Whether the stop lasts its session.
    pub whole: bool,
}

/// One bus day of a plan: its stops in time order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CheckedDay {
    pub bus: usize,
    pub week: u8,
    /// 0 for Monday.
    pub weekday: u32,
    pub stops: Vec<DayStop>,
    /// Its drive, depot to depot through its stops.
    pub drive: DayDrive,
}

impl CheckedDay {
    /// How messages name the day: "Bus 1 week 2 Tue".
    pub fn label(&self, instance: &Instance) -> String {
        format!(
            "{} week {} {}",
            instance.buses[self.bus].name,
            self.week,
            weekday_code(WEEKDAYS[self.weekday as usize])
        )
    }

    /// The same in French: "Bus 1, semaine 2, mardi".
    pub fn label_fr(&self, instance: &Instance) -> String {
        format!(
            "{}, semaine {}, {}",
            instance.buses[self.bus].name,
            self.week,
            crate::calendar::weekday_french(WEEKDAYS[self.weekday as usize])
        )
    }
}

/// The plan's bus days, each with its stops in time order. Visits to
/// unknown buses or communes are left out (the checker reports them); of
/// two stops that each last one session, the later is kept (the checker
/// reports the pair).
pub(crate) fn bus_days(instance: &Instance, plan: &Plan) -> Vec<CheckedDay> {
    let mut days: BTreeMap<(usize, u8, u32), Vec<DayStop>> = BTreeMap::new();
    let known = instance.territory.communes.len();
    for v in plan
        .visits
        .iter()
        .filter(|v| v.commune < known && v.bus < instance.buses.len())
    {
        let key = (v.bus, v.slot.week, v.slot.weekday.num_days_from_monday());
        let session = instance.sessions_on(v.bus, v.slot.weekday).get(v.slot.half);
        let (opens, closes) = v.time.unwrap_or((session.start, session.end));
        let stops = days.entry(key).or_default();
        let whole = v.time.is_none();
        if whole && let Some(i) = stops.iter().position(|s| s.half == v.slot.half && s.whole) {
            stops.remove(i);
        }
        stops.push(DayStop {
            half: v.slot.half,
            commune: v.commune,
            opens,
            closes,
            whole,
        });
    }
    days.into_iter()
        .map(|((bus, week, weekday), mut stops)| {
            stops.sort_by_key(|s| (s.half, s.opens));
            let communes: Vec<usize> = stops.iter().map(|s| s.commune).collect();
            CheckedDay {
                bus,
                week,
                weekday,
                drive: instance.day_drive(bus, &communes),
                stops,
            }
        })
        .collect()
}

/// "Name (INSEE, line N)": how a refusal names a commune.
pub(crate) fn who(commune: &Commune) -> String {
    format!("{} ({}, line {})", commune.name, commune.insee, commune.line)
}
