//! The car profile: which OSM ways a car may use, in which direction, and
//! how fast. Modelled on OSRM's `car.lua` (the peer we compare against)
//! with French defaults for zone codes; every number can be overridden in
//! TOML (`[profile]` section, see `docs/road-network.md`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Tunable car profile. Serialised into the matrix cache key, so a change
/// of profile never reuses a stale matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CarProfile {
    /// Free-flow speed per `highway=*` class, km/h. Classes absent here are
    /// not routable.
    pub speeds: BTreeMap<String, f64>,
    /// A tagged `maxspeed` is driven at this fraction of the limit.
    pub maxspeed_factor: f64,
    /// Speed limits of zone codes such as `FR:rural`, lower case, km/h.
    pub zones: BTreeMap<String, f64>,
    /// The limit assumed for `maxspeed=none`, km/h.
    pub unlimited_kmh: f64,
    /// Speed on ferries without a `duration` tag, km/h.
    pub ferry_kmh: f64,
    /// Seconds lost at a node tagged `highway=traffic_signals`.
    pub signal_penalty_s: f64,
    /// Seconds lost at a stop sign (`highway=stop`).
    pub stop_penalty_s: f64,
    /// Seconds lost at a give-way sign (`highway=give_way`).
    pub give_way_penalty_s: f64,
    /// Seconds lost opening a gate (`barrier=gate` or `lift_gate`) that
    /// cars may pass.
    pub gate_penalty_s: f64,
    /// The most a turn at a junction costs, seconds, reached near 180°
    /// (OSRM's sigmoid of the angle; a straight crossing costs almost 0).
    pub turn_penalty_s: f64,
    /// How much easier a turn away from oncoming traffic is than one
    /// across it (OSRM's `turn_bias`; 1 = no difference).
    pub turn_bias: f64,
    /// Seconds added to a turn across oncoming traffic (left where traffic
    /// keeps right), tapered by the angle; not in roundabouts.
    pub oncoming_turn_penalty_s: f64,
    /// Seconds added to a u-turn, which is only allowed where the road ends.
    pub u_turn_penalty_s: f64,
    /// Traffic keeps left (United Kingdom, Malta…): mirrors the turn costs.
    /// Unset (the default), the extract tells: traffic keeps left where
    /// most of its closed roundabouts turn clockwise.
    pub left_hand_driving: Option<bool>,
    /// Access values that close a way to cars.
    pub denied_access: Vec<String>,
    /// Points farther than this from any road are reported and left
    /// unreachable; unset (the default), every point is snapped, as OSRM
    /// does, and only warned about.
    pub max_snap_m: Option<f64>,
    /// Snaps farther than this are warned about.
    pub warn_snap_m: f64,
}

