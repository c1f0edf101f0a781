//! `tournee matrix`: a road travel-time matrix between points.

use super::{Bars, out};
use road::{CarProfile, Timings};
use std::path::PathBuf;
use std::time::Instant;
use tournee::Result;
use tournee::input::territory;
use tournee::output::{csv::matrix_csv, folder::write_atomic};

#[derive(clap::Args)]
pub struct Args {
    /// OpenStreetMap extract: .osm.pbf, .osm or .osm.gz.
    #[arg(long)]
    osm: PathBuf,
    /// Points: `lon,lat` lines, or a commune table (CSV).
    #[arg(long)]
    points: PathBuf,
    /// Output CSV of seconds: row i = from point i, empty = unreachable.
    #[arg(long)]
    out: PathBuf,
    /// Also write road distances in metres to this CSV.
    #[arg(long)]
    distances: Option<PathBuf>,
    /// Car profile overrides (TOML, see docs/road-network.md).
    #[arg(long)]
    profile: Option<PathBuf>,
    /// Print a JSON line of timings (load, snap, preprocess, matrix) and
    /// memory (the peak after each stage, bytes per road node).
    #[arg(long)]
    timings: bool,
    /// Recompute even if the matrix is cached.
    #[arg(long)]
    no_cache: bool,
}

pub fn run(args: Args) -> Result<()> {
    let start = Instant::now();
    let profile = match &args.profile {
        Some(path) => CarProfile::from_path(path)?,
        None => CarProfile::default(),
    };
    let points = territory::read_points(&args.points)?;
    let mut timings = Timings::default();
    let (m, network) = road::matrix(
        &args.osm,
        &profile,
        &points,
        &Bars,
        &tournee::travel::road_settings(!args.no_cache),
        &mut timings,
    )?;
    for w in &m.warnings {
        eprintln!("warning: {w}");
    }
    write_atomic(&args.out, &matrix_csv(m.n, 1, |i, j| m.seconds(i, j)))?;
    if let Some(path) = &args.distances {
        write_atomic(path, &matrix_csv(m.n, 1, |i, j| m.metres(i, j)))?;
    }
    if args.timings {
        let peak = road::peak_rss_bytes();
        let line = serde_json::json!({
            "load_s": timings.load_s,
            "snap_s": timings.snap_s,
            "preprocess_s": timings.preprocess_s,
            "matrix_s": timings.matrix_s,
            "total_s": start.elapsed().as_secs_f64(),
            "points": m.n,
            "snap_m": snap_summary(&m.snap_m),
            "cached": network.is_none(),
            "graph_nodes": network.as_ref().map(|n| n.graph.node_count()),
            "turn_graph_nodes": network.as_ref().map(|n| n.graph.turns.node_count()),
            "restrictions_applied": network.as_ref().map(|n| n.graph.turns.restrictions.applied),
            "restrictions_ignored": network.as_ref().map(|n| n.graph.turns.restrictions.ignored),
            "peak_rss_mb": mb(peak),
            "peak_mb_after": {
                "load": mb(timings.peak_after_load),
                "preprocess": mb(timings.peak_after_preprocess),
                "matrix": mb(timings.peak_after_matrix),
            },
            // What a road node costs at the peak: the figure that says
            // whether a country's network fits in one machine.
            "bytes_per_node": network.as_ref().zip(peak).map(|(n, peak)| (peak as f64 / n.graph.node_count().max(1) as f64).round()),
        });
        out(&format!("{line}\n"))?;
    }
    Ok(())
}

/// Bytes as MB to the tenth.
fn mb(bytes: Option<u64>) -> Option<f64> {
    bytes.map(|b| (b as f64 / 104_857.6).round() / 10.0)
}

/// Median, 90th percentile and maximum snap distance, and points not snapped.
fn snap_summary(snaps: &[Option<f64>]) -> serde_json::Value {
    let mut d: Vec<f64> = snaps.iter().flatten().copied().collect();
    d.sort_by(f64::total_cmp);
    let at = |q: f64| {
        d.get(((d.len() as f64 - 1.0) * q).round() as usize)
            .map(|v| (v * 10.0).round() / 10.0)
    };
    serde_json::json!({"median": at(0.5), "p90": at(0.9), "max": d.last(), "unsnapped": snaps.len() - d.len()})
}
