//! Texts of the survey UI itself (the instruments' own texts live in the scoring core).

/// The language shared with the portal; unknown tags fall back to English.
pub use rapport_intl::Lang;

/// UI texts in one language.
pub struct Texts {
    pub loading: &'static str,
    pub load_failed: &'static str,
    pub try_again: &'static str,
    /// A part of the survey whose code did not download.
    pub part_failed: &'static str,
    pub step_of: fn(usize, usize) -> String,
    pub answered_of: fn(usize, usize) -> String,
    pub back: &'static str,
    pub next: &'static str,
    pub to_review: &'static str,
    pub send: &'static str,
    pub review_heading: &'static str,
    pub review_intro: &'static str,
    pub change: &'static str,
    pub not_answered: &'static str,
    pub points: &'static str,
    pub points_left: fn(i64) -> String,
    pub points_over: fn(i64) -> String,
    pub points_done: &'static str,
    pub still_missing: fn(usize) -> String,
    pub saved_here: &'static str,
    pub not_saved_here: &'static str,
    pub sending: &'static str,
    pub offline: &'static str,
    pub retrying: fn(u32) -> String,
    pub send_now: &'static str,
    pub thanks_heading: &'static str,
    pub thanks_body: &'static str,
    pub elsewhere: &'static str,
    pub fix_heading: &'static str,
    pub problem: fn(&str) -> &'static str,
    pub refused: fn(u16) -> String,
    pub scores_heading: &'static str,
    pub gap_note: &'static str,
    pub zone_note: &'static str,
    pub overall: &'static str,
    pub commitment_index: &'static str,
    pub your_answer: &'static str,
}

/// An integer as text, digit by digit: `format!` and `to_string` would bring the formatter's
/// machinery into the widget for the few numbers it writes.
pub fn int(n: i64) -> String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let mut out = String::with_capacity(21 - at);
    if n < 0 {
        out.push('-');
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
    out
}

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Nl => &NL,
        Lang::De => &DE,
    }
}

const EN: Texts = Texts {
    loading: "Loading the survey…",
    load_failed: "The survey could not be loaded. Please check your connection and try again.",
    try_again: "Try again",
    part_failed: "This part of the survey could not be loaded. Your answers are kept: check your connection and try again.",
    step_of: |a, b| ["Step ", &int(a as i64), " of ", &int(b as i64)].concat(),
    answered_of: |a, b| [&int(a as i64), " of ", &int(b as i64), " questions answered"].concat(),
    back: "Back",
    next: "Next",
    to_review: "Check my answers",
    send: "Send my answers",
    review_heading: "Check your answers",
    review_intro: "Nothing has been sent yet. You can still change any answer.",
    change: "Change",
    not_answered: "not answered",
    points: "points",
    points_left: |n| [&int(n), " points left to give"].concat(),
    points_over: |n| [&int(n), " points too many"].concat(),
    points_done: "All points are given.",
    still_missing: |n| [&int(n as i64), " questions on this page still need an answer."].concat(),
    saved_here: "Your answers are saved on this device.",
    not_saved_here: "This browser does not let us save answers on this device: please keep this page open until they are sent.",
    sending: "Sending your answers…",
    offline: "You are offline. Your answers are kept and will be sent when you are back online.",
    retrying: |s| ["The server could not take your answers yet. Trying again in ", &int(s.into()), " s."].concat(),
    send_now: "Try now",
    thanks_heading: "Thank you!",
    thanks_body: "Your answers have been received.",
    elsewhere: "This survey was already answered in another window, and those answers were received. Thank you!",
    fix_heading: "Some answers need another look",
    problem: |code| match code {
        "out_of_range" | "not_an_integer" => "is not a valid answer",
        "missing_required" => "needs an answer",
        "allocation_sum" => "the points must add up to the total",
        "allocation_incomplete" => "give points to every aspect, or to none",
        "unknown_item" | "duplicate_item" => "is not part of this survey",
        _ => "this survey has changed: please reload the page",
    },
    refused: |s| match s {
        // A signed-in respondent whose session ended: the host page asks for the password again.
        401 => "Your session has ended. Sign in again and your answers are sent: they are kept on this page.".into(),
        _ => ["The server refused the answers (error ", &int(s.into()), "). They are kept on this page."].concat(),
    },
    scores_heading: "Your scores",
    gap_note: "Your scores per aspect: what you experienced minus what you expected (below zero means we fell short).",
    zone_note: "Your scores per aspect: how far what you experienced lies above the least you would accept.",
    overall: "Overall",
    commitment_index: "Commitment (0–100)",
    your_answer: "Your answer",
};

