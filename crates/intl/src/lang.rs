//! The languages Rapport speaks. One enum for the portal and the survey kit, so a language chosen in
//! the portal reaches the embedded survey as it is, without a conversion through its tag.

/// A language of the portal and the survey kit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Nl,
    De,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Nl, Lang::De];

    /// BCP 47 tag, for `<html lang>`, storage and `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
            Lang::De => "de",
        }
    }

    /// The language's own name, shown in a language switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Nl => "Nederlands",
            Lang::De => "Deutsch",
        }
    }

    /// Best match for a tag such as `nl-BE` or `DE` (primary subtag only); `None` for languages not
    /// spoken here.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.trim().to_ascii_lowercase();
        Lang::ALL.into_iter().find(|lang| lang.tag() == primary)
    }

    /// Like [`Lang::parse`], with English for anything not spoken here (a page's `lang` attribute).
    pub fn from_tag(tag: &str) -> Lang {
        Lang::parse(tag).unwrap_or(Lang::En)
    }

    /// First supported language among a browser's preferences, else English.
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        preferred
            .into_iter()
            .find_map(Lang::parse)
            .unwrap_or(Lang::En)
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn tags_match_on_the_primary_subtag() {
        assert_eq!(Lang::parse("nl-BE"), Some(Lang::Nl));
        assert_eq!(Lang::parse("DE"), Some(Lang::De));
        assert_eq!(Lang::parse(" en_GB"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
        assert_eq!(Lang::from_tag("fr-CA"), Lang::En);
        assert_eq!(Lang::from_tag("de-AT"), Lang::De);
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.tag()), Some(lang));
        }
    }

    #[test]
    fn negotiation_takes_the_first_spoken_language() {
        assert_eq!(Lang::negotiate(["fr-FR", "de-CH", "nl"]), Lang::De);
        assert_eq!(Lang::negotiate(["fr", "es"]), Lang::En);
        assert_eq!(Lang::negotiate([]), Lang::En);
    }
}
