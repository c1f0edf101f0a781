//! `tournee compare`: coverage scenarios side by side.

use super::inputs::Roads;
use super::{Bars, coverage, out, write_folder};
use std::path::PathBuf;
use tournee::input::territory::Unlocated;
use tournee::{Result, pipeline};

#[derive(clap::Args)]
pub struct Args {
    /// Write into an output folder that holds files tournee did not write.
    #[arg(long)]
    force: bool,
    /// Scenario files; the first is the reference. A scenario without
    /// `[coverage] plan` has its buses planned now.
    #[arg(required = true, num_args = 2..)]
    scenarios: Vec<PathBuf>,
    #[command(flatten)]
    options: coverage::Options,
    #[command(flatten)]
    roads: Roads,
    /// Communes listed per direction (gain, loss) and scenario.
    #[arg(long, default_value_t = 15)]
    show: usize,
    /// Also write compare.csv and each scenario's coverage files here.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    let mut measured = Vec::new();
    let mut files = Vec::new();
    for (k, path) in args.scenarios.iter().enumerate() {
        let (territory, mut scenario) = pipeline::load_inputs_with(None, Some(path), Unlocated::SetAside)?;
        args.options.clone().apply(&mut scenario)?;
        args.roads.apply(&mut scenario);
        let bus = match scenario.coverage.plan.clone() {
            Some(plan) => pipeline::BusService::Saved(plan),
            None => pipeline::BusService::Solve,
        };
        let coverage = pipeline::coverage(territory, &scenario, bus, &Bars)?;
        let folder = format!("{}-{}", k + 1, tournee::output::ical::slug(&coverage.name));
        files.extend(
            tournee::output::coverage::files(&coverage)?
                .into_iter()
                .map(|(name, bytes)| (format!("{folder}/{name}"), bytes)),
        );
        measured.push(coverage);
    }
    out(&tournee::output::coverage::compare_text(&measured, args.show))?;
    if let Some(dir) = &args.out {
        files.push(("compare.csv".into(), tournee::output::coverage::compare_csv(&measured)?));
        write_folder(dir, files, args.force)?;
    }
    Ok(())
}
