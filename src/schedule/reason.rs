//! A broken rule, said in English (the terminal's, the errors' and the
//! tests' language) and in French (the pages' language, the planner's).
//! The rule that finds it words it in both, where the numbers are at hand:
//! no translation table to drift from the sentences.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub en: String,
    pub fr: String,
}

impl Reason {
    pub fn new(en: impl Into<String>, fr: impl Into<String>) -> Reason {
        Reason {
            en: en.into(),
            fr: fr.into(),
        }
    }

    /// The French sentence when `french`, else the English one.
    pub fn said(&self, french: bool) -> &str {
        if french { &self.fr } else { &self.en }
    }
}

/// The English sentence.
impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}
