//! `tournee check`: every rule a saved plan breaks (exit 2 if any), and
//! `tournee suggest`: the best feasible slots for one commune.

use super::inputs::Inputs;
use super::{Bars, out};
use std::path::PathBuf;
use tournee::error::{Error, Location};
use tournee::schedule::build::Purpose;
use tournee::schedule::check;
use tournee::schedule::model::Instance;
use tournee::{Result, pipeline, workbench};

/// A saved plan and what it was made for: `check`, `suggest` and `export`.
#[derive(clap::Args)]
pub struct PlanInputs {
    /// A plan folder from `tournee plan` (or its plan.csv), possibly edited.
    #[arg(long)]
    pub plan: PathBuf,
    /// The commune table and scenario the plan was made for, and roads to
    /// price its driving on (and draw its routes along).
    #[command(flatten)]
    inputs: Inputs,
}

impl PlanInputs {
    /// The scenario (with `--osm`) and the instance the plan is read against.
    pub fn prepare(&self) -> Result<(tournee::input::scenario::Scenario, pipeline::Prepared)> {
        let (territory, scenario) = self.inputs.load()?;
        let prepared = pipeline::instance_for(territory, &scenario, Purpose::Check, &Bars)?;
        Ok((scenario, prepared))
    }

    fn load(self) -> Result<(Instance, tournee::schedule::plan::Plan, PathBuf)> {
        let instance = self.prepare()?.1.instance;
        let (plan, file) = pipeline::read_plan(&instance, &self.plan)?;
        Ok((instance, plan, file))
    }
}

#[derive(clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    inputs: PlanInputs,
}

pub fn check(args: CheckArgs) -> Result<()> {
    let (instance, plan, file) = args.inputs.load()?;
    let broken = check::check(&instance, &plan);
    if !broken.is_empty() {
        return Err(Error::input(
            Location::file(&file),
            format!("the plan {}", check::Broken(broken).listed()),
        ));
    }
    let (seconds, metres) = workbench::drive(&instance, &plan);
    out(&format!(
        "{}: the plan holds every rule ({} communes, {:.1} h and {:.0} km of driving per cycle)\n",
        file.display(),
        plan.communes_served(&instance.territory),
        seconds / 3600.0,
        metres / 1000.0
    ))
}

#[derive(clap::Args)]
pub struct SuggestArgs {
    #[command(flatten)]
    inputs: PlanInputs,
    /// INSEE code of the commune to move.
    #[arg(long)]
    commune: String,
    /// How many slots to suggest.
    #[arg(short, long, default_value_t = 5)]
    k: usize,
}

pub fn suggest(args: SuggestArgs) -> Result<()> {
    let (instance, plan, file) = args.inputs.load()?;
    let commune = workbench::commune_index(&instance, &args.commune)?;
    let name = &instance.territory.communes[commune].name;
    let current = workbench::pattern_of(&instance, &plan, commune).ok_or_else(|| {
        Error::input(
            Location::file(&file),
            format!(
                "{name} ({}) has no valid slot in the plan: run `tournee check` first",
                args.commune
            ),
        )
    })?;
    let found = workbench::suggest(&instance, &plan, commune, args.k);
    let mut text = format!(
        "{name} ({}), now {}: {} other feasible slot(s)\n",
        args.commune,
        workbench::describe(&instance, &current),
        found.len()
    );
    for (pattern, verdict) in &found {
        text.push_str(&format!(
            "  {:<60} {:+6.0} min {:+6.1} km\n",
            workbench::describe(&instance, pattern),
            verdict.extra_seconds / 60.0,
            verdict.extra_metres / 1000.0
        ));
    }
    out(&text)
}
