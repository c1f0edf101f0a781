//! Fault injection: writes that fail part-way (a full disk, a read-only
//! folder, an unreadable one, a removal refused) and runs killed at random
//! moments. Whatever happens, the output folder holds the previous outputs
//! or the new ones, complete, under a manifest that lists them; a failure
//! exits non-zero and names the path.
//!
//! Permissions do not bind root, so as root the binary runs as `nobody`
//! through `setpriv` (util-linux).

mod common;

use common::tournee;
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_tournee");

fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// `tournee ARGS` in `cwd`, as an unprivileged user when run as root.
fn unprivileged(args: &[&str], cwd: &Path) -> Output {
    let mut command = if is_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN]);
        c
    } else {
        Command::new(BIN)
    };
    command
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("setpriv or the binary runs")
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A fresh folder anyone may enter, holding `plan/` from a seed-1 run.
fn with_plan() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    chmod(dir.path(), 0o777);
    let out = tournee(&["plan", "--iterations", "2000", "--out", "plan"], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let plan = dir.path().join("plan");
    (dir, plan)
}

fn assert_failed_naming(out: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "expected a failure: {err}");
    assert!(err.contains(needle), "`{needle}` not in: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_read_only_output_folder_keeps_the_previous_outputs() {
    let (dir, plan) = with_plan();
    let before = common::files(&plan);
    chmod(&plan, 0o555);
    chmod(&plan.join("calendars"), 0o555);
    let out = unprivileged(
        &["plan", "--seed", "2", "--iterations", "2000", "--out", "plan"],
        dir.path(),
    );
    assert_failed_naming(&out, "plan/");
    assert_eq!(common::files(&plan), before);
}

#[test]
fn an_unreadable_sub_folder_is_not_a_clean_one() {
    let (dir, plan) = with_plan();
    chmod(&plan, 0o777);
    chmod(&plan.join("calendars"), 0o000);
    let out = unprivileged(
        &["plan", "--seed", "2", "--iterations", "2000", "--out", "plan"],
        dir.path(),
    );
    chmod(&plan.join("calendars"), 0o755);
    assert_failed_naming(&out, "calendars");
}

#[test]
fn a_stale_file_that_cannot_be_removed_fails_the_run_and_stays_listed() {
    let (dir, plan) = with_plan();
    for entry in std::fs::read_dir(&plan).unwrap().flatten() {
        chmod(&entry.path(), if entry.path().is_dir() { 0o777 } else { 0o666 });
    }
    chmod(&plan, 0o777);
    // A file an earlier run wrote in a folder this one may not change.
    std::fs::create_dir(plan.join("old")).unwrap();
    std::fs::write(plan.join("old/stale.ics"), "BEGIN:VCALENDAR").unwrap();
    chmod(&plan.join("old"), 0o555);
    let manifest = plan.join(".tournee-files");
    let listed = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, format!("{listed}\nold/stale.ics")).unwrap();
    chmod(&manifest, 0o666);
    let out = unprivileged(
        &["plan", "--seed", "2", "--iterations", "2000", "--out", "plan"],
        dir.path(),
    );
    assert_failed_naming(&out, "old/stale.ics");
    assert!(std::fs::read_to_string(&manifest).unwrap().contains("old/stale.ics"));
    // The next run, allowed to, removes it and accepts the folder.
    chmod(&plan.join("old"), 0o755);
    let out = tournee(
        &["plan", "--seed", "2", "--iterations", "2000", "--out", "plan"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!plan.join("old/stale.ics").exists());
}

#[test]
fn a_disk_that_fills_up_part_way_keeps_the_previous_outputs() {
    let (dir, plan) = with_plan();
    let before = common::files(&plan);
    assert!(
        before["report.html"].len() > 16_000,
        "the report is the file that will not fit"
    );
    let mut command = Command::new(BIN);
    command
        .args(["plan", "--seed", "2", "--iterations", "2000", "--out", "plan"])
        .current_dir(dir.path());
    // SAFETY: between fork and exec, only async-signal-safe calls: the file
    // size limit (writes beyond it fail with EFBIG, as on a full disk) and
    // SIGXFSZ ignored so that the failure is an error, not a kill.
    unsafe {
        command.pre_exec(|| {
            use nix::sys::resource::{Resource, setrlimit};
            use nix::sys::signal::{SigHandler, Signal, signal};
            signal(Signal::SIGXFSZ, SigHandler::SigIgn).map_err(std::io::Error::from)?;
            setrlimit(Resource::RLIMIT_FSIZE, 16_000, 16_000).map_err(std::io::Error::from)
        });
    }
    let out = command.output().unwrap();
    assert_failed_naming(&out, "report.html");
    assert_eq!(
        common::files(&plan),
        before,
        "no file of the new run in place, no temporary left"
    );
}

