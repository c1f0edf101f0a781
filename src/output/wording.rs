//! French wording of a stop's recurrence, for everything a person reads
//! (calendars, posters): "le 2e jeudi du mois", "le 1er et le 3e mardi du
//! mois", "tous les lundis"; in a rolling cycle "un mardi sur deux, les
//! semaines impaires", "un jeudi toutes les 5 semaines, à partir du
//! 07/01/2027".

use crate::calendar::dated::Dated;
use crate::calendar::{Anchor, Cycle, HalfDay, WeekSet, weekday_french};
use crate::schedule::model::Instance;
use crate::schedule::plan::Stop;
use chrono::{Datelike, Weekday};

/// `1er`, `2e`, `3e`, `4e`.
pub(crate) fn ordinal(n: u8) -> String {
    if n == 1 { "1er".into() } else { format!("{n}e") }
}

/// The recurrence of a stop made on `weeks` (sorted, 1–4) of the month.
pub fn recurrence(weeks: &[u8], weekday: Weekday) -> String {
    let day = weekday_french(weekday);
    match weeks {
        [1, 2, 3, 4] => format!("tous les {day}s"),
        [w] => format!("le {} {day} du mois", ordinal(*w)),
        _ => {
            let parts: Vec<String> = weeks.iter().map(|w| format!("le {}", ordinal(*w))).collect();
            let (last, first) = parts.split_last().expect("at least one week");
            format!("{} et {last} {day} du mois", first.join(", "))
        }
    }
}

/// Minutes since midnight as French usage writes hours: `9h30`, `14h00`.
pub fn clock(minutes: u32) -> String {
    format!("{}h{:02}", minutes / 60, minutes % 60)
}

/// The recurrence of a stop made on `weeks` (sorted) of `cycle`: as
/// [`recurrence`] under the month anchor; in a rolling cycle, every week,
/// the ISO week parity for a 2-week cycle, or "toutes les N semaines" from
/// the stop's first date.
pub fn recurrence_in(cycle: &Cycle, weeks: &[u8], weekday: Weekday) -> String {
    if matches!(cycle.anchor, Anchor::Month(_)) || weeks.is_empty() {
        return recurrence(weeks, weekday);
    }
    if let Anchor::Dated(dated) = cycle.anchor {
        return dated_recurrence(&dated, weeks, weekday);
    }
    let day = weekday_french(weekday);
    let gap = cycle.weeks / weeks.len() as u8;
    let first = cycle.date_of(weeks[0], weekday);
    match (gap, first) {
        (1, _) => format!("tous les {day}s"),
        (2, Some(date)) if cycle.weeks == 2 => {
            let parity = if date.iso_week().week() % 2 == 1 {
                "impaires"
            } else {
                "paires"
            };
            format!("un {day} sur deux, les semaines {parity}")
        }
        (2, Some(date)) => format!("un {day} sur deux, à partir du {}", date.format("%d/%m/%Y")),
        (_, Some(date)) => format!(
            "un {day} toutes les {gap} semaines, à partir du {}",
            date.format("%d/%m/%Y")
        ),
        (_, None) => format!("un {day} toutes les {gap} semaines"),
    }
}

/// The recurrence of a stop in a year of dates, by the rule its weeks
/// follow: every week, n-th weekdays of the month, the last one, odd or
/// even ISO weeks; else its dates are on the calendar.
fn dated_recurrence(dated: &Dated, weeks: &[u8], weekday: Weekday) -> String {
    let set: WeekSet = weeks.iter().fold(0, |set, w| set | (1 << (w - 1)));
    let classes = dated.classes();
    let of = |w: &u8| classes[usize::from(*w) - 1];
    let day = weekday_french(weekday);
    if set == dated.week_set(|_| true) {
        return format!("tous les {day}s");
    }
    let mut ranks: Vec<u8> = weeks.iter().map(|w| of(w).nth).collect();
    ranks.sort_unstable();
    ranks.dedup();
    if dated.month && set == dated.week_set(|s| ranks.contains(&s.nth)) {
        return recurrence(&ranks, weekday);
    }
    if dated.month && set == dated.week_set(|s| s.last) {
        return format!("le dernier {day} du mois");
    }
    let parity = of(&weeks[0]).iso % 2;
    if dated.iso_step != 0 && dated.iso_step.is_multiple_of(2) && set == dated.week_set(|s| s.iso % 2 == parity) {
        let which = if parity == 1 { "impaires" } else { "paires" };
        return format!("un {day} sur deux, les semaines {which}");
    }
    let turn = of(&weeks[0]).rotation;
    let step = (2..=dated.rotation)
        .filter(|n| dated.rotation.is_multiple_of(*n))
        .find(|n| set == dated.week_set(|s| s.rotation % n == turn % n));
    let first = weeks
        .iter()
        .filter_map(|w| dated.dates_of(*w, weekday).first().copied())
        .min();
    if let (Some(n), Some(first)) = (step, first) {
        return format!(
            "un {day} toutes les {n} semaines, à partir du {}",
            first.format("%d/%m/%Y")
        );
    }
    format!("certains {day}s (dates au calendrier)")
}