const NL: Texts = Texts {
    loading: "De vragenlijst wordt geladen…",
    load_failed: "De vragenlijst kon niet worden geladen. Controleer uw verbinding en probeer het opnieuw.",
    try_again: "Opnieuw proberen",
    part_failed: "Dit deel van de vragenlijst kon niet worden geladen. Uw antwoorden blijven bewaard: controleer uw verbinding en probeer het opnieuw.",
    step_of: |a, b| ["Stap ", &int(a as i64), " van ", &int(b as i64)].concat(),
    answered_of: |a, b| [&int(a as i64), " van ", &int(b as i64), " vragen beantwoord"].concat(),
    back: "Terug",
    next: "Volgende",
    to_review: "Mijn antwoorden controleren",
    send: "Mijn antwoorden versturen",
    review_heading: "Controleer uw antwoorden",
    review_intro: "Er is nog niets verstuurd. U kunt elk antwoord nog wijzigen.",
    change: "Wijzigen",
    not_answered: "niet beantwoord",
    points: "punten",
    points_left: |n| ["Nog ", &int(n), " punten te verdelen"].concat(),
    points_over: |n| [&int(n), " punten te veel"].concat(),
    points_done: "Alle punten zijn verdeeld.",
    still_missing: |n| [&int(n as i64), " vragen op deze pagina hebben nog een antwoord nodig."].concat(),
    saved_here: "Uw antwoorden zijn op dit apparaat bewaard.",
    not_saved_here: "Deze browser staat niet toe dat wij antwoorden op dit apparaat bewaren: houd deze pagina open tot ze verstuurd zijn.",
    sending: "Uw antwoorden worden verstuurd…",
    offline: "U bent offline. Uw antwoorden blijven bewaard en worden verstuurd zodra u weer online bent.",
    retrying: |s| ["De server kon uw antwoorden nog niet aannemen. Over ", &int(s.into()), " s proberen we het opnieuw."].concat(),
    send_now: "Nu proberen",
    thanks_heading: "Hartelijk dank!",
    thanks_body: "Uw antwoorden zijn ontvangen.",
    elsewhere: "Deze vragenlijst is al in een ander venster ingevuld en die antwoorden zijn ontvangen. Hartelijk dank!",
    fix_heading: "Enkele antwoorden vragen nog aandacht",
    problem: |code| match code {
        "out_of_range" | "not_an_integer" => "is geen geldig antwoord",
        "missing_required" => "heeft een antwoord nodig",
        "allocation_sum" => "de punten moeten samen het totaal zijn",
        "allocation_incomplete" => "verdeel punten over alle aspecten, of over geen",
        "unknown_item" | "duplicate_item" => "hoort niet bij deze vragenlijst",
        _ => "deze vragenlijst is gewijzigd: laad de pagina opnieuw",
    },
    refused: |s| match s {
        401 => "Uw sessie is verlopen. Meld u opnieuw aan, dan worden uw antwoorden verstuurd: ze blijven op deze pagina bewaard.".into(),
        _ => ["De server weigerde de antwoorden (fout ", &int(s.into()), "). Ze blijven op deze pagina bewaard."].concat(),
    },
    scores_heading: "Uw scores",
    gap_note: "Uw scores per aspect: wat u ervoer min wat u verwachtte (onder nul betekent dat wij tekortschoten).",
    zone_note: "Uw scores per aspect: hoever wat u ervoer boven het minimum ligt dat u accepteert.",
    overall: "Totaal",
    commitment_index: "Betrokkenheid (0–100)",
    your_answer: "Uw antwoord",
};

