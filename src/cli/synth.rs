//! `tournee synth`: a deterministic synthetic département.

use super::{out, write_folder};
use std::path::PathBuf;
use tournee::Result;
use tournee::tools::synth;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Communes (two of them on an island reached by ferry).
    #[arg(long, default_value_t = 320)]
    communes: usize,
    /// Road nodes to reach, at least.
    #[arg(long, default_value_t = 1_000_000)]
    road_nodes: usize,
    /// Buses of the scenario written beside the data.
    #[arg(long, default_value_t = 4)]
    buses: usize,
    /// Output folder: roads.osm.pbf, communes.csv, scenario.toml, points.txt (5,000 random `lon,lat`).
    #[arg(long, default_value = "out/synth")]
    out: PathBuf,
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> Result<()> {
    let options = synth::SynthOptions {
        seed: args.seed,
        communes: args.communes,
        road_nodes: args.road_nodes,
        buses: args.buses,
    };
    synth::validate(&options)?;
    let synthetic = synth::generate(options);
    let files = vec![
        ("roads.osm.pbf".to_string(), synth::pbf(&synthetic)?),
        ("communes.csv".to_string(), synth::communes_csv(&synthetic)?),
        (
            "scenario.toml".to_string(),
            synth::scenario_toml(&synthetic, args.buses).into_bytes(),
        ),
        ("points.txt".to_string(), synth::points_txt(&synthetic)),
    ];
    let population: u64 = synthetic.communes.iter().map(|c| u64::from(c.population)).sum();
    out(&format!(
        "Synthetic département (seed {}): {} communes, {population} inhabitants, {} road nodes, {} ways, PBF {:.1} MB\n",
        args.seed,
        synthetic.communes.len(),
        synthetic.nodes.len(),
        synthetic.ways.len(),
        files[0].1.len() as f64 / 1e6
    ))?;
    write_folder(&args.out, files, args.force)
}
