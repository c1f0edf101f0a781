//! The planner's workbench. A checked plan edited one move at a
//! time — a commune to another slot or bus — each move checked by the same
//! checker the CLI uses, priced in driving, undoable; suggestions of the
//! best feasible slots for a commune; locks kept when the rest is
//! re-optimised. [`server`] puts it in a browser; `tournee check` and
//! `tournee suggest` use it from the terminal.

pub mod server;

use crate::error::{Error, Result};
use crate::output::lang::Lang;
use crate::output::wording;
use crate::schedule::as_pvrp::SolveOptions;
use crate::schedule::check;
use crate::schedule::model::{Instance, SlotPattern};
use crate::schedule::plan::{Plan, visits_of};
use crate::schedule::reason::Reason;
use std::collections::BTreeSet;

/// What a move would do: the rules the plan would then break (none: the
/// move holds) and the change in driving over the cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub broken: Vec<Reason>,
    pub extra_seconds: f64,
    pub extra_metres: f64,
}

impl Verdict {
    pub fn holds(&self) -> bool {
        self.broken.is_empty()
    }
}

/// Driving of the whole fleet over the cycle: (seconds, metres).
pub fn drive(instance: &Instance, plan: &Plan) -> (f64, f64) {
    let (_, fleet) = plan.totals(instance);
    (fleet.drive_seconds, fleet.drive_metres)
}

/// The index in `instance.needs` of commune `commune`.
fn need_of(instance: &Instance, commune: usize) -> Option<usize> {
    instance.needs.iter().position(|n| n.commune == commune)
}

/// The commune's current pattern: the one among those it may take whose
/// visits are exactly its visits in `plan`.
pub fn pattern_of(instance: &Instance, plan: &Plan, commune: usize) -> Option<SlotPattern> {
    let need = &instance.needs[need_of(instance, commune)?];
    let key = |v: &crate::schedule::plan::Visit| {
        (
            v.bus,
            v.slot.week,
            v.slot.weekday.num_days_from_monday(),
            v.slot.half,
            v.time,
        )
    };
    let mut now: Vec<_> = plan.visits.iter().filter(|v| v.commune == commune).map(key).collect();
    now.sort();
    need.patterns.iter().copied().find(|&p| {
        let mut visits: Vec<_> = visits_of(need, p).map(|v| key(&v)).collect();
        visits.sort();
        visits == now
    })
}

/// `plan` with the commune's visits replaced by those of `pattern`.
pub fn with_pattern(instance: &Instance, plan: &Plan, commune: usize, pattern: SlotPattern) -> Plan {
    let mut visits: Vec<_> = plan.visits.iter().filter(|v| v.commune != commune).copied().collect();
    if let Some(n) = need_of(instance, commune) {
        visits.extend(visits_of(&instance.needs[n], pattern));
    }
    Plan::new(visits)
}

/// Checks moving `commune` to `pattern` in `plan`, and prices it.
pub fn verdict(instance: &Instance, plan: &Plan, commune: usize, pattern: SlotPattern) -> Verdict {
    verdict_from(instance, plan, drive(instance, plan), commune, pattern)
}

/// [`verdict`] with the plan's driving known (`before`): every option of a
/// commune is priced against the same plan.
fn verdict_from(instance: &Instance, plan: &Plan, before: (f64, f64), commune: usize, pattern: SlotPattern) -> Verdict {
    let moved = with_pattern(instance, plan, commune, pattern);
    let (before_s, before_m) = before;
    let (after_s, after_m) = drive(instance, &moved);
    Verdict {
        broken: check::reasons(instance, &moved),
        extra_seconds: after_s - before_s,
        extra_metres: after_m - before_m,
    }
}

/// Every pattern the commune may take, with its verdict, in the model's
/// order (the slots a page colours while a stop is dragged).
pub fn options(instance: &Instance, plan: &Plan, commune: usize) -> Vec<(SlotPattern, Verdict)> {
    need_of(instance, commune).map_or_else(Vec::new, |n| {
        let before = drive(instance, plan);
        instance.needs[n]
            .patterns
            .iter()
            .map(|&p| (p, verdict_from(instance, plan, before, commune, p)))
            .collect()
    })
}

/// The `k` feasible patterns that add the least driving, the current one
/// excluded; ties keep the model's order.
pub fn suggest(instance: &Instance, plan: &Plan, commune: usize, k: usize) -> Vec<(SlotPattern, Verdict)> {
    let current = pattern_of(instance, plan, commune);
    let mut feasible: Vec<_> = options(instance, plan, commune)
        .into_iter()
        .filter(|(p, v)| v.holds() && Some(*p) != current)
        .collect();
    feasible.sort_by(|a, b| a.1.extra_seconds.total_cmp(&b.1.extra_seconds));
    feasible.truncate(k);
    feasible
}

