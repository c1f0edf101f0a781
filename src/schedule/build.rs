//! The instance builder: joins the territory, the scenario and the travel
//! matrix into an [`Instance`], listing for each commune the slot patterns
//! every rule of `rules::RULES` allows. Requests that cannot be met are
//! refused here, before any search, with the numbers that show why.

use crate::calendar::format_clock;
use crate::calendar::{Anchor, Cycle, HalfDay, MAX_CYCLE_WEEKS, halves, weekday_code};
use crate::error::{Error, Result};
use crate::input::scenario::Sessions;
use crate::input::scenario::{BusSpec, Depot, Scenario};
use crate::input::territory::{HalfDayRule, Pinned, Territory};
use crate::schedule::model::{Bus, Instance, Need, SlotPattern, half_days, matrix_points};
use crate::schedule::rules;
use crate::travel::TravelMatrix;
use chrono::Weekday;

/// Minutes between the start times a short stop may take: a quarter hour,
/// as opening hours are published.
const START_STEP: usize = 15;

/// Buses up to which [`Instance::check_reach`] tries every group of them
/// (2^n groups, each a pass over the communes).
const REACH_MAX_BUSES: usize = 12;

/// Resolves each bus's depot against the territory; with no bus given, one
/// bus at the most populous commune works Monday to Friday.
pub(crate) fn resolve_buses(territory: &Territory, scenario: &Scenario) -> Result<Vec<Bus>> {
    let default_bus = [BusSpec {
        name: "Bus 1".into(),
        depot: None,
        weekdays: crate::settings::service::DEFAULT_WEEKDAYS.to_vec(),
        half_days: None,
        range_km: None,
        hours: Vec::new(),
    }];
    let specs = if scenario.buses.is_empty() {
        &default_bus[..]
    } else {
        &scenario.buses[..]
    };
    specs
        .iter()
        .map(|spec| {
            let (depot, depot_label) = match &spec.depot {
                None => {
                    let c = territory.most_populous();
                    (c.stop, c.name.clone())
                }
                Some(Depot::Commune(code)) => {
                    let c = territory.find(code).ok_or_else(|| {
                        Error::input(
                            crate::error::Location::default().field("bus.depot"),
                            format!(
                                "bus `{}`: depot `{code}` is not an INSEE code of {}: expected one of its communes or {{ lat = …, lon = … }}",
                                spec.name,
                                territory.source.display()
                            ),
                        )
                    })?;
                    (c.stop, c.name.clone())
                }
                Some(Depot::Point(p)) => (*p, format!("{:.5}, {:.5}", p.lat, p.lon)),
            };
            Ok(Bus {
                name: spec.name.clone(),
                depot,
                depot_label,
                weekdays: spec.weekdays.clone(),
                half_days: spec
                    .half_days
                    .clone()
                    .unwrap_or_else(|| Bus::every_half_day(&spec.weekdays)),
                range_metres: spec.range_km.map(|km| km * 1000.0),
                hours: spec.hours.clone(),
            })
        })
        .collect()
}

/// Turns each published rule (`horaires`) into what it stands for: the
/// weekday, the half-day or whole day, a short stop's length and the visits
/// in the commune's own fields, the weeks of the cycle and the opening time
/// in [`Pinned`]. A rule the scenario cannot keep (a 5th Thursday in a
/// month cycle, hours outside its sessions) is refused with its line.
fn resolve_published(territory: &mut Territory, scenario: &Scenario, buses: &[Bus], cycle: &Cycle) -> Result<()> {
    let source = territory.source.clone();
    for commune in &mut territory.communes {
        let Some(published) = commune.published.clone() else {
            continue;
        };
        let refuse = |why: String| {
            Error::input(
                crate::error::Location::file(&source)
                    .line(commune.line)
                    .field("horaires"),
                format!(
                    "{} ({}): horaires `{}`: {why}",
                    commune.name, commune.insee, published.text
                ),
            )
        };
        let weeks = published.recurrence.weeks_in(cycle).map_err(refuse)?;
        // The hours of the day the rule names: a bus's own that weekday,
        // else the scenario's; the first they fit.
        let sessions: Vec<Sessions> = buses
            .iter()
            .map(|b| b.sessions_on(published.weekday, &scenario.sessions))
            .chain(std::iter::once(scenario.sessions))
            .collect();
        let (half_day, start, minutes) = match sessions.iter().find_map(|s| published_hours(&published.hours, s).ok()) {
            Some(fit) => fit,
            // The scenario's sessions say why none fits.
            None => published_hours(&published.hours, &scenario.sessions).map_err(refuse)?,
        };
        commune.weekdays = Some(vec![published.weekday]);
        commune.half_day = Some(half_day);
        commune.minutes = minutes;
        commune.visits_per_month = Some(weeks.count_ones() as u8);
        // A whole day published as one range (9:30–15:30) keeps it on
        // calendars and posters; as two, it is the bus's two sessions.
        let day_hours = match published.hours[..] {
            [one] if half_day == HalfDayRule::Full => Some(one),
            _ => None,
        };
        commune.pinned = Some(Pinned {
            weeks,
            start,
            day_hours,
        });
    }
    Ok(())
}

