//! From the national table to one covering problem per département: which
//! communes to keep (`--region`), who is beyond reach of a fixed site,
//! where a bus may stop and from which bases.

use super::allocate::Curve;
use super::cover::{Area, Candidate, Demand, Solved};
use super::times::Times;
use super::{AreaResult, tours};
use crate::error::{Error, Location, Result};
use crate::input::communes::{CommuneTable, NationalCommune};
use crate::input::sites::ServicePoint;
use crate::input::territory::LatLon;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// National indices of the communes in the given régions or départements
/// (all with none). A bare code names a région or a département; one that
/// is both (`24`: Centre-Val de Loire and Dordogne) must say which, as
/// `region:24` or `dep:24`.
pub fn select(table: &CommuneTable, codes: &[String]) -> Result<Vec<usize>> {
    let all = || (0..table.communes.len()).collect();
    if codes.is_empty() {
        return Ok(all());
    }
    let regions: BTreeSet<&str> = table.communes.iter().map(|c| c.region.as_str()).collect();
    let deps: BTreeSet<&str> = table.communes.iter().map(|c| c.departement.as_str()).collect();
    let mut keep: Vec<Pick> = Vec::new();
    for raw in codes {
        let field = Location::default().field("--region");
        let (kind, code) = match raw.split_once(':') {
            Some((kind, code)) => (Some(kind.to_lowercase()), code.to_string()),
            None => (None, raw.clone()),
        };
        let is_region = regions.contains(code.as_str());
        let is_dep = deps.contains(code.as_str());
        let region = match (kind.as_deref(), is_region, is_dep) {
            (Some("region" | "reg"), true, _) => true,
            (Some("dep" | "departement"), _, true) => false,
            (None, true, false) => true,
            (None, false, true) => false,
            (None, true, true) => {
                return Err(Error::input(
                    field,
                    format!("`{code}` is both a région and a département: write `region:{code}` or `dep:{code}`"),
                ));
            }
            _ => {
                return Err(Error::input(
                    field,
                    format!(
                        "`{raw}`: expected a région code ({}) or a département code ({} …), optionally as `region:CODE` or `dep:CODE`",
                        regions.iter().copied().collect::<Vec<_>>().join(", "),
                        deps.iter().take(6).copied().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        };
        keep.push(if region {
            Pick::Region(code)
        } else {
            Pick::Departement(code)
        });
    }
    Ok((0..table.communes.len())
        .filter(|&i| keep.iter().any(|k| k.holds(&table.communes[i])))
        .collect())
}

/// One `--region` value, resolved.
enum Pick {
    Region(String),
    Departement(String),
}

impl Pick {
    fn holds(&self, commune: &NationalCommune) -> bool {
        match self {
            Pick::Region(code) => &commune.region == code,
            Pick::Departement(code) => &commune.departement == code,
        }
    }
}

/// Travel times around the selected communes.
pub struct Geometry<'a> {
    table: &'a CommuneTable,
    selected: &'a [usize],
    times: &'a Times<'a>,
    minutes: f64,
    /// Seconds to the nearest fixed site, per national index.
    pub fixed_seconds: Vec<Option<f64>>,
    /// National indices of the communes that host a fixed site.
    site_communes: BTreeSet<usize>,
}

impl<'a> Geometry<'a> {
    pub fn new(
        table: &'a CommuneTable,
        selected: &'a [usize],
        sites: &[ServicePoint],
        times: &'a Times<'a>,
        minutes: f64,
    ) -> Geometry<'a> {
        let site_points: Vec<LatLon> = sites.iter().map(|s| s.at).collect();
        let mut fixed_seconds = vec![None; table.communes.len()];
        for (&i, seconds) in selected.iter().zip(times.nearest(table, selected, &site_points)) {
            fixed_seconds[i] = seconds;
        }
        Geometry {
            table,
            selected,
            times,
            minutes,
            fixed_seconds,
            site_communes: site_communes(table, sites),
        }
    }

    fn beyond_reach(&self, i: usize) -> bool {
        self.fixed_seconds[i].is_none_or(|s| s > self.minutes * 60.0)
    }

    /// One covering problem per département of the selection, with its
    /// communes, in département order.
    pub fn areas(&self, max_drive_minutes: u32, capacity: usize) -> Vec<(Area, Vec<usize>)> {
        let mut by_dep: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &i in self.selected {
            by_dep.entry(&self.table.communes[i].departement).or_default().push(i);
        }
        let reach = tours::BaseReach::new(max_drive_minutes);
        by_dep
            .into_iter()
            .map(|(code, communes)| (self.area(code, &communes, reach, capacity), communes))
            .collect()
    }

    fn area(&self, code: &str, communes: &[usize], reach: tours::BaseReach, capacity: usize) -> Area {
        let demands: Vec<usize> = communes
            .iter()
            .copied()
            .filter(|&i| self.table.communes[i].population > 0 && self.beyond_reach(i))
            .collect();
        let mut covers: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        let near = self.times.within(self.table, &demands, communes, self.minutes * 60.0);
        for (d, reached) in near.iter().enumerate() {
            for r in reached {
                covers.entry(communes[r.point]).or_default().push(d);
            }
        }
        let bases = self.bases(communes);
        let stops: Vec<usize> = covers.keys().copied().collect();
        let near_s = f64::from(reach.near_minutes) * 60.0;
        let served = self
            .times
            .within(self.table, &stops, &bases, f64::from(reach.far_minutes) * 60.0);
        let candidates: Vec<Candidate> = stops
            .into_iter()
            .zip(served)
            .map(|(commune, reached)| Candidate {
                commune,
                covers: covers.remove(&commune).unwrap_or_default(),
                bases: reached
                    .iter()
                    .map(|r| (r.point, if r.seconds <= near_s { 1 } else { 2 }))
                    .collect(),
            })
            .filter(|c| !c.bases.is_empty())
            .collect();
        let population = |d: usize| u64::from(self.table.communes[demands[d]].population);
        let (stops, groups) = reduce(undominated(candidates), demands.len());
        Area {
            code: code.to_string(),
            demands: groups
                .into_iter()
                .map(|members| Demand {
                    population: members.iter().map(|&d| population(d)).sum(),
                    communes: members.iter().map(|&d| demands[d]).collect(),
                })
                .collect(),
            stops,
            bases,
            capacity,
        }
    }

    /// Where a bus may be based: the communes of the département with a
    /// fixed site, and each intercommunality's bourg (its most populous
    /// commune in the département).
    fn bases(&self, communes: &[usize]) -> Vec<usize> {
        let mut bourgs: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in communes {
            let c = &self.table.communes[i];
            if c.epci.is_empty() {
                continue;
            }
            let best = bourgs.entry(&c.epci).or_insert(i);
            if self.table.communes[*best].population < c.population {
                *best = i;
            }
        }
        let mut bases: Vec<usize> = communes
            .iter()
            .copied()
            .filter(|i| self.site_communes.contains(i))
            .chain(bourgs.into_values())
            .collect();
        bases.sort_unstable();
        bases.dedup();
        bases
    }

    /// Packs a solved area with its population figures.
    pub fn result(&self, area: Area, communes: Vec<usize>, solved: Vec<Solved>, curve: Curve) -> AreaResult {
        let population = |list: &mut dyn Iterator<Item = &usize>| -> u64 {
            list.map(|&i| u64::from(self.table.communes[i].population)).sum()
        };
        let first = communes[0];
        AreaResult {
            region: self.table.communes[first].region.clone(),
            population: population(&mut communes.iter()),
            within_before: population(&mut communes.iter().filter(|&&i| !self.beyond_reach(i))),
            area,
            communes,
            solved,
            curve,
        }
    }
}

/// Leaves out every stop that another stop beats: one that reaches the
/// same demands or more and can be served from the same bases or more, at
/// no more capacity (ties: the first in commune order stays). No optimum
/// needs it.
fn undominated(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    let subset = |a: &[usize], b: &[usize]| a.iter().all(|x| b.binary_search(x).is_ok());
    let cheaper = |a: &[(usize, u8)], b: &[(usize, u8)]| {
        a.iter().all(|(base, units)| {
            b.binary_search_by_key(base, |&(x, _)| x)
                .is_ok_and(|i| b[i].1 <= *units)
        })
    };
    candidates.sort_by(|a, b| {
        (b.covers.len() + b.bases.len())
            .cmp(&(a.covers.len() + a.bases.len()))
            .then(a.commune.cmp(&b.commune))
    });
    let mut kept: Vec<Candidate> = Vec::new();
    for c in candidates {
        if !kept
            .iter()
            .any(|k| subset(&c.covers, &k.covers) && cheaper(&c.bases, &k.bases))
        {
            kept.push(c);
        }
    }
    kept.sort_by_key(|c| c.commune);
    kept
}

/// Merges the demands that exactly the same stops reach into one (a group
/// of original demand indices), and renumbers the stops' lists; demands no
/// stop reaches are dropped: no bus can cover them.
fn reduce(mut stops: Vec<Candidate>, demands: usize) -> (Vec<Candidate>, Vec<Vec<usize>>) {
    let mut reached_by: Vec<Vec<usize>> = vec![Vec::new(); demands];
    for (s, stop) in stops.iter().enumerate() {
        for &d in &stop.covers {
            reached_by[d].push(s);
        }
    }
    let mut group_of: BTreeMap<&[usize], usize> = BTreeMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut index = vec![None; demands];
    for (d, by) in reached_by.iter().enumerate().filter(|(_, by)| !by.is_empty()) {
        let g = *group_of.entry(by.as_slice()).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(d);
        index[d] = Some(g);
    }
    for stop in &mut stops {
        let mut covers: Vec<usize> = stop.covers.iter().filter_map(|&d| index[d]).collect();
        covers.sort_unstable();
        covers.dedup();
        stop.covers = covers;
    }
    (stops, groups)
}

/// The communes hosting the fixed sites: by the site's INSEE code, or the
/// nearest commune centre when the code is missing or unknown.
fn site_communes(table: &CommuneTable, sites: &[ServicePoint]) -> BTreeSet<usize> {
    let by_code: HashMap<&str, usize> = table
        .communes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.insee.as_str(), i))
        .collect();
    sites
        .iter()
        .filter_map(|s| {
            s.insee
                .as_deref()
                .and_then(|code| by_code.get(code).copied())
                .or_else(|| {
                    (0..table.communes.len()).min_by(|&a, &b| {
                        s.at.metres_to(table.communes[a].at)
                            .total_cmp(&s.at.metres_to(table.communes[b].at))
                    })
                })
        })
        .collect()
}
