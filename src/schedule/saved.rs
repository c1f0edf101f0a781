//! A saved plan (a published tour, an edited plan) read back as
//! patterns: its visits grouped into series of one bus, weekday and
//! half-day, each series on one of its commune's lines of service.

use crate::calendar::HalfDay;
use crate::error::{Error, Location, Result};
use crate::input::plan_csv::SavedPlan;
use crate::input::scenario::{Session, Sessions};
use crate::input::territory::HalfDayRule;
use crate::schedule::model::{Bus, Instance, SlotPattern};

/// A run of a saved plan's visits that one pattern makes: one commune
/// (and its `slot` label, if the plan gives one), one bus, weekday and
/// half-day (or the whole day), with the file lines of its rows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Series {
    pub insee: String,
    pub slot: Option<String>,
    pub pattern: SlotPattern,
    pub lines: Vec<u64>,
}

/// The visits of a saved plan as patterns, buses matched by name: rows of
/// one commune (and slot label) on one bus, weekday, half-day and opening
/// time are one pattern; a morning and an afternoon series of the same
/// days are one whole-day pattern.
fn patterns_of(saved: &SavedPlan, buses: &[Bus], sessions: &Sessions) -> Result<Vec<Series>> {
    let at = |line: u64, field: &str| Location::file(&saved.source).line(line).field(field);
    let mut halves: Vec<Series> = Vec::new();
    for row in &saved.rows {
        let bus = buses
            .iter()
            .position(|b| b.name == row.bus)
            .ok_or_else(|| Error::input(at(row.line, "bus"), format!("bus `{}` is not in the scenario", row.bus)))?;
        let start = (buses[bus].sessions_on(row.weekday, sessions).get(row.half)
            != (Session {
                start: row.start,
                end: row.end,
            }))
        .then_some(row.start);
        let week = 1 << (row.week - 1);
        let same = |s: &Series| {
            let p = s.pattern;
            s.insee == row.insee
                && s.slot == row.slot
                && (p.bus, p.weekday, p.half, p.start) == (bus, row.weekday, row.half, start)
        };
        match halves.iter_mut().find(|s| same(s)) {
            Some(series) => {
                series.pattern.weeks |= week;
                series.lines.push(row.line);
            }
            None => halves.push(Series {
                insee: row.insee.clone(),
                slot: row.slot.clone(),
                pattern: SlotPattern {
                    bus,
                    weekday: row.weekday,
                    half: row.half,
                    weeks: week,
                    full: false,
                    start,
                },
                lines: vec![row.line],
            }),
        }
    }
    let mut series: Vec<Series> = Vec::new();
    for half in halves {
        let morning = |s: &Series| {
            let (p, q) = (s.pattern, half.pattern);
            s.insee == half.insee
                && s.slot == half.slot
                && !p.full
                && p.half == HalfDay::Am
                && q.half == HalfDay::Pm
                && (p.bus, p.weekday, p.weeks, p.start, q.start) == (q.bus, q.weekday, q.weeks, None, None)
        };
        match series.iter_mut().find(|s| morning(s)) {
            Some(s) => {
                s.pattern.full = true;
                s.lines.extend(half.lines);
            }
            None => series.push(half),
        }
    }
    Ok(series)
}

/// The series of a saved plan of `instance`, each on its commune's line
/// of service: buses named, visits grouped, lines matched, as a plan must
/// be.
pub(crate) fn series_on_lines(instance: &Instance, saved: &SavedPlan) -> Result<Vec<(Series, usize)>> {
    let series = patterns_of(saved, &instance.buses, &instance.sessions)?;
    on_lines(instance, saved, series)
}

