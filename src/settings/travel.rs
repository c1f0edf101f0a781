//! The straight-line travel model, for territories without a road
//! network (calibrated against OSRM: docs/travel-model.md).

use road::LatLon;

/// Straight-line travel estimate: great-circle distance × `detour` ÷ `speed_kmh`.
///
/// The defaults were calibrated against OSRM car times between villages of
/// the rural extracts in `../shared/data` (see `docs/travel-model.md`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StraightLine {
    pub detour: f64,
    pub speed_kmh: f64,
}

impl StraightLine {
    /// Estimated (seconds, metres) from `from` to `to`: the great-circle
    /// distance times the detour, at the average speed.
    pub fn estimate(&self, from: LatLon, to: LatLon) -> (f64, f64) {
        let crow = from.metres_to(to);
        (self.seconds(crow), crow * self.detour)
    }

    /// Seconds to drive between two points `crow` metres apart as the crow
    /// flies: the one straight-line formula.
    pub fn seconds(&self, crow: f64) -> f64 {
        crow * self.detour / (self.speed_kmh / 3.6)
    }

    /// How far apart as the crow flies two points may be to lie within
    /// `seconds` of each other: [`StraightLine::seconds`] turned round.
    pub fn crow_metres(&self, seconds: f64) -> f64 {
        seconds * self.speed_kmh / 3.6 / self.detour
    }
}

impl Default for StraightLine {
    fn default() -> Self {
        StraightLine {
            detour: 1.48,
            speed_kmh: 39.0,
        }
    }
}