/// A year of real dates when the published rules of the table are of
/// kinds the scenario's cycle cannot keep together (the 2nd Thursday of
/// the month beside odd ISO weeks, a last Friday); `None` when the cycle
/// keeps them all. Refuses a cycle without dates, and a year whose rules
/// tell more kinds of week apart than a plan holds.
fn dated_cycle(territory: &Territory, cycle: &Cycle) -> Result<Option<Cycle>> {
    use crate::calendar::dated::{Base, Dated};
    use crate::input::horaires::Recurrence;
    let rules: Vec<(&crate::input::territory::Commune, &Recurrence)> = territory
        .communes
        .iter()
        .filter_map(|c| c.published.as_ref().map(|p| (c, &p.recurrence)))
        .collect();
    let Some((first, _)) = rules.iter().find(|(_, r)| r.weeks_in(cycle).is_err()) else {
        return Ok(None);
    };
    let at = |c: &crate::input::territory::Commune| {
        crate::error::Location::file(&territory.source)
            .line(c.line)
            .field("horaires")
    };
    let (start, base) = match cycle.anchor {
        Anchor::Month(Some(m)) => (
            chrono::NaiveDate::from_ymd_opt(m.year, m.month, 1).expect("a valid month"),
            Base::Month,
        ),
        Anchor::Weeks(monday) if cycle.weeks == 2 => (monday, Base::Parity),
        Anchor::Weeks(monday) => (monday, Base::Rotation(cycle.weeks)),
        Anchor::Month(None) | Anchor::Dated(_) => {
            return Err(Error::input(
                at(first),
                format!(
                    "{}: rules of different kinds in one table are planned on real dates: give the scenario a `month` or a [cycle] first_monday",
                    first.name
                ),
            ));
        }
    };
    let month = base == Base::Month || rules.iter().any(|(_, r)| matches!(r, Recurrence::MonthWeeks { .. }));
    let steps = rules.iter().filter_map(|(_, r)| match r {
        Recurrence::IsoWeeks { step, .. } => Some(*step),
        _ => None,
    });
    let iso_step = lcm(steps.chain((base == Base::Parity).then_some(2)));
    let rotations = rules.iter().filter_map(|(_, r)| match r {
        Recurrence::Every { weeks, .. } if *weeks > 1 => Some(*weeks),
        _ => None,
    });
    let base_rotation = match base {
        Base::Rotation(n) if n > 1 => Some(n),
        _ => None,
    };
    let rotation = lcm(rotations.chain(base_rotation));
    let dated = Dated {
        start,
        month,
        iso_step,
        rotation,
        base,
    };
    let kinds = dated.classes().len();
    if kinds > usize::from(MAX_CYCLE_WEEKS) {
        return Err(Error::input(
            at(first),
            format!(
                "the rules of this table tell {kinds} kinds of week apart over a year (ranks in the month, ISO weeks modulo {iso_step}, a {rotation}-week rotation): tournee plans at most {MAX_CYCLE_WEEKS}; use fewer kinds of rule in one table"
            ),
        ));
    }
    Ok(Some(Cycle {
        weeks: kinds as u8,
        anchor: Anchor::Dated(dated),
    }))
}

/// The least common multiple of `steps`, 0 for none: the period after
/// which they all repeat together.
fn lcm(steps: impl Iterator<Item = u8>) -> u8 {
    fn gcd(a: u8, b: u8) -> u8 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    steps.fold(0, |lcm, n| if lcm == 0 { n } else { lcm / gcd(lcm, n) * n })
}