/// Each series of a saved plan on its commune's line of service (the row
/// of the commune table it serves): by `slot` label where the plan gives
/// one, else the matching that lets every rule allow most series (ties:
/// file order). Refuses a commune with more series than lines.
fn on_lines(instance: &Instance, saved: &SavedPlan, series: Vec<Series>) -> Result<Vec<(Series, usize)>> {
    let at = |line: u64, field: &str| Location::file(&saved.source).line(line).field(field);
    let series = split_whole_days(instance, series);
    let mut line_of = vec![usize::MAX; series.len()];
    // Communes in the order the file first names them, so that a refusal
    // names the first one at fault.
    let mut codes: Vec<&str> = Vec::new();
    for s in &series {
        if !codes.contains(&s.insee.as_str()) {
            codes.push(&s.insee);
        }
    }
    let territory = &instance.territory;
    for insee in codes {
        let mine: Vec<usize> = (0..series.len()).filter(|&i| series[i].insee == insee).collect();
        let first_line = series[mine[0]].lines[0];
        let Some(first) = territory.communes.iter().position(|c| c.insee == insee) else {
            return Err(Error::input(
                at(first_line, "insee"),
                format!("commune {insee} is not in {}", territory.source.display()),
            ));
        };
        let rows: Vec<usize> = territory.slots_of(first).collect();
        if mine.len() > rows.len() {
            let listed: Vec<String> = mine.iter().map(|&i| series[i].pattern.describe()).collect();
            return Err(Error::input(
                at(first_line, "insee"),
                format!(
                    "commune {insee} ({}) is visited in {} series ({}) but has {} line(s) of service in {}: a commune keeps one bus, weekday and half-day per line; give it one row per slot, each with a `slot` label",
                    instance.territory.communes[rows[0]].name,
                    mine.len(),
                    listed.join(", "),
                    rows.len(),
                    instance.territory.source.display()
                ),
            ));
        }
        for (i, c) in match_lines(instance, &series, &mine, &rows, &at)? {
            line_of[i] = c;
        }
    }
    Ok(series.into_iter().zip(line_of).collect())
}

/// A morning and an afternoon on one day read as a whole day, unless the
/// commune has several lines of service and none is served whole days:
/// then they are two of its lines (which the checker will find on one day).
fn split_whole_days(instance: &Instance, series: Vec<Series>) -> Vec<Series> {
    let communes = &instance.territory.communes;
    let two_lines_no_whole_day = |insee: &str| {
        let mut rows = communes.iter().filter(|c| c.insee == insee);
        rows.clone().count() > 1 && rows.all(|c| c.half_day != Some(HalfDayRule::Full))
    };
    series
        .into_iter()
        .flat_map(|s| {
            if !(s.pattern.full && two_lines_no_whole_day(&s.insee)) {
                return vec![s];
            }
            HalfDay::BOTH
                .iter()
                .map(|&half| Series {
                    pattern: SlotPattern {
                        half,
                        full: false,
                        ..s.pattern
                    },
                    ..s.clone()
                })
                .collect()
        })
        .collect()
}

/// The rows (of `rows`, one commune's lines) that its series `mine` serve.
fn match_lines(
    instance: &Instance,
    series: &[Series],
    mine: &[usize],
    rows: &[usize],
    at: &dyn Fn(u64, &str) -> Location,
) -> Result<Vec<(usize, usize)>> {
    let communes = &instance.territory.communes;
    if mine.iter().any(|&i| series[i].slot.is_some()) {
        return mine
            .iter()
            .map(|&i| {
                let slot = series[i].slot.as_deref().unwrap_or("");
                rows.iter()
                    .find(|&&c| communes[c].slot.as_deref() == Some(slot))
                    .map(|&c| (i, c))
                    .ok_or_else(|| {
                        Error::input(
                            at(series[i].lines[0], "slot"),
                            format!(
                                "`{slot}` is not a slot of {} in the commune table: expected one of {}",
                                series[i].insee,
                                rows.iter()
                                    .filter_map(|&c| communes[c].slot.clone())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                    })
            })
            .collect();
    }
    let fits = |i: usize, c: usize| {
        let p = series[i].pattern;
        let visits = p.weeks.count_ones() as u8;
        u32::from(visits == instance.required_visits(c)) + u32::from(crate::schedule::rules::allowed(instance, c, &p))
    };
    let mut best: Option<(u32, Vec<usize>)> = None;
    for_each_arrangement(rows.len(), mine.len(), &mut |chosen| {
        let score: u32 = chosen.iter().zip(mine).map(|(&r, &i)| fits(i, rows[r])).sum();
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, chosen.to_vec()));
        }
    });
    let (_, chosen) = best.expect("at least one arrangement");
    Ok(chosen.iter().zip(mine).map(|(&r, &i)| (i, rows[r])).collect())
}

/// Calls `visit` with every ordered choice of `k` distinct indices below
/// `n`, in lexicographic order (a commune's lines are a handful).
fn for_each_arrangement(n: usize, k: usize, visit: &mut dyn FnMut(&[usize])) {
    fn go(n: usize, k: usize, chosen: &mut Vec<usize>, visit: &mut dyn FnMut(&[usize])) {
        if chosen.len() == k {
            visit(chosen);
            return;
        }
        for i in 0..n {
            if !chosen.contains(&i) {
                chosen.push(i);
                go(n, k, chosen, visit);
                chosen.pop();
            }
        }
    }
    go(n, k, &mut Vec::with_capacity(k), visit);
}
