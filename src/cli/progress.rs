//! Progress bars for long work: indicatif bars on a terminal's stderr,
//! nothing when stderr is piped (indicatif hides them) — the library
//! crates report through [`road::Progress`] and never see indicatif.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use road::{Meter, Progress};

/// Draws one bar per stage on stderr.
pub struct Bars;

impl Progress for Bars {
    fn stage(&self, label: &'static str) -> Box<dyn Meter> {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{msg:>12} [{bar:40}] {percent:>3}% ({elapsed})")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.set_message(label);
        Box::new(Bar(bar))
    }
}

struct Bar(ProgressBar);

impl Meter for Bar {
    fn set_length(&self, steps: u64) {
        self.0.set_length(steps);
    }

    fn set_position(&self, steps: u64) {
        self.0.set_position(steps);
    }

    fn inc(&self, steps: u64) {
        self.0.inc(steps);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
