//! The two UI languages and a text in both. A leaf: everything that says
//! something to a user depends on it, and it depends on nothing.

use serde::{Deserialize, Serialize};

/// A UI language. Danish is the working language; English the second locale.
/// JSON: `"da"` or `"en"`; the default is Danish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Danish (`"da"`), the default.
    #[default]
    Da,
    /// English (`"en"`).
    En,
}

impl Lang {
    /// Every language, Danish first.
    pub const ALL: [Lang; 2] = [Lang::Da, Lang::En];

    /// The wire code, `"da"` or `"en"` (as serde writes it).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }

    /// The language with wire code `code` (`"da"`, `"en"`, lower case only),
    /// or `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "da" => Some(Lang::Da),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// A text in both UI languages. JSON: `{"da": ..., "en": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    pub da: String,
    pub en: String,
}

impl Localized {
    /// The Danish text `da` and its English twin `en`.
    pub fn new(da: impl Into<String>, en: impl Into<String>) -> Self {
        Localized { da: da.into(), en: en.into() }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Da => &self.da,
            Lang::En => &self.en,
        }
    }
}

impl Lang {
    /// `da` in Danish, `en` in English.
    pub fn pick<T>(self, da: T, en: T) -> T {
        match self {
            Lang::Da => da,
            Lang::En => en,
        }
    }

    /// A whole number with thousands grouped this language's way: 12345 is
    /// "12.345" in Danish and "12,345" in English; a minus sign is U+2212.
    pub fn group_thousands(self, n: i64) -> String {
        let sep = if self == Lang::Da { '.' } else { ',' };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::new();
        if n < 0 {
            out.push('\u{2212}');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_the_language_s_way() {
        let cases = [(0, "0", "0"), (999, "999", "999"), (1000, "1.000", "1,000"), (2000, "2.000", "2,000")];
        for (n, da, en) in cases {
            assert_eq!((Lang::Da.group_thousands(n).as_str(), Lang::En.group_thousands(n).as_str()), (da, en));
        }
        assert_eq!(Lang::Da.group_thousands(71_582_788), "71.582.788");
        assert_eq!(Lang::Da.group_thousands(-1234), "\u{2212}1.234");
    }
}
