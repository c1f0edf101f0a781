//! French wording of a stop's recurrence, for everything a person reads
//! (calendars, posters): "le 2e jeudi du mois", "le 1er et le 3e mardi du
//! mois", "tous les lundis".

use crate::schedule::calendar::{HalfDay, weekday_french};
use crate::schedule::model::Instance;
use crate::schedule::plan::Stop;
use chrono::Weekday;

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

/// "tous les lundis matin", "le 2e jeudi du mois, l'après-midi".
pub(crate) fn recurrence_with_half(weeks: &[u8], weekday: Weekday, half: HalfDay) -> String {
    let text = recurrence(weeks, weekday);
    match (weeks.len(), half) {
        (4, HalfDay::Am) => format!("{text} matin"),
        (4, HalfDay::Pm) => format!("{text} après-midi"),
        (_, HalfDay::Am) => format!("{text}, le matin"),
        (_, HalfDay::Pm) => format!("{text}, l'après-midi"),
    }
}

/// The French sentence describing a stop, as on the posters.
pub fn sentence(instance: &Instance, stop: &Stop) -> String {
    let session = instance.sessions.get(stop.half);
    let commune = &instance.territory.communes[stop.commune];
    let place = commune.stop_name.as_ref().map_or(String::new(), |p| format!(", {p}"));
    format!(
        "{} s'arrête à {} {}, de {} à {}{place}.",
        instance.buses[stop.bus].name,
        commune.name,
        recurrence(&stop.weeks, stop.weekday),
        clock(session.start),
        clock(session.end)
    )
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
            recurrence_with_half(&[1, 2, 3, 4], Weekday::Mon, HalfDay::Am),
            "tous les lundis matin"
        );
        assert_eq!(
            recurrence_with_half(&[4], Weekday::Fri, HalfDay::Pm),
            "le 4e vendredi du mois, l'après-midi"
        );
        assert_eq!(clock(570), "9h30");
        assert_eq!(clock(840), "14h00");
    }
}
