//! Whole days (`half_day = FULL`): the commune takes the morning and the
//! afternoon of each visit, planned as a morning that runs on, so only on
//! a weekday with both sessions (not a Saturday).

use super::Rule;
use crate::calendar::{HalfDay, halves};
use crate::schedule::model::{Instance, SlotPattern};

pub(super) struct WholeDay;

impl Rule for WholeDay {
    fn allows(&self, _instance: &Instance, _c: usize, pattern: &SlotPattern) -> bool {
        !pattern.full || (pattern.half == HalfDay::Am && halves(pattern.weekday).len() == 2)
    }
}
