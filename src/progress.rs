//! Progress bars for long work: drawn on a terminal's stderr, silent when
//! stderr is piped or when the caller (a test, a bench) asks for quiet.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Hands out progress bars, visible or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    visible: bool,
}

impl Progress {
    /// Bars on stderr; indicatif hides them when stderr is not a terminal.
    pub fn terminal() -> Progress {
        Progress { visible: true }
    }

    pub fn hidden() -> Progress {
        Progress { visible: false }
    }

    /// A bar for `label`; its length is set by the work it tracks.
    pub fn bar(&self, label: &'static str) -> ProgressBar {
        if !self.visible {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{msg:>12} [{bar:40}] {percent:>3}% ({elapsed})")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.set_message(label);
        bar
    }
}
