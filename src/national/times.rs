//! Travel times for the national run: road times between the communes an
//! OSM extract covers, straight-line estimates for every pair with an end
//! outside it. Each commune's model is reported with the results.

use crate::coverage::access::{Access, Reach, on_network};
use crate::input::communes::CommuneTable;
use crate::input::scenario::StraightLine;
use crate::input::territory::LatLon;
use road::CarProfile;
use road::Network;

/// The national run's travel model.
pub struct Times<'a> {
    straight: Access<'a>,
    road: Option<Access<'a>>,
    /// Per national index: the extract covers the commune.
    pub on_road: Vec<bool>,
    network: Option<(&'a Network, &'a CarProfile)>,
}

impl<'a> Times<'a> {
    /// Straight-line estimates everywhere.
    pub fn straight(model: StraightLine, table: &CommuneTable) -> Times<'a> {
        Times {
            straight: Access::StraightLine(model),
            road: None,
            on_road: vec![false; table.communes.len()],
            network: None,
        }
    }

    /// Road times where `network` covers both ends.
    pub fn with_road(
        model: StraightLine,
        table: &CommuneTable,
        network: &'a Network,
        profile: &'a CarProfile,
    ) -> Times<'a> {
        let centres: Vec<LatLon> = table.communes.iter().map(|c| c.at).collect();
        Times {
            straight: Access::StraightLine(model),
            road: Some(Access::road(network, profile)),
            on_road: on_network(network, &centres, profile),
            network: Some((network, profile)),
        }
    }

    /// The loaded network, for the bus tours.
    pub fn network(&self) -> Option<(&'a Network, &'a CarProfile)> {
        self.network
    }

    /// `"road"` or `"straight_line"`: the model of a commune's trips.
    pub fn model_of(&self, commune: usize) -> &'static str {
        if self.on_road[commune] { "road" } else { "straight_line" }
    }

    /// Seconds from each origin (a national index) to its nearest site.
    pub fn nearest(&self, table: &CommuneTable, origins: &[usize], sites: &[LatLon]) -> Vec<Option<f64>> {
        let at: Vec<LatLon> = origins.iter().map(|&i| table.communes[i].at).collect();
        let (Some(road), Some((network, profile))) = (&self.road, self.network) else {
            return self
                .straight
                .nearest(&at, sites)
                .iter()
                .map(|r| r.map(|r| r.seconds))
                .collect();
        };
        let site_on_road = on_network(network, sites, profile);
        let (road_sites, off_sites): (Vec<usize>, Vec<usize>) = (0..sites.len()).partition(|&s| site_on_road[s]);
        let pick = |list: &[usize]| -> Vec<LatLon> { list.iter().map(|&s| sites[s]).collect() };
        let by_road = road.nearest(&at, &pick(&road_sites));
        let by_line_off = if off_sites.is_empty() {
            vec![None; at.len()]
        } else {
            self.straight.nearest(&at, &pick(&off_sites))
        };
        let by_line_all = self.straight.nearest(&at, sites);
        let seconds = |r: Option<crate::coverage::access::Reach>| r.map(|r| r.seconds);
        origins
            .iter()
            .enumerate()
            .map(|(k, &o)| {
                if self.on_road[o] {
                    min(seconds(by_road[k]), seconds(by_line_off[k]))
                } else {
                    seconds(by_line_all[k])
                }
            })
            .collect()
    }

    /// For each origin, the points (indices into `points`) within
    /// `seconds`, ascending; origins and points are national indices.
    pub fn within(&self, table: &CommuneTable, origins: &[usize], points: &[usize], seconds: f64) -> Vec<Vec<Reach>> {
        let at = |list: &[usize]| -> Vec<LatLon> { list.iter().map(|&i| table.communes[i].at).collect() };
        let straight = self.straight.within(&at(origins), &at(points), seconds);
        let Some(road) = &self.road else { return straight };
        let road_origins: Vec<usize> = (0..origins.len()).filter(|&o| self.on_road[origins[o]]).collect();
        let road_points: Vec<usize> = (0..points.len()).filter(|&p| self.on_road[points[p]]).collect();
        let pick = |list: &[usize], from: &[usize]| -> Vec<usize> { list.iter().map(|&k| from[k]).collect() };
        let by_road = road.within(
            &at(&pick(&road_origins, origins)),
            &at(&pick(&road_points, points)),
            seconds,
        );
        let mut out = straight;
        for (k, &o) in road_origins.iter().enumerate() {
            let mut reached: Vec<Reach> = out[o]
                .iter()
                .filter(|r| !self.on_road[points[r.point]])
                .copied()
                .chain(by_road[k].iter().map(|r| Reach {
                    point: road_points[r.point],
                    ..*r
                }))
                .collect();
            reached.sort_by_key(|r| r.point);
            out[o] = reached;
        }
        out
    }
}

fn min(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