/// The half-day (or whole day) published hours take under `sessions`, and
/// a short stop's opening time and length: two ranges, or one across
/// lunch, are the whole day; one range within a session is that session
/// (or a short stop in it); one running outside every session is refused.
fn published_hours(
    hours: &[(u32, u32)],
    sessions: &Sessions,
) -> std::result::Result<(HalfDayRule, Option<u32>, Option<u32>), String> {
    let (open, close) = (hours[0].0, hours[hours.len() - 1].1);
    if hours.len() == 2 || (open < sessions.am.end && close > sessions.pm.start) {
        return Ok((HalfDayRule::Full, None, None));
    }
    let half = if close <= sessions.pm.start {
        HalfDay::Am
    } else {
        HalfDay::Pm
    };
    let session = sessions.get(half);
    if (open, close) == (session.start, session.end) {
        return Ok((HalfDayRule::Require(half), None, None));
    }
    if open >= session.start && close <= session.end {
        return Ok((HalfDayRule::Require(half), Some(open), Some(close - open)));
    }
    Err(format!(
        "{}-{} runs outside the {} session {}-{}: set [sessions] to the published hours, or give hours within the session",
        format_clock(open),
        format_clock(close),
        half.code(),
        format_clock(session.start),
        format_clock(session.end)
    ))
}

/// What an instance is built for. A plan to make refuses requests no plan
/// can meet, with their numbers, before any search. A saved plan to check
/// (a published tour, an edit) keeps them, so that the checker says what
/// that plan breaks, day by day, rather than what no plan could keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Plan,
    Check,
}

impl Instance {
    /// Builds the instance with straight-line travel estimates.
    pub fn straight_line(territory: Territory, scenario: &Scenario) -> Result<Instance> {
        Instance::straight_line_for(territory, scenario, Purpose::Plan)
    }

    /// [`Instance::straight_line`] for `purpose`.
    pub fn straight_line_for(territory: Territory, scenario: &Scenario, purpose: Purpose) -> Result<Instance> {
        let buses = resolve_buses(&territory, scenario)?;
        road::ensure_matrix_fits(
            buses.len() + territory.communes.len(),
            crate::travel::road_settings(false).memory_limit,
        )?;
        let matrix = TravelMatrix::straight_line(&matrix_points(&territory, &buses), scenario.travel);
        Instance::new_for(territory, scenario, buses, matrix, purpose)
    }

    /// Builds the instance from a matrix over [`matrix_points`], and refuses
    /// requests no plan can meet.
    pub fn new(territory: Territory, scenario: &Scenario, buses: Vec<Bus>, matrix: TravelMatrix) -> Result<Instance> {
        Instance::new_for(territory, scenario, buses, matrix, Purpose::Plan)
    }

    /// [`Instance::new`] for `purpose`.
    pub fn new_for(
        territory: Territory,
        scenario: &Scenario,
        buses: Vec<Bus>,
        matrix: TravelMatrix,
        purpose: Purpose,
    ) -> Result<Instance> {
        let name = scenario.name_for(&territory);
        let mut territory = territory;
        let cycle = dated_cycle(&territory, &scenario.cycle)?.unwrap_or(scenario.cycle);
        resolve_published(&mut territory, scenario, &buses, &cycle)?;
        let mut instance = Instance {
            name,
            territory,
            buses,
            sessions: scenario.sessions,
            cycle,
            max_drive_seconds: f64::from(scenario.max_drive_minutes) * 60.0,
            frequency: scenario.frequency,
            publish: scenario.publish.clone(),
            needs: Vec::new(),
            matrix,
        };
        if purpose == Purpose::Check {
            instance.needs = instance.demands_to_check();
            return Ok(instance);
        }
        instance.check_capacity()?;
        instance.needs = instance.demands()?;
        instance.check_pinned_apart()?;
        instance.check_reach()?;
        Ok(instance)
    }