#[test]
fn a_folder_removed_while_the_run_solves_is_written_afresh() {
    let (dir, plan) = with_plan();
    let child = Command::new(BIN)
        .args(["plan", "--seed", "2", "--iterations", "200000", "--out", "plan"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    std::fs::remove_dir_all(&plan).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after = common::files(&plan);
    assert!(after.contains_key("plan.csv") && after.contains_key(".tournee-files"));
    let listed = String::from_utf8_lossy(&after[".tournee-files"]).lines().count();
    assert_eq!(listed + 1, after.len(), "the manifest lists every file");
}

/// The outputs of a full run with `seed` of the Comminges scenario (111
/// files), in a folder of their own.
fn reference(seed: &str) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let scenario = common::root().join("data/coeur_coteaux_comminges.toml");
    let args = [
        "plan",
        "--scenario",
        scenario.to_str().unwrap(),
        "--iterations",
        "300",
        "--seed",
        seed,
        "--out",
        "plan",
    ];
    let out = tournee(&args, dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    common::files(&dir.path().join("plan"))
}

fn restore(folder: &Path, contents: &BTreeMap<String, Vec<u8>>) {
    let _ = std::fs::remove_dir_all(folder);
    for (name, bytes) in contents {
        let path = folder.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// What a killed run may leave: every file complete (the old or the new
/// version), every file listed by the manifest, temporary files aside.
/// Returns whether the run had put anything new in place.
fn assert_consistent(
    folder: &Path,
    old: &BTreeMap<String, Vec<u8>>,
    new: &BTreeMap<String, Vec<u8>>,
    at: Duration,
) -> bool {
    let found = common::files(folder);
    let listed: Vec<String> = String::from_utf8_lossy(&found[".tournee-files"])
        .lines()
        .map(String::from)
        .collect();
    for (name, bytes) in &found {
        let base = name.rsplit('/').next().unwrap();
        if base.starts_with(".tmp") || name == ".tournee-files" {
            continue;
        }
        assert!(listed.contains(name), "killed at {at:?}: {name} is not in the manifest");
        let whole = old.get(name) == Some(bytes) || new.get(name) == Some(bytes);
        assert!(whole, "killed at {at:?}: {name} is neither the old nor the new file");
    }
    found.iter().any(|(name, bytes)| old.get(name) != Some(bytes))
}

#[test]
fn runs_killed_at_random_moments_leave_no_partial_output() {
    use rand::{RngExt, SeedableRng};
    // Seeds 1 and 3: a plan's seed s runs chains s and s + 1, so seeds 1
    // and 2 share a chain and may well give the same plan.
    let (old, new) = (reference("1"), reference("3"));
    assert!(old["plan.csv"] != new["plan.csv"], "the two seeds give two plans");
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("plan");
    let scenario = common::root().join("data/coeur_coteaux_comminges.toml");
    let args = [
        "plan",
        "--scenario",
        scenario.to_str().unwrap(),
        "--iterations",
        "300",
        "--seed",
        "3",
        "--out",
        "plan",
    ];
    restore(&folder, &old);
    let start = Instant::now();
    assert!(tournee(&args, dir.path()).status.success());
    let whole_run = start.elapsed();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(19);
    let mut changed = 0;
    for kill in 0..200 {
        restore(&folder, &old);
        let at = whole_run.mul_f64(rng.random_range(0.0..1.2));
        let mut child = Command::new(BIN)
            .args(args)
            .current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        changed += usize::from(assert_consistent(&folder, &old, &new, at));
        if kill % 40 == 0 {
            // The next run accepts the folder and leaves exactly the new outputs.
            assert!(tournee(&args, dir.path()).status.success(), "after the kill at {at:?}");
            assert_eq!(common::files(&folder), new, "after the kill at {at:?}");
        }
    }
    eprintln!("{changed} of 200 kills came after the run had started writing");
    assert!(
        changed >= 20,
        "only {changed} kills reached the writing phase: the test lost its aim"
    );
}
