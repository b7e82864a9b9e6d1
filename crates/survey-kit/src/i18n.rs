//! Texts of the survey UI itself (not of the instruments, whose texts live in the scoring core).

/// A language the survey UI speaks; unknown tags fall back to English.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Nl,
    De,
}

impl Lang {
    /// Primary subtag match (`nl-BE` → Dutch); English for anything else.
    pub fn from_tag(tag: &str) -> Lang {
        match tag
            .split(['-', '_'])
            .next()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("nl") => Lang::Nl,
            Some("de") => Lang::De,
            _ => Lang::En,
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
            Lang::De => "de",
        }
    }
}

/// UI texts of the widget in one language.
pub struct Texts {
    pub survey_label: &'static str,
    pub nps_question: &'static str,
    pub nps_low: &'static str,
    pub nps_high: &'static str,
    pub selected: fn(u8) -> String,
}

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Nl => &NL,
        Lang::De => &DE,
    }
}

const EN: Texts = Texts {
    survey_label: "Short survey",
    nps_question: "How likely are you to recommend us to a friend or colleague?",
    nps_low: "Not at all likely",
    nps_high: "Extremely likely",
    selected: |v| format!("You chose {v}."),
};

const NL: Texts = Texts {
    survey_label: "Korte vragenlijst",
    nps_question: "Hoe waarschijnlijk is het dat u ons aanbeveelt aan een vriend of collega?",
    nps_low: "Zeer onwaarschijnlijk",
    nps_high: "Zeer waarschijnlijk",
    selected: |v| format!("U koos {v}."),
};

const DE: Texts = Texts {
    survey_label: "Kurze Umfrage",
    nps_question: "Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen empfehlen?",
    nps_low: "Sehr unwahrscheinlich",
    nps_high: "Sehr wahrscheinlich",
    selected: |v| format!("Sie haben {v} gewählt."),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_fall_back_to_english() {
        assert_eq!(Lang::from_tag("nl-BE"), Lang::Nl);
        assert_eq!(Lang::from_tag("DE"), Lang::De);
        assert_eq!(Lang::from_tag("fr"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
        assert_eq!((texts(Lang::De).selected)(7), "Sie haben 7 gewählt.");
    }
}