    /// Refuses two communes whose published rules meet whatever the plan:
    /// every pattern of one takes a half-day some pattern of the other
    /// takes too (one bus, one weekday and half-day, weeks that share a
    /// date), naming the first date they share.
    fn check_pinned_apart(&self) -> Result<()> {
        let pinned: Vec<&Need> = self
            .needs
            .iter()
            .filter(|n| self.territory.communes[n.commune].pinned.is_some())
            .collect();
        let meet = |p: &SlotPattern, q: &SlotPattern| {
            p.bus == q.bus
                && p.weekday == q.weekday
                && p.weeks & q.weeks != 0
                && p.halves().any(|h| q.halves().any(|k| h == k))
        };
        for (i, a) in pinned.iter().enumerate() {
            for b in &pinned[i + 1..] {
                if !a.patterns.iter().all(|p| b.patterns.iter().all(|q| meet(p, q))) {
                    continue;
                }
                let (p, q) = (a.patterns[0], b.patterns[0]);
                let week = (p.weeks & q.weeks).trailing_zeros() as u8 + 1;
                let date = self
                    .cycle
                    .date_of(week, p.weekday)
                    .map_or(String::new(), |d| format!(" on {}", d.format("%d/%m/%Y")));
                let (ca, cb) = (&self.territory.communes[a.commune], &self.territory.communes[b.commune]);
                let rule = |c: &crate::input::territory::Commune| {
                    c.published.as_ref().map_or(String::new(), |r| r.text.clone())
                };
                return Err(Error::infeasible(format!(
                    "{} (line {}, `{}`) and {} (line {}, `{}`) would both take {} {}{date}: no bus left for one of them; give them different half-days or weekdays, or add a bus",
                    ca.name,
                    ca.line,
                    rule(ca),
                    cb.name,
                    cb.line,
                    rule(cb),
                    weekday_code(p.weekday),
                    p.half
                )));
            }
        }
        Ok(())
    }

    /// Half-days the fleet offers over the cycle.
    fn half_days_available(&self) -> usize {
        half_days(&self.buses, &self.cycle)
    }

    /// Refuses frequencies the cycle cannot spread evenly, and a fleet too
    /// small for the visits the rules ask for, naming the remedies.
    fn check_capacity(&self) -> Result<()> {
        let needs: Vec<u8> = (0..self.territory.communes.len())
            .map(|c| self.required_visits(c))
            .collect();
        let weeks = self.cycle.weeks;
        if let Some(c) = needs.iter().position(|&v| v > 0 && !weeks.is_multiple_of(v)) {
            let commune = &self.territory.communes[c];
            return Err(Error::infeasible(format!(
                "{} ({}, line {}): {} visits cannot be spread evenly over a {weeks}-week cycle: expected one of {} visits per cycle (set its `visits_per_month` column or the `[frequency]` thresholds)",
                commune.name,
                commune.insee,
                commune.line,
                needs[c],
                self.cycle.visit_counts()
            )));
        }
        // A whole day takes both half-days of each visit.
        // A lower bound, so that a request is never refused that could be
        // met: short stops counted as packed into the longer session.
        let longest = f64::from(self.sessions.am.end - self.sessions.am.start)
            .max(f64::from(self.sessions.pm.end - self.sessions.pm.start));
        let needed = needs
            .iter()
            .enumerate()
            .map(|(c, &v)| self.half_days_for(c, v, longest))
            .sum::<f64>()
            .ceil() as usize;
        let available = self.half_days_available();
        let buses = self.buses.len();
        if needed > available {
            return Err(Error::infeasible(format!(
                "{}: {needed} half-day visits needed, {available} available with {buses} bus{} over {weeks} weeks; {}",
                self.name,
                if buses == 1 { "" } else { "es" },
                self.remedies(needed)
            )));
        }
        let every_week = (0..needs.len())
            .filter(|&c| needs[c] == weeks && self.short_minutes(c).is_none())
            .count();
        let columns: usize = self.buses.iter().map(|b| b.half_days.len()).sum();
        if every_week > columns {
            return Err(Error::infeasible(format!(
                "{}: {every_week} communes need a slot every week, but {buses} bus{} offer only {columns} (weekday, half-day) slots; add buses or lower `frequency.weekly_from`",
                self.name,
                if buses == 1 { "" } else { "es" }
            )));
        }
        Ok(())
    }

    /// Half-days `visits` to commune `c` take: two for a whole day, one
    /// for a stop that lasts its session, and for a short stop its share
    /// of the `longest` session (a lower bound: short stops packed).
    fn half_days_for(&self, c: usize, visits: u8, longest: f64) -> f64 {
        let share = match (self.is_full(c), self.short_minutes(c)) {
            (true, _) => 2.0,
            (false, Some(m)) => f64::from(m) / longest,
            (false, None) => 1.0,
        };
        f64::from(visits) * share
    }