impl Default for CarProfile {
    fn default() -> Self {
        let speeds = [
            ("motorway", 90.0),
            ("motorway_link", 45.0),
            ("trunk", 85.0),
            ("trunk_link", 40.0),
            ("primary", 65.0),
            ("primary_link", 30.0),
            ("secondary", 55.0),
            ("secondary_link", 25.0),
            ("tertiary", 40.0),
            ("tertiary_link", 20.0),
            ("unclassified", 25.0),
            ("residential", 25.0),
            ("living_street", 10.0),
            ("service", 15.0),
            ("road", 25.0),
        ];
        let zones = [
            ("fr:urban", 50.0),
            ("fr:rural", 80.0),
            ("fr:trunk", 110.0),
            ("fr:expressway", 110.0),
            ("fr:motorway", 130.0),
            ("fr:zone30", 30.0),
            ("fr:zone20", 20.0),
            ("fr:walk", 6.0),
            ("de:urban", 50.0),
            ("de:rural", 100.0),
            ("de:motorway", 130.0),
            ("de:living_street", 7.0),
            ("de:zone30", 30.0),
            ("gb:nsl_single", 96.56),
            ("gb:nsl_dual", 112.65),
            ("gb:motorway", 112.65),
            ("mt:urban", 50.0),
            ("mt:rural", 80.0),
            ("pt:urban", 50.0),
            ("pt:rural", 90.0),
            ("pt:motorway", 120.0),
            ("ad:urban", 50.0),
            ("ad:rural", 90.0),
            // Country-independent fallbacks, as in car.lua.
            ("urban", 50.0),
            ("rural", 90.0),
            ("trunk", 110.0),
            ("motorway", 130.0),
        ];
        CarProfile {
            speeds: speeds.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            maxspeed_factor: 0.8,
            zones: zones.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            unlimited_kmh: 130.0,
            ferry_kmh: 5.0,
            signal_penalty_s: 2.0,
            stop_penalty_s: 2.0,
            give_way_penalty_s: 1.0,
            gate_penalty_s: 60.0,
            turn_penalty_s: 7.5,
            turn_bias: 1.075,
            oncoming_turn_penalty_s: 2.0,
            u_turn_penalty_s: 20.0,
            left_hand_driving: None,
            denied_access: [
                "no",
                "private",
                "agricultural",
                "forestry",
                "emergency",
                "psv",
                "delivery",
                "customers",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            max_snap_m: None,
            warn_snap_m: 500.0,
        }
    }
}

impl CarProfile {
    /// Reads profile overrides from TOML; absent fields keep their defaults.
    pub fn from_path(path: &std::path::Path) -> crate::Result<CarProfile> {
        let text = std::fs::read_to_string(path).map_err(|e| crate::Error::io(path, e))?;
        CarProfile::parse(&text, path)
    }

    /// Parses profile overrides from TOML text; `path` names it in messages.
    pub fn parse(text: &str, path: &std::path::Path) -> crate::Result<CarProfile> {
        let profile: CarProfile = toml::from_str(text).map_err(|e| {
            let error = crate::Error::input(path, e.message());
            match e.span() {
                Some(span) => error.at_line(text[..span.start].matches('\n').count() as u64 + 1),
                None => error,
            }
        })?;
        profile.out_of_range().map_or(Ok(profile), |(field, expected)| {
            Err(crate::Error::input(path, format!("`{field}`: expected {expected}")))
        })
    }

