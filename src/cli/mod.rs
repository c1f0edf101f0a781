//! One file per command: its arguments, a call into the library, and what
//! it prints. Shared here: the command list, stdout, the output-folder
//! policy and the summary line of what was written.

mod bench;
mod check;
mod compare;
mod coverage;
mod export;
mod inputs;
mod matrix;
mod national;
mod plan;
mod progress;
mod select;
mod serve;
mod synth;

use clap::{Parser, Subcommand};
use std::path::Path;
use tournee::Result;
use tournee::output::folder::{self, Existing};
use tournee::output::lang::Lang;

pub use progress::Bars;

#[derive(Parser)]
#[command(
    name = "tournee",
    version,
    about = "Plans the monthly tours of mobile public-service buses"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Language of the terminal output: fr or en (default: the locale's, LANG).
    #[arg(long, global = true, value_parser = parse_lang)]
    lang: Option<Lang>,
}

fn parse_lang(text: &str) -> std::result::Result<Lang, String> {
    Lang::parse(text)
        .filter(|_| text.len() == 2)
        .ok_or_else(|| format!("`{text}`: expected fr or en"))
}

/// The terminal's language for this run, set once from `--lang` or the
/// locale.
static LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

/// The terminal's language (the locale's until `Cli::run` decides).
pub fn lang() -> Lang {
    *LANG.get_or_init(Lang::from_env)
}

/// `--lang` as given, not the locale's: pages are French unless asked.
static ASKED: std::sync::OnceLock<Option<Lang>> = std::sync::OnceLock::new();

/// The language of pages (the workbench): French, or `--lang`'s.
pub fn page_lang() -> Lang {
    ASKED.get().copied().flatten().unwrap_or(Lang::Fr)
}

#[derive(Subcommand)]
enum Command {
    /// Plan the monthly tour of a territory (default: Pays d'Apt-Luberon).
    Plan(plan::Args),
    /// Road travel-time matrix between points, from an OSM extract.
    Matrix(matrix::Args),
    /// Write calendars, posters, map and spreadsheet from a saved plan.csv.
    Export(export::Args),
    /// Edit a plan in the browser with live checks (http://127.0.0.1 only).
    Serve(serve::Args),
    /// Every rule a saved (possibly edited) plan breaks; exit 2 if any.
    Check(check::CheckArgs),
    /// The best feasible slots for one commune of a saved plan, with their extra driving.
    Suggest(check::SuggestArgs),
    /// Access to fixed sites and bus stops: who is how far, hours of presence, km and CO2.
    Coverage(coverage::Args),
    /// Coverage scenarios side by side, and the communes that gain or lose access.
    Compare(compare::Args),
    /// Choose stops and frequencies that bring the most people within reach under a budget, then plan them.
    Select(select::Args),
    /// How many buses, where, to bring the population within reach: France, régions or départements.
    National(national::Args),
    /// Generate a synthetic département: roads as .osm.pbf, communes CSV and a scenario.
    Synth(synth::Args),
    /// Benchmarks printed as JSON lines, with a peer measured in the same run.
    Bench(bench::Args),
}

impl Cli {
    /// Runs the chosen command.
    pub fn run(self) -> Result<()> {
        let _ = LANG.set(self.lang.unwrap_or_else(Lang::from_env));
        let _ = ASKED.set(self.lang);
        match self.command {
            Command::Plan(args) => plan::run(args),
            Command::Matrix(args) => matrix::run(args),
            Command::Export(args) => export::run(args),
            Command::Serve(args) => serve::run(args),
            Command::Check(args) => check::check(args),
            Command::Suggest(args) => check::suggest(args),
            Command::Coverage(args) => coverage::run(args),
            Command::Compare(args) => compare::run(args),
            Command::Select(args) => select::run(args),
            Command::National(args) => national::run(args),
            Command::Synth(args) => synth::run(args),
            Command::Bench(command) => bench::run(command),
        }
    }
}

/// Writes to stdout. A reader that went away (`| head`) is not an error:
/// what it wanted was printed. Any other failure (a full disk behind
/// `> file`) is, with exit code 1.
fn out(text: &str) -> Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(tournee::Error::internal(format!("writing to standard output: {e}")))
        }
        _ => Ok(()),
    }
}

/// How the output folder of a run is treated, from `--force`.
fn existing(force: bool) -> Existing {
    if force {
        Existing::LeaveForeign
    } else {
        Existing::Refuse
    }
}

/// Writes `files` into `dir` under the output-folder policy and says so in
/// one line: `wrote 31 files to out/: plan.csv, report.html, 27 calendars…`.
fn write_folder(dir: &Path, files: Vec<(String, Vec<u8>)>, force: bool) -> Result<()> {
    let written = folder::write_folder(dir, files, existing(force))?;
    eprintln!("{}", folder::summary(dir, &written, lang()));
    Ok(())
}