    /// Refuses communes that only some buses may serve (the others'
    /// driving limit, range or weekdays exclude them) when those buses
    /// have too few half-days for them, for every group of buses
    /// (Hall's condition; up to [`REACH_MAX_BUSES`] buses).
    fn check_reach(&self) -> Result<()> {
        let n = self.buses.len();
        if !(2..=REACH_MAX_BUSES).contains(&n) {
            return Ok(());
        }
        let longest = f64::from(self.sessions.am.end - self.sessions.am.start)
            .max(f64::from(self.sessions.pm.end - self.sessions.pm.start));
        // Per need: the set of buses its patterns name, as a bit mask.
        let reach: Vec<u32> = self
            .needs
            .iter()
            .map(|need| need.patterns.iter().fold(0, |set, p| set | (1 << p.bus)))
            .collect();
        for group in 1..(1u32 << n) - 1 {
            let confined: Vec<&Need> = self
                .needs
                .iter()
                .zip(&reach)
                .filter(|(_, r)| *r & !group == 0)
                .map(|(need, _)| need)
                .collect();
            let needed = confined
                .iter()
                .map(|need| self.half_days_for(need.commune, need.visits, longest))
                .sum::<f64>()
                .ceil() as usize;
            let buses: Vec<Bus> = (0..n)
                .filter(|b| group & (1 << b) != 0)
                .map(|b| self.buses[b].clone())
                .collect();
            let available = half_days(&buses, &self.cycle);
            if needed > available {
                let names: Vec<&str> = buses.iter().map(|b| b.name.as_str()).collect();
                let example = &self.territory.communes[confined[0].commune];
                return Err(Error::infeasible(format!(
                    "{}: {} communes ({} first) can be served only by {} (the other buses' driving limit, range or weekdays exclude them): they need {needed} half-day visits, and {} offer{} {available} over {} weeks; raise the other buses' `range_km` or `max_drive_minutes`, or add a bus",
                    self.name,
                    confined.len(),
                    example.name,
                    names.join(", "),
                    if names.len() == 1 { "it" } else { "they" },
                    if names.len() == 1 { "s" } else { "" },
                    self.cycle.weeks
                )));
            }
        }
        Ok(())
    }

    /// What would give `needed` half-days, with the half-days each remedy
    /// offers: a longer rolling cycle, Saturday mornings, another bus.
    fn remedies(&self, needed: usize) -> String {
        let mut remedies = Vec::new();
        let longer = (self.cycle.weeks + 1..=MAX_CYCLE_WEEKS).find_map(|weeks| {
            let cycle = Cycle { weeks, ..self.cycle };
            let offered = half_days(&self.buses, &cycle);
            (offered >= needed).then(|| format!("a {weeks}-week cycle (`[cycle] anchor = \"weeks\"`) gives {offered}"))
        });
        remedies.extend(longer);
        let saturdays: Vec<Bus> = self
            .buses
            .iter()
            .map(|b| {
                let mut b = b.clone();
                if !b.weekdays.contains(&chrono::Weekday::Sat) {
                    b.weekdays.push(chrono::Weekday::Sat);
                    b.half_days.push((chrono::Weekday::Sat, HalfDay::Am));
                }
                b
            })
            .collect();
        let with_saturdays = half_days(&saturdays, &self.cycle);
        if with_saturdays > self.half_days_available() {
            remedies.push(format!("Saturday mornings give {with_saturdays}"));
        }
        let mut more = self.buses.clone();
        if half_days(&self.buses[..1], &self.cycle) == 0 {
            return remedies.join("; ");
        }
        while half_days(&more, &self.cycle) < needed {
            more.push(self.buses[0].clone());
        }
        let added = more.len() - self.buses.len();
        remedies.push(format!(
            "{} more bus{} like the first give{} {}",
            added,
            if added == 1 { "" } else { "es" },
            if added == 1 { "s" } else { "" },
            half_days(&more, &self.cycle)
        ));
        remedies.join("; ")
    }

    /// When commune `c`'s stop may open in `half` of `bus`'s `weekday`: the
    /// session's start for a stop that lasts it; for a short stop, every
    /// quarter hour that lets it end within the session.
    fn starts(&self, c: usize, bus: usize, weekday: Weekday, half: HalfDay) -> Vec<Option<u32>> {
        if let Some(start) = self.territory.communes[c].pinned.and_then(|p| p.start) {
            return vec![Some(start)];
        }
        let session = self.sessions_on(bus, weekday).get(half);
        match self.short_minutes(c) {
            None => vec![None],
            Some(m) => (session.start..=session.end - m)
                .step_by(START_STEP)
                .map(Some)
                .collect(),
        }
    }

    /// Every commune's need, with no pattern where the rules leave it none:
    /// a saved plan is judged by the checker, which reads its visits.
    fn demands_to_check(&self) -> Vec<Need> {
        (0..self.territory.communes.len())
            .filter_map(|c| {
                let visits = self.required_visits(c);
                (visits > 0).then(|| self.need(c, visits, self.allowed(c, &self.candidates(c, visits))))
            })
            .collect()
    }