/// A pattern in the page's language: [`describe`] in French, else the
/// messages' wording with its bus: `Bus 1, Tue AM, weeks 1+3`.
pub fn describe_in(instance: &Instance, pattern: &SlotPattern, lang: Lang) -> String {
    match lang {
        Lang::Fr => describe(instance, pattern),
        Lang::En => format!("{}, {}", instance.buses[pattern.bus].name, pattern.describe()),
    }
}

/// A pattern in words: `Bus 1, le 1er et le 3e mardi (matin)`.
pub fn describe(instance: &Instance, pattern: &SlotPattern) -> String {
    let weeks: Vec<u8> = pattern
        .slots()
        .map(|s| s.week)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let half = match (pattern.full, pattern.half) {
        (true, _) => "journée",
        (false, crate::calendar::HalfDay::Am) => "matin",
        (false, crate::calendar::HalfDay::Pm) => "après-midi",
    };
    format!(
        "{}, {} ({half})",
        instance.buses[pattern.bus].name,
        wording::recurrence_in(&instance.cycle, &weeks, pattern.weekday)
    )
}

/// The commune of `instance` with INSEE code `insee`.
pub fn commune_index(instance: &Instance, insee: &str) -> Result<usize> {
    instance
        .territory
        .communes
        .iter()
        .position(|c| c.insee == insee)
        .ok_or_else(|| {
            Error::input(
                crate::error::Location::default().field("--commune"),
                format!("{insee}: not a commune of {}", instance.territory.source.display()),
            )
        })
}

/// A plan being edited: moves that hold are applied and can be undone;
/// locked communes keep their slot when the rest is re-optimised.
#[derive(Debug, Clone)]
pub struct Workbench {
    pub instance: Instance,
    pub plan: Plan,
    pub locked: BTreeSet<usize>,
    undo: Vec<Plan>,
    redo: Vec<Plan>,
    /// The plan as last saved (or as opened): what "changes" compare to.
    saved: Plan,
}

impl Workbench {
    pub fn new(instance: Instance, plan: Plan) -> Workbench {
        Workbench {
            instance,
            saved: plan.clone(),
            plan,
            locked: BTreeSet::new(),
            undo: Vec::new(),
            redo: Vec::new(),
        }
    }

    /// The plan is now the saved one: no changes to list.
    pub fn mark_saved(&mut self) {
        self.saved = self.plan.clone();
    }

    /// Each commune whose slot differs from the saved plan's, in words:
    /// `Gargas : Bus 1, le 1er et le 3e mardi (matin) → …`, in the table's
    /// order.
    pub fn changes(&self, lang: Lang) -> Vec<String> {
        let words = |plan: &Plan, commune: usize| {
            pattern_of(&self.instance, plan, commune).map_or_else(
                || lang.pick("no slot", "aucun créneau").to_string(),
                |p| describe_in(&self.instance, &p, lang),
            )
        };
        self.instance
            .needs
            .iter()
            .map(|n| n.commune)
            .filter(|&c| pattern_of(&self.instance, &self.saved, c) != pattern_of(&self.instance, &self.plan, c))
            .map(|c| {
                format!(
                    "{}{} {} → {}",
                    self.instance.territory.communes[c].name,
                    lang.pick(":", " :"),
                    words(&self.saved, c),
                    words(&self.plan, c)
                )
            })
            .collect()
    }

    /// Moves the commune if the move holds; a refused move changes nothing.
    pub fn apply(&mut self, commune: usize, pattern: SlotPattern) -> Verdict {
        let verdict = verdict(&self.instance, &self.plan, commune, pattern);
        if verdict.holds() {
            let moved = with_pattern(&self.instance, &self.plan, commune, pattern);
            self.replace(moved);
        }
        verdict
    }

    fn replace(&mut self, plan: Plan) {
        self.undo.push(std::mem::replace(&mut self.plan, plan));
        self.redo.clear();
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo(&mut self) {
        if let Some(previous) = self.undo.pop() {
            self.redo.push(std::mem::replace(&mut self.plan, previous));
        }
    }

    pub fn redo(&mut self) {
        if let Some(next) = self.redo.pop() {
            self.undo.push(std::mem::replace(&mut self.plan, next));
        }
    }

    /// Solves again around the locked communes: they keep their slot, the
    /// others keep theirs unless moving saves a lot of driving (the
    /// solver's stable re-planning). Undoable like a move.
    pub fn reoptimise(&mut self, options: SolveOptions) -> Result<()> {
        let mut instance = self.instance.clone();
        let current: Vec<(usize, bool, SlotPattern)> = instance
            .needs
            .iter()
            .filter_map(|n| {
                let pattern = pattern_of(&self.instance, &self.plan, n.commune)?;
                Some((n.commune, self.locked.contains(&n.commune), pattern))
            })
            .collect();
        for lock in [true, false] {
            let group: Vec<(usize, SlotPattern)> = current
                .iter()
                .filter(|(_, l, _)| *l == lock)
                .map(|(c, _, p)| (*c, *p))
                .collect();
            instance.keep_previous(&group, lock);
        }
        let plan = crate::schedule::solve_checked(&instance, options, &())?;
        self.replace(plan);
        Ok(())
    }
}