    /// The first value a graph could not be built with (TOML allows `nan`
    /// and `inf`), as (field, what was expected).
    fn out_of_range(&self) -> Option<(String, &'static str)> {
        let speed = |v: f64| v.is_finite() && v > 0.0 && v <= 300.0;
        let seconds = |v: f64| v.is_finite() && (0.0..=3600.0).contains(&v);
        let metres = |v: f64| v.is_finite() && v >= 0.0;
        let named = self.speeds.iter().map(|(k, v)| (format!("speeds.{k}"), *v));
        let zones = self.zones.iter().map(|(k, v)| (format!("zones.{k}"), *v));
        if let Some((field, _)) = named.chain(zones).find(|(_, v)| !speed(*v)) {
            return Some((field, "a speed between 0 and 300 km/h"));
        }
        let checks = [
            (
                "maxspeed_factor",
                self.maxspeed_factor.is_finite() && self.maxspeed_factor > 0.0 && self.maxspeed_factor <= 2.0,
                "a factor between 0 and 2",
            ),
            (
                "unlimited_kmh",
                speed(self.unlimited_kmh),
                "a speed between 0 and 300 km/h",
            ),
            ("ferry_kmh", speed(self.ferry_kmh), "a speed between 0 and 300 km/h"),
            (
                "signal_penalty_s",
                seconds(self.signal_penalty_s),
                "seconds between 0 and 3600",
            ),
            (
                "stop_penalty_s",
                seconds(self.stop_penalty_s),
                "seconds between 0 and 3600",
            ),
            (
                "give_way_penalty_s",
                seconds(self.give_way_penalty_s),
                "seconds between 0 and 3600",
            ),
            (
                "gate_penalty_s",
                seconds(self.gate_penalty_s),
                "seconds between 0 and 3600",
            ),
            (
                "turn_penalty_s",
                seconds(self.turn_penalty_s),
                "seconds between 0 and 3600",
            ),
            (
                "turn_bias",
                self.turn_bias.is_finite() && (0.5..=2.0).contains(&self.turn_bias),
                "a factor between 0.5 and 2",
            ),
            (
                "oncoming_turn_penalty_s",
                seconds(self.oncoming_turn_penalty_s),
                "seconds between 0 and 3600",
            ),
            (
                "u_turn_penalty_s",
                seconds(self.u_turn_penalty_s),
                "seconds between 0 and 3600",
            ),
            ("max_snap_m", self.max_snap_m.is_none_or(metres), "metres, 0 or more"),
            ("warn_snap_m", metres(self.warn_snap_m), "metres, 0 or more"),
        ];
        checks
            .into_iter()
            .find(|(_, ok, _)| !ok)
            .map(|(field, _, expected)| (field.to_string(), expected))
    }
}

/// How a car may use a way: speed per direction (`None` = closed that
/// way), or a ferry's whole crossing time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WayRule {
    /// Speed along the way's direction; `None`: closed that way.
    pub forward_kmh: Option<f64>,
    /// Speed against it.
    pub backward_kmh: Option<f64>,
    /// Total crossing time from a ferry's `duration` tag, seconds.
    pub ferry_seconds: Option<f64>,
    /// Part of a roundabout (`junction=roundabout` or `circular`): no
    /// oncoming traffic to cross when turning in it.
    pub roundabout: bool,
    /// A ferry route: driven aboard, but no point is placed on it (as in
    /// OSRM, where only roads are start points).
    pub ferry: bool,
}

/// Which way along its road a sign or signal faces: `direction=forward`
/// applies to traffic driving in the way's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facing {
    /// Both directions (no `direction` tag).
    Both,
    /// Traffic along the way's node order.
    Forward,
    /// Traffic against it.
    Backward,
}

/// Values that explicitly open a way even where a broader tag closes it.
const GRANTED: [&str; 5] = ["yes", "permissive", "designated", "destination", "motorcar"];

/// Barriers a car passes unless the node's access tags say otherwise
/// (OSRM car profile's whitelist, and the gates it passes at a cost).
const PASSABLE_BARRIERS: [&str; 10] = [
    "cattle_grid",
    "border_control",
    "toll_booth",
    "sally_port",
    "gate",
    "lift_gate",
    "no",
    "entrance",
    "height_restrictor",
    "arch",
];

/// The keys a restriction's value may hide under, most specific first
/// (OSRM's `restrictions` sequence for cars).
const RESTRICTION_KEYS: [&str; 4] = [
    "restriction:motorcar",
    "restriction:motor_vehicle",
    "restriction:vehicle",
    "restriction",
];

