//! Saved plans (plan.csv, plain or French style).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(e) = tournee::input::plan_csv::SavedPlan::parse(text, std::path::Path::new("fuzz.csv"), &Default::default()) {
        assert_eq!(e.kind, tournee::ErrorKind::Input, "{e}");
    }
});
