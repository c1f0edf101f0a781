//! The language of what the terminal shows: `--lang fr|en`, else French
//! when the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`) is French, else
//! English. Files (posters, calendars, the report) are French whatever
//! the terminal's language; the workbench page is French unless `--lang`
//! asks otherwise; error texts stay English.

/// A terminal language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    /// `fr` or `en` (any case, with a region: `fr_FR.UTF-8`).
    pub fn parse(text: &str) -> Option<Lang> {
        let code = text.get(..2)?.to_ascii_lowercase();
        match code.as_str() {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The locale's language, as POSIX orders the variables: the first set
    /// and non-empty of `LC_ALL`, `LC_MESSAGES`, `LANG` decides.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
            .next()
            .map_or(Lang::En, |v| Lang::parse(&v).unwrap_or(Lang::En))
    }

    /// The text in this language.
    pub fn pick<'a>(self, en: &'a str, fr: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Fr => fr,
        }
    }

    /// A number with `decimals` decimals, with a decimal comma in French.
    pub fn number(self, value: f64, decimals: usize) -> String {
        let text = format!("{value:.decimals$}");
        match self {
            Lang::En => text,
            Lang::Fr => text.replace('.', ","),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_name_their_language() {
        assert_eq!(Lang::parse("fr_FR.UTF-8"), Some(Lang::Fr));
        assert_eq!(Lang::parse("FR"), Some(Lang::Fr));
        assert_eq!(Lang::parse("en_GB"), Some(Lang::En));
        assert_eq!(Lang::parse("C.UTF-8"), None);
        assert_eq!(Lang::parse("f"), None);
        assert_eq!(Lang::Fr.number(12.05, 1), "12,1");
    }
}