impl CarProfile {
    /// Evaluates a way's tags; `None` if cars cannot use it at all.
    pub fn way_rule<'t>(&self, tags: impl Iterator<Item = (&'t str, &'t str)> + Clone) -> Option<WayRule> {
        let get = |key: &str| tags.clone().find(|(k, _)| *k == key).map(|(_, v)| v);
        if !self.access_allowed(&get) {
            return None;
        }
        if get("route") == Some("ferry") {
            let kmh = Some(self.ferry_kmh);
            let ferry_seconds = get("duration").and_then(parse_duration);
            return Some(WayRule {
                forward_kmh: kmh,
                backward_kmh: kmh,
                ferry_seconds,
                roundabout: false,
                ferry: true,
            });
        }
        let highway = get("highway")?;
        if matches!(get("area"), Some("yes")) || matches!(get("impassable"), Some("yes")) {
            return None;
        }
        let class_kmh = *self.speeds.get(highway)?;
        let limit = |key: &str| get(key).and_then(|v| self.parse_maxspeed(v));
        let base = limit("maxspeed");
        let speed = |directional: Option<f64>| {
            directional
                .or(base)
                .map_or(class_kmh, |l| l * self.maxspeed_factor)
                .max(1.0)
        };
        let (forward_kmh, backward_kmh) = (speed(limit("maxspeed:forward")), speed(limit("maxspeed:backward")));
        let roundabout = matches!(get("junction"), Some("roundabout" | "circular"));
        let implied_oneway = matches!(highway, "motorway") || roundabout;
        let oneway = get("oneway:motorcar").or(get("oneway"));
        let (forward, backward) = match oneway {
            Some("yes" | "1" | "true") => (true, false),
            Some("-1" | "reverse") => (false, true),
            Some("no" | "0" | "false") => (true, true),
            _ => (true, !implied_oneway),
        };
        Some(WayRule {
            forward_kmh: forward.then_some(forward_kmh),
            backward_kmh: backward.then_some(backward_kmh),
            ferry_seconds: None,
            roundabout,
            ferry: false,
        })
    }

    /// Seconds lost passing a node, and which direction they apply to:
    /// traffic signals, stop and give-way signs (with their `direction`,
    /// as OSRM reads them), gates cars may open. `None` for a free node.
    pub fn node_delay<'t>(&self, tags: impl Iterator<Item = (&'t str, &'t str)> + Clone) -> Option<(f64, Facing)> {
        let get = |key: &str| tags.clone().find(|(k, _)| *k == key).map(|(_, v)| v);
        let facing = |value: Option<&str>| match value {
            Some("forward") => Facing::Forward,
            Some("backward") => Facing::Backward,
            _ => Facing::Both,
        };
        let sign = match get("highway") {
            Some("traffic_signals") => Some((
                self.signal_penalty_s,
                facing(get("traffic_signals:direction").or(get("direction"))),
            )),
            Some("stop") => Some((self.stop_penalty_s, facing(get("direction")))),
            Some("give_way") => Some((self.give_way_penalty_s, facing(get("direction")))),
            _ => None,
        };
        let gate = matches!(get("barrier"), Some("gate" | "lift_gate")).then_some(self.gate_penalty_s);
        match (sign, gate) {
            (Some((s, f)), None) => Some((s, f)),
            (Some((s, _)), Some(g)) => Some((s + g, Facing::Both)),
            (None, Some(g)) => Some((g, Facing::Both)),
            (None, None) => None,
        }
    }

    /// Whether a relation is a turn restriction cars must obey: `Some(true)`
    /// for `only_*`, `Some(false)` for `no_*`; `None` for anything else,
    /// including restrictions whose `except` names cars, and conditional
    /// ones (as OSRM, which ignores them by default).
    pub fn restriction<'t>(&self, tags: impl Iterator<Item = (&'t str, &'t str)> + Clone) -> Option<bool> {
        let get = |key: &str| tags.clone().find(|(k, _)| *k == key).map(|(_, v)| v);
        if get("type") != Some("restriction") {
            return None;
        }
        let exempt = get("except").is_some_and(|e| {
            e.split(';')
                .any(|v| matches!(v.trim(), "motorcar" | "motor_vehicle" | "vehicle"))
        });
        if exempt {
            return None;
        }
        let value = RESTRICTION_KEYS.iter().find_map(|k| get(k))?.trim();
        if value.starts_with("only_") {
            Some(true)
        } else if value.starts_with("no_") {
            Some(false)
        } else {
            None
        }
    }

    /// Whether a node's tags stop cars, as OSRM's car profile decides: a
    /// `barrier` cars pass (gates, lift gates, cattle grids, toll booths…)
    /// blocks only when the node's access tags deny cars; any other barrier
    /// (bollards, blocks, chains, stiles…) blocks unless they grant them
    /// (`motor_vehicle=yes`); a node whose access tags deny cars blocks too.
    pub fn node_blocks<'t>(&self, tags: impl Iterator<Item = (&'t str, &'t str)> + Clone) -> bool {
        let get = |key: &str| tags.clone().find(|(k, _)| *k == key).map(|(_, v)| v);
        let access = ["motorcar", "motor_vehicle", "vehicle", "access"]
            .iter()
            .find_map(|k| get(k))
            .map(|v| v.split(';').next().unwrap_or(v).trim());
        let denied = access.is_some_and(|a| self.denied_access.iter().any(|d| d == a));
        let granted = access.is_some_and(|a| GRANTED.contains(&a));
        match get("barrier") {
            None => denied,
            Some(b) if PASSABLE_BARRIERS.contains(&b) => denied,
            Some(_) => !granted,
        }
    }

    /// The most specific access tag decides: motorcar > motor_vehicle >
    /// vehicle > access.
    fn access_allowed<'t>(&self, get: &impl Fn(&str) -> Option<&'t str>) -> bool {
        for key in ["motorcar", "motor_vehicle", "vehicle", "access"] {
            if let Some(value) = get(key) {
                let value = value.split(';').next().unwrap_or(value).trim();
                if self.denied_access.iter().any(|d| d == value) {
                    return false;
                }
                if GRANTED.contains(&value) {
                    return true;
                }
            }
        }
        !matches!(
            get("highway"),
            Some("construction" | "proposed" | "abandoned" | "disused")
        )
    }

    /// Parses `maxspeed` values: `50`, `50 km/h`, `30 mph`, `none`, and
    /// zone codes like `FR:rural` or `zone30`. Returns km/h.
    pub fn parse_maxspeed(&self, raw: &str) -> Option<f64> {
        let value = raw.split(';').next()?.trim().to_ascii_lowercase();
        if value == "none" || value == "unlimited" {
            return Some(self.unlimited_kmh);
        }
        if let Some(mph) = value.strip_suffix("mph") {
            return mph
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|v| *v > 0.0)
                .map(|v| v * 1.609_344);
        }
        if let Some(knots) = value.strip_suffix("knots") {
            return knots.trim().parse::<f64>().ok().map(|v| v * 1.852);
        }
        let numeric = value
            .trim_end_matches("km/h")
            .trim_end_matches("kmh")
            .trim_end_matches("kph")
            .trim();
        if let Ok(v) = numeric.parse::<f64>() {
            return (v > 0.0).then_some(v);
        }
        if let Some(v) = self.zones.get(&value) {
            return Some(*v);
        }
        // `FR:zone30`, `zone:30`, `DE:zone:30`: the number is the limit.
        let digits: String = value
            .rsplit(['e', ':'])
            .next()?
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        if value.contains("zone") && !digits.is_empty() {
            return digits.parse().ok();
        }
        // Unknown country, known kind: `xx:rural` → the `rural` fallback.
        value
            .split_once(':')
            .and_then(|(_, kind)| self.zones.get(kind).copied())
    }
}