const DE: Texts = Texts {
    loading: "Die Umfrage wird geladen…",
    load_failed: "Die Umfrage konnte nicht geladen werden. Bitte prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
    try_again: "Erneut versuchen",
    part_failed: "Dieser Teil der Umfrage konnte nicht geladen werden. Ihre Antworten bleiben erhalten: Bitte prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
    step_of: |a, b| ["Schritt ", &int(a as i64), " von ", &int(b as i64)].concat(),
    answered_of: |a, b| [&int(a as i64), " von ", &int(b as i64), " Fragen beantwortet"].concat(),
    back: "Zurück",
    next: "Weiter",
    to_review: "Antworten prüfen",
    send: "Antworten senden",
    review_heading: "Prüfen Sie Ihre Antworten",
    review_intro: "Es wurde noch nichts gesendet. Sie können jede Antwort noch ändern.",
    change: "Ändern",
    not_answered: "nicht beantwortet",
    points: "Punkte",
    points_left: |n| ["Noch ", &int(n), " Punkte zu vergeben"].concat(),
    points_over: |n| [&int(n), " Punkte zu viel"].concat(),
    points_done: "Alle Punkte sind vergeben.",
    still_missing: |n| [&int(n as i64), " Fragen auf dieser Seite brauchen noch eine Antwort."].concat(),
    saved_here: "Ihre Antworten sind auf diesem Gerät gespeichert.",
    not_saved_here: "Dieser Browser erlaubt uns nicht, Antworten auf diesem Gerät zu speichern: Bitte lassen Sie diese Seite offen, bis sie gesendet sind.",
    sending: "Ihre Antworten werden gesendet…",
    offline: "Sie sind offline. Ihre Antworten bleiben erhalten und werden gesendet, sobald Sie wieder online sind.",
    retrying: |s| ["Der Server konnte Ihre Antworten noch nicht annehmen. Neuer Versuch in ", &int(s.into()), " s."].concat(),
    send_now: "Jetzt versuchen",
    thanks_heading: "Vielen Dank!",
    thanks_body: "Ihre Antworten sind angekommen.",
    elsewhere: "Diese Umfrage wurde bereits in einem anderen Fenster beantwortet, und diese Antworten sind angekommen. Vielen Dank!",
    fix_heading: "Einige Antworten brauchen noch einen Blick",
    problem: |code| match code {
        "out_of_range" | "not_an_integer" => "ist keine gültige Antwort",
        "missing_required" => "braucht eine Antwort",
        "allocation_sum" => "die Punkte müssen zusammen die Summe ergeben",
        "allocation_incomplete" => "vergeben Sie Punkte an alle Aspekte oder an keinen",
        "unknown_item" | "duplicate_item" => "gehört nicht zu dieser Umfrage",
        _ => "diese Umfrage hat sich geändert: Bitte laden Sie die Seite neu",
    },
    refused: |s| match s {
        401 => "Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an, dann werden Ihre Antworten gesendet: Sie bleiben auf dieser Seite erhalten.".into(),
        _ => ["Der Server hat die Antworten abgelehnt (Fehler ", &int(s.into()), "). Sie bleiben auf dieser Seite erhalten."].concat(),
    },
    scores_heading: "Ihre Werte",
    gap_note: "Ihre Werte je Aspekt: Erlebtes minus Erwartetes (unter null heißt: wir lagen darunter).",
    zone_note: "Ihre Werte je Aspekt: wie weit das Erlebte über dem liegt, was Sie mindestens akzeptieren.",
    overall: "Gesamt",
    commitment_index: "Bindung (0–100)",
    your_answer: "Ihre Antwort",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn int_writes_what_display_writes(n in proptest::prelude::any::<i64>()) {
            proptest::prop_assert_eq!(int(n), n.to_string());
        }
    }

    #[test]
    fn int_at_the_edges() {
        for n in [0, 9, 10, -1, -10, i64::MIN, i64::MAX] {
            assert_eq!(int(n), n.to_string());
        }
    }

    #[test]
    fn tags_fall_back_to_english() {
        assert_eq!(Lang::from_tag("nl-BE"), Lang::Nl);
        assert_eq!(Lang::from_tag("DE"), Lang::De);
        assert_eq!(Lang::from_tag("fr"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
        assert_eq!((texts(Lang::De).step_of)(2, 5), "Schritt 2 von 5");
        assert_eq!(
            (texts(Lang::En).refused)(503),
            "The server refused the answers (error 503). They are kept on this page."
        );
        assert_eq!(
            (texts(Lang::Nl).problem)("out_of_range"),
            "is geen geldig antwoord"
        );
    }
}