    /// Every commune's need, or one refusal for all the communes no
    /// pattern fits: those the first rule at fault left without one,
    /// together (a limit that would admit them all says more than the
    /// first of them alone).
    fn demands(&self) -> Result<Vec<Need>> {
        let mut needs = Vec::new();
        // Per rule index: the communes it left without a pattern.
        let mut refused: std::collections::BTreeMap<usize, Vec<(usize, Vec<SlotPattern>)>> = Default::default();
        let mut unexplained = None;
        for c in 0..self.territory.communes.len() {
            let visits = self.required_visits(c);
            if visits == 0 {
                continue;
            }
            let candidates = self.candidates(c, visits);
            let patterns = self.allowed(c, &candidates);
            if !patterns.is_empty() {
                needs.push(self.need(c, visits, patterns));
            } else if let Some((r, left)) = rules::refused_by(self, c, &candidates) {
                refused.entry(r).or_default().push((c, left));
            } else {
                unexplained = unexplained.or(Some(c));
            }
        }
        let fallback = |c: usize| self.explain_no_pattern(c, self.required_visits(c));
        if let Some((&r, communes)) = refused.iter().next() {
            return Err(Error::infeasible(rules::refusal(self, r, communes, &fallback)));
        }
        if let Some(c) = unexplained {
            return Err(Error::infeasible(fallback(c)));
        }
        Ok(needs)
    }

    /// The `candidates` of commune `c` that every rule allows.
    fn allowed(&self, c: usize, candidates: &[SlotPattern]) -> Vec<SlotPattern> {
        candidates
            .iter()
            .copied()
            .filter(|p| rules::allowed(self, c, p))
            .collect()
    }

    /// Commune `c`'s need: `visits` on one of `patterns`.
    fn need(&self, c: usize, visits: u8, patterns: Vec<SlotPattern>) -> Need {
        let commune = &self.territory.communes[c];
        let preferred = match commune.half_day {
            Some(HalfDayRule::Prefer(h)) => Some(h),
            _ => None,
        };
        Need {
            commune: c,
            visits,
            full: self.is_full(c),
            minutes: self.short_minutes(c),
            preferred,
            market_days: commune.market_days.clone(),
            patterns,
            previous: None,
        }
    }

    /// Every pattern of the fleet's working week for commune `c`, before
    /// the rules: bus, weekday, half-day, opening time, weeks, in that
    /// order (the order the solver sees them in).
    /// The week sets commune `c` may take: those its published rule pins,
    /// else every evenly spread set of `visits` weeks.
    fn week_sets(&self, c: usize, visits: u8) -> Vec<crate::calendar::WeekSet> {
        match self.territory.communes[c].pinned {
            Some(pinned) => vec![pinned.weeks],
            None => self.cycle.week_sets(visits),
        }
    }

    fn candidates(&self, c: usize, visits: u8) -> Vec<SlotPattern> {
        let full = self.is_full(c);
        let mut patterns = Vec::new();
        for (bus, b) in self.buses.iter().enumerate() {
            for &weekday in &b.weekdays {
                for &half in halves(weekday) {
                    for start in self.starts(c, bus, weekday, half) {
                        for weeks in self.week_sets(c, visits) {
                            patterns.push(SlotPattern {
                                bus,
                                weekday,
                                half,
                                weeks,
                                full,
                                start,
                            });
                        }
                    }
                }
            }
        }
        patterns
    }

    /// Why the calendar rules together leave commune `c` no slot.
    fn explain_no_pattern(&self, c: usize, visits: u8) -> String {
        let commune = &self.territory.communes[c];
        let who = rules::who(commune);
        let days = |d: &[Weekday]| d.iter().map(|w| weekday_code(*w)).collect::<Vec<_>>().join(";");
        let bus_days: Vec<Weekday> = crate::calendar::WEEKDAYS
            .into_iter()
            .filter(|d| self.buses.iter().any(|b| b.weekdays.contains(d)))
            .collect();
        format!(
            "{who}: no slot fits its {visits} visit(s) a month: allowed weekdays {}, buses work {}, half-day {}, {} unavailable date(s) besides public holidays{}",
            commune.weekdays.as_deref().map_or("any".into(), days),
            days(&bus_days),
            commune.half_day.map_or("any".into(), |r| format!("{r:?}")),
            commune.unavailable.len(),
            if self.cycle.has_dates() { "" } else { " (no month set)" }
        )
    }
}