/// Parses an OSM `duration`: `HH:MM`, `HH:MM:SS` or minutes. Seconds.
pub fn parse_duration(raw: &str) -> Option<f64> {
    let parts: Vec<f64> = raw
        .trim()
        .split(':')
        .map(|p| p.trim().parse::<f64>().ok())
        .collect::<Option<_>>()?;
    let seconds = match parts.as_slice() {
        [minutes] => minutes * 60.0,
        [h, m] => h * 3600.0 + m * 60.0,
        [h, m, s] => h * 3600.0 + m * 60.0 + s,
        _ => return None,
    };
    (seconds > 0.0).then_some(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(tags: &[(&str, &str)]) -> Option<WayRule> {
        CarProfile::default().way_rule(tags.iter().copied())
    }

    #[test]
    fn maxspeed_forms() {
        let p = CarProfile::default();
        assert_eq!(p.parse_maxspeed("50"), Some(50.0));
        assert_eq!(p.parse_maxspeed("70 km/h"), Some(70.0));
        assert!((p.parse_maxspeed("30 mph").unwrap() - 48.28).abs() < 0.01);
        assert_eq!(p.parse_maxspeed("FR:rural"), Some(80.0));
        assert_eq!(p.parse_maxspeed("FR:urban"), Some(50.0));
        assert_eq!(p.parse_maxspeed("FR:motorway"), Some(130.0));
        assert_eq!(p.parse_maxspeed("FR:zone30"), Some(30.0));
        assert_eq!(p.parse_maxspeed("IT:rural"), Some(90.0));
        assert_eq!(p.parse_maxspeed("none"), Some(130.0));
        assert_eq!(p.parse_maxspeed("signals"), None);
    }

    #[test]
    fn oneway_and_implied_oneway() {
        let r = rule(&[("highway", "primary"), ("oneway", "yes")]).unwrap();
        assert_eq!((r.forward_kmh, r.backward_kmh), (Some(65.0), None));
        let r = rule(&[("highway", "primary"), ("oneway", "-1")]).unwrap();
        assert_eq!((r.forward_kmh, r.backward_kmh), (None, Some(65.0)));
        let r = rule(&[("highway", "motorway")]).unwrap();
        assert_eq!(r.backward_kmh, None);
        let r = rule(&[("highway", "tertiary"), ("junction", "roundabout")]).unwrap();
        assert_eq!(r.backward_kmh, None);
        let r = rule(&[("highway", "motorway"), ("oneway", "no")]).unwrap();
        assert_eq!(r.backward_kmh, Some(90.0));
    }

    #[test]
    fn access_hierarchy() {
        assert!(rule(&[("highway", "residential"), ("access", "private")]).is_none());
        assert!(rule(&[("highway", "residential"), ("access", "no"), ("motorcar", "yes")]).is_some());
        assert!(rule(&[("highway", "residential"), ("motor_vehicle", "agricultural")]).is_none());
        assert!(rule(&[("highway", "track")]).is_none());
        assert!(rule(&[("highway", "construction")]).is_none());
        assert!(rule(&[("highway", "footway")]).is_none());
    }

    #[test]
    fn maxspeed_overrides_class_speed() {
        let r = rule(&[("highway", "residential"), ("maxspeed", "50")]).unwrap();
        assert_eq!(r.forward_kmh, Some(40.0));
        let r = rule(&[("highway", "primary"), ("maxspeed", "90"), ("maxspeed:backward", "50")]).unwrap();
        assert_eq!((r.forward_kmh, r.backward_kmh), (Some(72.0), Some(40.0)));
    }

    #[test]
    fn ferries_with_and_without_duration() {
        let r = rule(&[("route", "ferry"), ("duration", "00:25")]).unwrap();
        assert_eq!(r.ferry_seconds, Some(1500.0));
        assert_eq!(rule(&[("route", "ferry")]).unwrap().forward_kmh, Some(5.0));
        assert!(rule(&[("route", "ferry"), ("motor_vehicle", "no")]).is_none());
        assert_eq!(parse_duration("1:05:30"), Some(3930.0));
    }

    #[test]
    fn values_no_graph_can_use_are_refused_with_their_field() {
        let path = std::path::Path::new("car.toml");
        for (text, field) in [
            ("[speeds]\nprimary = nan\n", "speeds.primary"),
            ("[speeds]\nprimary = -5.0\n", "speeds.primary"),
            ("maxspeed_factor = inf\n", "maxspeed_factor"),
            ("signal_penalty_s = -1.0\n", "signal_penalty_s"),
            ("max_snap_m = nan\n", "max_snap_m"),
        ] {
            let err = CarProfile::parse(text, path).unwrap_err();
            assert!(err.to_string().contains(field), "{text}: {err}");
        }
        assert!(CarProfile::parse("[speeds]\nprimary = 70.0\n", path).is_ok());
    }
}