/// "tous les lundis matin", "le 2e jeudi du mois, l'après-midi".
pub(crate) fn recurrence_with_half(cycle: &Cycle, weeks: &[u8], weekday: Weekday, half: HalfDay) -> String {
    let text = recurrence_in(cycle, weeks, weekday);
    let every_week = weeks.len() == usize::from(cycle.weeks);
    match (every_week, half) {
        (true, HalfDay::Am) => format!("{text} matin"),
        (true, HalfDay::Pm) => format!("{text} après-midi"),
        (false, HalfDay::Am) => format!("{text}, le matin"),
        (false, HalfDay::Pm) => format!("{text}, l'après-midi"),
    }
}

/// The French sentence describing a stop, as on the posters.
pub fn sentence(instance: &Instance, stop: &Stop) -> String {
    let (start, end) = stop.span(instance);
    let commune = &instance.territory.communes[stop.commune];
    let place = commune.stop_name.as_ref().map_or(String::new(), |p| format!(", {p}"));
    let day = if stop.full { ", toute la journée" } else { "" };
    format!(
        "{} s'arrête à {} {}{day}, de {} à {}{place}.",
        instance.buses[stop.bus].name,
        commune.name,
        recurrence_in(&instance.cycle, &stop.weeks, stop.weekday),
        clock(start),
        clock(end)
    )
}

/// The cycle as the report heads it: "2027-01", "cycle de 4 semaines",
/// "rotation de 5 semaines à partir du lundi 04/01/2027".
pub fn cycle(cycle: &Cycle) -> String {
    match cycle.anchor {
        Anchor::Month(Some(m)) => m.to_string(),
        Anchor::Month(None) => format!("cycle de {} semaines", cycle.weeks),
        Anchor::Weeks(monday) => format!(
            "rotation de {} semaine{} à partir du lundi {}",
            cycle.weeks,
            if cycle.weeks == 1 { "" } else { "s" },
            monday.format("%d/%m/%Y")
        ),
        Anchor::Dated(dated) => format!("année à partir du lundi {}", dated.start.format("%d/%m/%Y")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_recurrences() {
        assert_eq!(recurrence(&[2], Weekday::Thu), "le 2e jeudi du mois");
        assert_eq!(recurrence(&[1, 3], Weekday::Tue), "le 1er et le 3e mardi du mois");
        assert_eq!(recurrence(&[1, 2, 3, 4], Weekday::Mon), "tous les lundis");
        assert_eq!(
            recurrence_with_half(&Cycle::monthly(None), &[1, 2, 3, 4], Weekday::Mon, HalfDay::Am),
            "tous les lundis matin"
        );
        assert_eq!(
            recurrence_with_half(&Cycle::monthly(None), &[4], Weekday::Fri, HalfDay::Pm),
            "le 4e vendredi du mois, l'après-midi"
        );
        assert_eq!(clock(570), "9h30");
        assert_eq!(clock(840), "14h00");
    }

    #[test]
    fn rolling_recurrences() {
        let monday = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
        let rolling = |weeks| Cycle {
            weeks,
            anchor: Anchor::Weeks(monday),
        };
        // 2027-01-05 is a Tuesday of ISO week 1 (odd); the 12th, week 2.
        assert_eq!(
            recurrence_in(&rolling(2), &[1], Weekday::Tue),
            "un mardi sur deux, les semaines impaires"
        );
        assert_eq!(
            recurrence_in(&rolling(2), &[2], Weekday::Tue),
            "un mardi sur deux, les semaines paires"
        );
        assert_eq!(recurrence_in(&rolling(2), &[1, 2], Weekday::Tue), "tous les mardis");
        assert_eq!(
            recurrence_in(&rolling(5), &[2], Weekday::Thu),
            "un jeudi toutes les 5 semaines, à partir du 14/01/2027"
        );
        assert_eq!(
            recurrence_in(&rolling(4), &[1, 3], Weekday::Mon),
            "un lundi sur deux, à partir du 04/01/2027"
        );
        // The month anchor keeps the published monthly wording.
        assert_eq!(
            recurrence_in(&Cycle::monthly(None), &[2], Weekday::Thu),
            "le 2e jeudi du mois"
        );
    }
}
