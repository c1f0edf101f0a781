//! The plan checker: validates a plan against the instance's rules without
//! using anything the solver computed (no pattern lists, no costs). Every
//! plan is checked before it is written, and the tests use it as the oracle.

use crate::calendar::{HalfDay, weekday_code, weekday_french};
use crate::input::territory::HalfDayRule;
use crate::schedule::model::Instance;
use crate::schedule::plan::{Plan, Visit};
use crate::schedule::reason::Reason;
use crate::schedule::rules;
use std::collections::{BTreeMap, HashMap};

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
    reasons(instance, plan).into_iter().map(|r| r.en).collect()
}

/// Every rule the plan breaks, in English and French. The plan's shape
/// (known buses and communes, one stop a slot, visit counts, one evenly
/// spread pattern per commune) is checked here; each rule of
/// `rules::RULES` then checks each commune's visits and each bus day.
pub fn reasons(instance: &Instance, plan: &Plan) -> Vec<Reason> {
    let mut problems = Vec::new();
    check_slots(instance, plan, &mut problems);
    check_communes(instance, plan, &mut problems);
    check_lines(instance, plan, &mut problems);
    for day in rules::bus_days(instance, plan) {
        for rule in rules::RULES {
            problems.extend(rule.check_day(instance, &day));
        }
    }
    problems
}

fn check_slots(instance: &Instance, plan: &Plan, problems: &mut Vec<Reason>) {
    // Per (bus, slot): whether a stop lasting the session takes it. Short
    // stops may share a slot; `check_days` times them.
    let mut taken: HashMap<(usize, crate::calendar::Slot), bool> = HashMap::new();
    for v in &plan.visits {
        let Some(bus) = instance.buses.get(v.bus) else {
            problems.push(Reason::new(
                format!("visit on unknown bus #{}", v.bus),
                format!("passage d'un bus inconnu (n° {})", v.bus),
            ));
            continue;
        };
        let s = v.slot;
        let weeks = instance.cycle.weeks;
        if !(1..=weeks).contains(&s.week) {
            problems.push(Reason::new(
                format!("{}: week {} outside 1..={weeks}", bus.name, s.week),
                format!("{} : semaine {} hors du cycle (1 à {weeks})", bus.name, s.week),
            ));
        }
        if !bus.weekdays.contains(&s.weekday) {
            problems.push(Reason::new(
                format!(
                    "{} does not work on {} but stops there in week {}",
                    bus.name,
                    weekday_code(s.weekday),
                    s.week
                ),
                format!(
                    "{} ne roule pas le {} mais s'y arrête en semaine {}",
                    bus.name,
                    weekday_french(s.weekday),
                    s.week
                ),
            ));
        }
        let whole = v.time.is_none();
        if taken.insert((v.bus, s), whole).is_some_and(|before| before || whole) {
            problems.push(Reason::new(
                format!(
                    "{}: two stops in week {} {} {}",
                    bus.name,
                    s.week,
                    weekday_code(s.weekday),
                    s.half
                ),
                format!(
                    "{} : deux arrêts en semaine {}, le {} {}",
                    bus.name,
                    s.week,
                    weekday_french(s.weekday),
                    s.half.french()
                ),
            ));
        }
    }
}

fn check_communes(instance: &Instance, plan: &Plan, problems: &mut Vec<Reason>) {
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
                    problems.push(Reason::new(
                        format!("{name}: {}", why.en),
                        format!("{name} : {}", why.fr),
                    ));
                    continue;
                }
            }
        }
        let required = instance.required_visits(c);
        // Under real dates a visit is a kind of date, as many as the rule
        // tells apart: the spacing rule holds the weeks to the rule's.
        let dated = matches!(instance.cycle.anchor, crate::calendar::Anchor::Dated(_));
        if visits.is_empty() && required > 0 || !dated && visits.len() != usize::from(required) {
            problems.push(Reason::new(
                format!("{name}: {} visits planned, {required} required", visits.len()),
                format!("{name} : {} passages prévus, {required} demandés", visits.len()),
            ));
            continue;
        }
        for rule in rules::RULES {
            problems.extend(rule.check_commune(instance, c, commune, &visits));
        }
    }
    for c in by_commune.keys() {
        problems.push(Reason::new(
            format!("visit to unknown commune #{c}"),
            format!("passage dans une commune inconnue (n° {c})"),
        ));
    }
}

/// A commune served by several lines of service (rows with a `slot`)
/// is never visited by two of them on one date.
fn check_lines(instance: &Instance, plan: &Plan, problems: &mut Vec<Reason>) {
    let mut lines_on: BTreeMap<(usize, u8, u32), Vec<usize>> = BTreeMap::new();
    for v in &plan.visits {
        if v.commune >= instance.territory.communes.len() {
            continue;
        }
        let Some(group) = instance.slot_group(v.commune) else {
            continue;
        };
        let date = (group, v.slot.week, v.slot.weekday.num_days_from_monday());
        let lines = lines_on.entry(date).or_default();
        if !lines.contains(&v.commune) {
            lines.push(v.commune);
        }
    }
    for ((group, week, weekday), lines) in lines_on.into_iter().filter(|(_, l)| l.len() > 1) {
        let commune = &instance.territory.communes[group];
        let slots: Vec<&str> = lines
            .iter()
            .filter_map(|&c| instance.territory.communes[c].slot.as_deref())
            .collect();
        let day = crate::calendar::WEEKDAYS[weekday as usize];
        problems.push(Reason::new(
            format!(
                "{}: slots {} on one day (week {week} {}): a commune's lines of service are on different days",
                commune.name,
                slots.join(" and "),
                weekday_code(day)
            ),
            format!(
                "{} : créneaux {} le même jour (semaine {week}, {}) : les créneaux d'une commune sont des jours différents",
                commune.name,
                slots.join(" et "),
                weekday_french(day)
            ),
        ));
    }
}

/// The mornings of a whole-day commune's visits, if every visit is a
/// morning and an afternoon of the same bus and day; else what is wrong.
fn whole_days(visits: &[Visit]) -> Result<Vec<Visit>, Reason> {
    let partner = |v: &Visit, half: HalfDay| {
        visits
            .iter()
            .any(|w| w.bus == v.bus && w.slot == crate::calendar::Slot { half, ..v.slot })
    };
    let other = |half: HalfDay| if half == HalfDay::Am { HalfDay::Pm } else { HalfDay::Am };
    if let Some(v) = visits.iter().find(|v| !partner(v, other(v.slot.half))) {
        return Err(Reason::new(
            format!(
                "served whole days, but only the {} of week {} {}",
                v.slot.half,
                v.slot.week,
                weekday_code(v.slot.weekday)
            ),
            format!(
                "servie à la journée, mais seulement le {} de la semaine {}, {}",
                v.slot.half.french(),
                v.slot.week,
                weekday_french(v.slot.weekday)
            ),
        ));
    }
    Ok(visits.iter().filter(|v| v.slot.half == HalfDay::Am).copied().collect())
}
