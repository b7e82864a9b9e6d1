//! Built-in instruments, with texts in English, Dutch and German written in the project's own words
//! (the ideas of the published items, paraphrased; not their wording).
//!
//! | name | items |
//! | --- | --- |
//! | `servqual` | `E1`…`E22`, `P1`…`P22` (7-point), allocation `W_TAN W_REL W_RES W_ASS W_EMP` (sum 100) |
//! | `servqual-zot` | `A1`…`A22` adequate, `D1`…`D22` desired, `P1`…`P22` perceived (9-point) |
//! | `servperf` | `P1`…`P22` (7-point) |
//! | `commitment-customer`, `commitment-noncustomer` | `SAT`, `INV`, `ALT`, `DIF` (7-point) |
//! | `nps` | `NPS` (0–10) |
//! | `csat` | `CSAT` (1–5, top-two-box) |
//! | `ces-effort` | `CES` (1–5, lower is better) |
//! | `ces-ease` | `CES` (1–7, agree = 5–7) |
//!
//! Dimensions `TAN` (statements 1–4), `REL` (5–9), `RES` (10–13), `ASS` (14–17), `EMP` (18–22).
//! Every built-in item is worded positively (the 1991 form), so no item is reversed; a definition with
//! 1988-style negative items sets `reverse` on them.

use crate::vec_map::VecMap;

use crate::commitment::{Audience, CommitmentModel, CommitmentWeights, Segment};
use crate::instrument::{
    Allocation, AllocationColumn, CesDirection, Dimension, EndLabels, Instrument, InstrumentDef,
    Item, Role, Scale, Scoring, Section, Texts,
};

/// Names accepted by [`builtin`].
pub const BUILTIN_NAMES: [&str; 9] = [
    "servqual",
    "servqual-zot",
    "servperf",
    "commitment-customer",
    "commitment-noncustomer",
    "nps",
    "csat",
    "ces-effort",
    "ces-ease",
];

const VERSION: &str = "1.0.0";

fn t(en: &str, nl: &str, de: &str) -> Texts {
    VecMap::from([
        ("en".to_owned(), en.to_owned()),
        ("nl".to_owned(), nl.to_owned()),
        ("de".to_owned(), de.to_owned()),
    ])
}

fn langs() -> Vec<String> {
    vec!["en".into(), "nl".into(), "de".into()]
}

fn scale(min: i32, max: i32, ends: [(&str, &str); 3]) -> Scale {
    let codes = ["en", "nl", "de"];
    Scale {
        min,
        max,
        labels: codes
            .iter()
            .zip(ends)
            .map(|(c, (lo, hi))| {
                (
                    (*c).to_owned(),
                    EndLabels {
                        min: lo.to_owned(),
                        max: hi.to_owned(),
                    },
                )
            })
            .collect(),
    }
}

fn agree7() -> Scale {
    scale(
        1,
        7,
        [
            ("Strongly disagree", "Strongly agree"),
            ("Helemaal mee oneens", "Helemaal mee eens"),
            ("Stimme überhaupt nicht zu", "Stimme voll und ganz zu"),
        ],
    )
}

fn level9() -> Scale {
    scale(
        1,
        9,
        [("Low", "High"), ("Laag", "Hoog"), ("Niedrig", "Hoch")],
    )
}

/// Dimension of a SERVQUAL statement (1–22).
pub fn servqual_dimension(statement: u32) -> &'static str {
    match statement {
        1..=4 => "TAN",
        5..=9 => "REL",
        10..=13 => "RES",
        14..=17 => "ASS",
        _ => "EMP",
    }
}

fn dimensions() -> Vec<Dimension> {
    [
        (
            "TAN",
            t("Tangibles", "Tastbare zaken", "Materielles Umfeld"),
        ),
        (
            "REL",
            t("Reliability", "Betrouwbaarheid", "Zuverlässigkeit"),
        ),
        (
            "RES",
            t("Responsiveness", "Reactievermogen", "Reaktionsbereitschaft"),
        ),
        (
            "ASS",
            t("Assurance", "Zekerheid", "Kompetenz und Vertrauen"),
        ),
        ("EMP", t("Empathy", "Empathie", "Einfühlungsvermögen")),
    ]
    .into_iter()
    .map(|(id, name)| Dimension {
        id: id.into(),
        name,
    })
    .collect()
}

/// The 22 statements: expectation wording (about excellent firms of the kind) and perception wording
/// (about `{firm}`), each in en, nl, de.
struct Statement {
    e: [&'static str; 3],
    p: [&'static str; 3],
}

const STATEMENTS: [Statement; 22] = [
    // Tangibles
    Statement {
        e: [
            "Excellent firms of this kind work with current, well-kept equipment.",
            "Uitstekende bedrijven van dit soort werken met actuele, goed onderhouden apparatuur.",
            "Hervorragende Unternehmen dieser Art arbeiten mit aktueller, gepflegter Ausstattung.",
        ],
        p: [
            "{firm} works with current, well-kept equipment.",
            "{firm} werkt met actuele, goed onderhouden apparatuur.",
            "{firm} arbeitet mit aktueller, gepflegter Ausstattung.",
        ],
    },
    Statement {
        e: [
            "The premises of excellent firms of this kind are pleasant to look at.",
            "De ruimtes van uitstekende bedrijven van dit soort zien er aantrekkelijk uit.",
            "Die Räumlichkeiten hervorragender Unternehmen dieser Art sind ansprechend gestaltet.",
        ],
        p: [
            "The premises of {firm} are pleasant to look at.",
            "De ruimtes van {firm} zien er aantrekkelijk uit.",
            "Die Räumlichkeiten von {firm} sind ansprechend gestaltet.",
        ],
    },
    Statement {
        e: [
            "Staff at excellent firms of this kind look tidy and professional.",
            "Medewerkers van uitstekende bedrijven van dit soort zien er verzorgd en professioneel uit.",
            "Die Beschäftigten hervorragender Unternehmen dieser Art wirken gepflegt und professionell.",
        ],
        p: [
            "Staff at {firm} look tidy and professional.",
            "Medewerkers van {firm} zien er verzorgd en professioneel uit.",
            "Die Beschäftigten von {firm} wirken gepflegt und professionell.",
        ],
    },
    Statement {
        e: [
            "Leaflets, statements and other materials from excellent firms of this kind are clear and attractive.",
            "Folders, overzichten en ander materiaal van uitstekende bedrijven van dit soort zijn duidelijk en verzorgd.",
            "Broschüren, Abrechnungen und andere Unterlagen hervorragender Unternehmen dieser Art sind klar und ansprechend.",
        ],
        p: [
            "Leaflets, statements and other materials from {firm} are clear and attractive.",
            "Folders, overzichten en ander materiaal van {firm} zijn duidelijk en verzorgd.",
            "Broschüren, Abrechnungen und andere Unterlagen von {firm} sind klar und ansprechend.",
        ],
    },
    // Reliability
    Statement {
        e: [
            "When excellent firms of this kind commit to a deadline, they meet it.",
            "Als uitstekende bedrijven van dit soort een termijn toezeggen, halen ze die.",
            "Wenn hervorragende Unternehmen dieser Art eine Frist zusagen, halten sie sie ein.",
        ],
        p: [
            "When {firm} commits to a deadline, it meets it.",
            "Als {firm} een termijn toezegt, haalt het die.",
            "Wenn {firm} eine Frist zusagt, hält es sie ein.",
        ],
    },
    Statement {
        e: [
            "When a customer runs into a problem, excellent firms of this kind genuinely try to resolve it.",
            "Als een klant tegen een probleem aanloopt, doen uitstekende bedrijven van dit soort oprecht hun best om het op te lossen.",
            "Hat ein Kunde ein Problem, bemühen sich hervorragende Unternehmen dieser Art ernsthaft um eine Lösung.",
        ],
        p: [
            "When I run into a problem, {firm} genuinely tries to resolve it.",
            "Als ik tegen een probleem aanloop, doet {firm} oprecht zijn best om het op te lossen.",
            "Habe ich ein Problem, bemüht sich {firm} ernsthaft um eine Lösung.",
        ],
    },
    Statement {
        e: [
            "Excellent firms of this kind get the service right at the first attempt.",
            "Uitstekende bedrijven van dit soort leveren de dienst in één keer goed.",
            "Hervorragende Unternehmen dieser Art erbringen die Leistung gleich beim ersten Mal richtig.",
        ],
        p: [
            "{firm} gets the service right at the first attempt.",
            "{firm} levert de dienst in één keer goed.",
            "{firm} erbringt die Leistung gleich beim ersten Mal richtig.",
        ],
    },
    Statement {
        e: [
            "Excellent firms of this kind deliver their services when they said they would.",
            "Uitstekende bedrijven van dit soort leveren hun diensten op het moment dat ze hebben afgesproken.",
            "Hervorragende Unternehmen dieser Art erbringen ihre Leistungen zum vereinbarten Zeitpunkt.",
        ],
        p: [
            "{firm} delivers its services when it said it would.",
            "{firm} levert zijn diensten op het moment dat het heeft afgesproken.",
            "{firm} erbringt seine Leistungen zum vereinbarten Zeitpunkt.",
        ],
    },
    Statement {
        e: [
            "Excellent firms of this kind keep their records accurate and free of mistakes.",
            "Uitstekende bedrijven van dit soort houden hun administratie nauwkeurig en foutloos bij.",
            "Hervorragende Unternehmen dieser Art führen ihre Unterlagen genau und fehlerfrei.",
        ],
        p: [
            "{firm} keeps its records accurate and free of mistakes.",
            "{firm} houdt zijn administratie nauwkeurig en foutloos bij.",
            "{firm} führt seine Unterlagen genau und fehlerfrei.",
        ],
    },
    // Responsiveness
    Statement {
        e: [
            "Staff at excellent firms of this kind let customers know precisely when a service will take place.",
            "Medewerkers van uitstekende bedrijven van dit soort laten klanten precies weten wanneer een dienst plaatsvindt.",
            "Die Beschäftigten hervorragender Unternehmen dieser Art sagen Kunden genau, wann eine Leistung erbracht wird.",
        ],
        p: [
            "Staff at {firm} let me know precisely when a service will take place.",
            "Medewerkers van {firm} laten mij precies weten wanneer een dienst plaatsvindt.",
            "Die Beschäftigten von {firm} sagen mir genau, wann eine Leistung erbracht wird.",
        ],
    },
    Statement {
        e: [
            "Staff at excellent firms of this kind serve customers without delay.",
            "Medewerkers van uitstekende bedrijven van dit soort helpen klanten zonder vertraging.",
            "Die Beschäftigten hervorragender Unternehmen dieser Art bedienen Kunden ohne Verzögerung.",
        ],
        p: [
            "Staff at {firm} serve me without delay.",
            "Medewerkers van {firm} helpen mij zonder vertraging.",
            "Die Beschäftigten von {firm} bedienen mich ohne Verzögerung.",
        ],
    },
    Statement {
        e: [
            "Staff at excellent firms of this kind are always ready to help customers.",
            "Medewerkers van uitstekende bedrijven van dit soort staan altijd klaar om klanten te helpen.",
            "Die Beschäftigten hervorragender Unternehmen dieser Art sind immer bereit, Kunden zu helfen.",
        ],
        p: [
            "Staff at {firm} are always ready to help me.",
            "Medewerkers van {firm} staan altijd klaar om mij te helpen.",
            "Die Beschäftigten von {firm} sind immer bereit, mir zu helfen.",
        ],
    },
    Statement {
        e: [
            "Staff at excellent firms of this kind always make time to answer customers' requests.",
            "Medewerkers van uitstekende bedrijven van dit soort maken altijd tijd om op vragen van klanten in te gaan.",
            "Die Beschäftigten hervorragender Unternehmen dieser Art nehmen sich immer Zeit für Anliegen von Kunden.",
        ],
        p: [
            "Staff at {firm} always make time to answer my requests.",
            "Medewerkers van {firm} maken altijd tijd om op mijn vragen in te gaan.",
            "Die Beschäftigten von {firm} nehmen sich immer Zeit für meine Anliegen.",
        ],
    },
    // Assurance
    Statement {
        e: [
            "The way staff at excellent firms of this kind behave gives customers confidence.",
            "Het gedrag van medewerkers van uitstekende bedrijven van dit soort geeft klanten vertrouwen.",
            "Das Auftreten der Beschäftigten hervorragender Unternehmen dieser Art gibt Kunden Vertrauen.",
        ],
        p: [
            "The way staff at {firm} behave gives me confidence.",
            "Het gedrag van medewerkers van {firm} geeft mij vertrouwen.",
            "Das Auftreten der Beschäftigten von {firm} gibt mir Vertrauen.",
        ],
    },
    Statement {
        e: [
            "Customers of excellent firms of this kind feel secure in their dealings with them.",
            "Klanten van uitstekende bedrijven van dit soort voelen zich veilig in hun contacten met hen.",
            "Kunden hervorragender Unternehmen dieser Art fühlen sich bei ihren Geschäften mit ihnen sicher.",
        ],
        p: [
            "I feel secure in my dealings with {firm}.",
            "Ik voel me veilig in mijn contacten met {firm}.",
            "Ich fühle mich bei meinen Geschäften mit {firm} sicher.",
        ],
    },
    Statement {
        e: [
            "Staff at excellent firms of this kind are polite to customers every time.",
            "Medewerkers van uitstekende bedrijven van dit soort zijn elke keer beleefd tegen klanten.",
            "Die Beschäftigten hervorragender Unternehmen dieser Art sind zu Kunden jedes Mal höflich.",
        ],
        p: [
            "Staff at {firm} are polite to me every time.",
            "Medewerkers van {firm} zijn elke keer beleefd tegen mij.",
            "Die Beschäftigten von {firm} sind zu mir jedes Mal höflich.",
        ],
    },
    Statement {
        e: [
            "Staff at excellent firms of this kind know enough to answer customers' questions.",
            "Medewerkers van uitstekende bedrijven van dit soort weten genoeg om vragen van klanten te beantwoorden.",
            "Die Beschäftigten hervorragender Unternehmen dieser Art wissen genug, um Fragen von Kunden zu beantworten.",
        ],
        p: [
            "Staff at {firm} know enough to answer my questions.",
            "Medewerkers van {firm} weten genoeg om mijn vragen te beantwoorden.",
            "Die Beschäftigten von {firm} wissen genug, um meine Fragen zu beantworten.",
        ],
    },
    // Empathy
    Statement {
        e: [
            "Excellent firms of this kind pay attention to each customer as an individual.",
            "Uitstekende bedrijven van dit soort hebben aandacht voor elke klant als individu.",
            "Hervorragende Unternehmen dieser Art beachten jeden Kunden als einzelne Person.",
        ],
        p: [
            "{firm} pays attention to me as an individual.",
            "{firm} heeft aandacht voor mij als individu.",
            "{firm} beachtet mich als einzelne Person.",
        ],
    },
    Statement {
        e: [
            "Excellent firms of this kind are open at hours that suit all of their customers.",
            "Uitstekende bedrijven van dit soort zijn open op tijden die al hun klanten schikken.",
            "Hervorragende Unternehmen dieser Art haben Öffnungszeiten, die allen Kunden passen.",
        ],
        p: [
            "{firm} is open at hours that suit me.",
            "{firm} is open op tijden die mij schikken.",
            "{firm} hat Öffnungszeiten, die mir passen.",
        ],
    },
    Statement {
        e: [
            "Excellent firms of this kind have staff who look after customers personally.",
            "Uitstekende bedrijven van dit soort hebben medewerkers die klanten persoonlijk bijstaan.",
            "Hervorragende Unternehmen dieser Art haben Beschäftigte, die sich persönlich um Kunden kümmern.",
        ],
        p: [
            "{firm} has staff who look after me personally.",
            "{firm} heeft medewerkers die mij persoonlijk bijstaan.",
            "{firm} hat Beschäftigte, die sich persönlich um mich kümmern.",
        ],
    },
    Statement {
        e: [
            "Excellent firms of this kind put their customers' interests first.",
            "Uitstekende bedrijven van dit soort stellen het belang van hun klanten voorop.",
            "Hervorragende Unternehmen dieser Art stellen die Interessen ihrer Kunden an erste Stelle.",
        ],
        p: [
            "{firm} puts my interests first.",
            "{firm} stelt mijn belang voorop.",
            "{firm} stellt meine Interessen an erste Stelle.",
        ],
    },
    Statement {
        e: [
            "Staff at excellent firms of this kind understand what their customers specifically need.",
            "Medewerkers van uitstekende bedrijven van dit soort begrijpen wat hun klanten precies nodig hebben.",
            "Die Beschäftigten hervorragender Unternehmen dieser Art verstehen, was ihre Kunden konkret brauchen.",
        ],
        p: [
            "Staff at {firm} understand what I specifically need.",
            "Medewerkers van {firm} begrijpen wat ik precies nodig heb.",
            "Die Beschäftigten von {firm} verstehen, was ich konkret brauche.",
        ],
    },
];

fn statement_items(prefix: &str, role: Role, scale: &Scale, expectation: bool) -> Vec<Item> {
    STATEMENTS
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let n = i as u32 + 1;
            let w = if expectation { &s.e } else { &s.p };
            Item {
                id: format!("{prefix}{n}"),
                role,
                statement: Some(n),
                dimension: Some(servqual_dimension(n).to_owned()),
                scale: scale.clone(),
                reverse: false,
                required: false,
                text: t(w[0], w[1], w[2]),
            }
        })
        .collect()
}

fn section(id: &str, title: Texts, intro: Texts, items: Vec<Item>) -> Section {
    Section {
        id: id.into(),
        title,
        intro,
        items,
    }
}

fn expectations_section() -> Section {
    section(
        "expectations",
        t("Your expectations", "Uw verwachtingen", "Ihre Erwartungen"),
        t(
            "Think of a firm of this kind that gives excellent service. How far do you agree with each statement about such a firm?",
            "Denk aan een bedrijf van dit soort dat uitstekende service biedt. In hoeverre bent u het eens met elke uitspraak over zo'n bedrijf?",
            "Denken Sie an ein Unternehmen dieser Art mit hervorragendem Service. Wie sehr stimmen Sie jeder Aussage über ein solches Unternehmen zu?",
        ),
        statement_items("E", Role::Expectation, &agree7(), true),
    )
}

fn perceptions_section(scale: Scale) -> Section {
    section(
        "perceptions",
        t(
            "Your experience with {firm}",
            "Uw ervaring met {firm}",
            "Ihre Erfahrung mit {firm}",
        ),
        t(
            "How far do you agree with each statement about {firm}?",
            "In hoeverre bent u het eens met elke uitspraak over {firm}?",
            "Wie sehr stimmen Sie jeder Aussage über {firm} zu?",
        ),
        statement_items("P", Role::Perception, &scale, false),
    )
}

fn allocation() -> Allocation {
    let cols = [
        (
            "W_TAN",
            "TAN",
            t(
                "How the premises, equipment, staff and materials look",
                "Hoe de ruimtes, apparatuur, medewerkers en materialen eruitzien",
                "Wie Räume, Ausstattung, Beschäftigte und Unterlagen aussehen",
            ),
        ),
        (
            "W_REL",
            "REL",
            t(
                "Delivering what was promised, dependably and accurately",
                "Betrouwbaar en nauwkeurig leveren wat is beloofd",
                "Zuverlässig und genau liefern, was versprochen wurde",
            ),
        ),
        (
            "W_RES",
            "RES",
            t(
                "Willingness to help and to serve promptly",
                "Bereidheid om te helpen en snel te reageren",
                "Bereitschaft zu helfen und zügig zu bedienen",
            ),
        ),
        (
            "W_ASS",
            "ASS",
            t(
                "Staff knowledge and courtesy, and the trust they inspire",
                "Kennis en beleefdheid van medewerkers, en het vertrouwen dat ze wekken",
                "Wissen und Höflichkeit der Beschäftigten und das Vertrauen, das sie wecken",
            ),
        ),
        (
            "W_EMP",
            "EMP",
            t(
                "Caring, individual attention to each customer",
                "Zorgzame, persoonlijke aandacht voor elke klant",
                "Fürsorgliche, persönliche Aufmerksamkeit für jeden Kunden",
            ),
        ),
    ];
    Allocation {
        id: "importance".into(),
        total: 100,
        required: false,
        text: t(
            "Spread 100 points over these five aspects according to how important each is to you. The points must add up to exactly 100.",
            "Verdeel 100 punten over deze vijf aspecten naar hoe belangrijk elk voor u is. De punten moeten samen precies 100 zijn.",
            "Verteilen Sie 100 Punkte auf diese fünf Aspekte, je nachdem, wie wichtig Ihnen jeder ist. Die Punkte müssen genau 100 ergeben.",
        ),
        columns: cols
            .into_iter()
            .map(|(id, d, text)| AllocationColumn {
                id: id.into(),
                dimension: d.into(),
                text,
            })
            .collect(),
    }
}

fn servqual() -> InstrumentDef {
    InstrumentDef {
        id: "servqual".into(),
        version: VERSION.into(),
        hash: String::new(),
        languages: langs(),
        title: t(
            "Service quality: expectations and experience",
            "Servicekwaliteit: verwachtingen en ervaring",
            "Servicequalität: Erwartungen und Erfahrung",
        ),
        scoring: Scoring::Servqual,
        dimensions: dimensions(),
        sections: vec![expectations_section(), perceptions_section(agree7())],
        allocation: Some(allocation()),
    }
}

fn zot() -> InstrumentDef {
    let column = |id: &str, prefix: &str, role: Role, title: Texts, intro: Texts| {
        let mut items = statement_items(prefix, role, &level9(), false);
        for it in &mut items {
            it.role = role;
        }
        section(id, title, intro, items)
    };
    InstrumentDef {
        id: "servqual-zot".into(),
        version: VERSION.into(),
        hash: String::new(),
        languages: langs(),
        title: t(
            "Service quality: zone of tolerance",
            "Servicekwaliteit: tolerantiezone",
            "Servicequalität: Toleranzzone",
        ),
        scoring: Scoring::ZoneOfTolerance,
        dimensions: dimensions(),
        sections: vec![
            column(
                "adequate",
                "A",
                Role::Adequate,
                t("The least you would accept", "Het minimum dat u accepteert", "Das Mindeste, das Sie akzeptieren"),
                t(
                    "For each statement, rate the lowest level of service you would still find acceptable.",
                    "Geef bij elke uitspraak aan welk niveau van service u nog net aanvaardbaar vindt.",
                    "Geben Sie bei jeder Aussage an, welches Serviceniveau Sie gerade noch akzeptabel finden.",
                ),
            ),
            column(
                "desired",
                "D",
                Role::Desired,
                t("What you would like", "Wat u zou willen", "Was Sie sich wünschen"),
                t(
                    "For each statement, rate the level of service you would ideally like to get.",
                    "Geef bij elke uitspraak aan welk niveau van service u idealiter zou willen krijgen.",
                    "Geben Sie bei jeder Aussage an, welches Serviceniveau Sie sich idealerweise wünschen.",
                ),
            ),
            column(
                "perceived",
                "P",
                Role::Perception,
                t("What you get from {firm}", "Wat u van {firm} krijgt", "Was Sie von {firm} bekommen"),
                t(
                    "For each statement, rate the level of service you actually get from {firm}.",
                    "Geef bij elke uitspraak aan welk niveau van service u werkelijk van {firm} krijgt.",
                    "Geben Sie bei jeder Aussage an, welches Serviceniveau Sie tatsächlich von {firm} bekommen.",
                ),
            ),
        ],
        allocation: None,
    }
}

fn servperf() -> InstrumentDef {
    InstrumentDef {
        id: "servperf".into(),
        version: VERSION.into(),
        hash: String::new(),
        languages: langs(),
        title: t(
            "Service quality: your experience",
            "Servicekwaliteit: uw ervaring",
            "Servicequalität: Ihre Erfahrung",
        ),
        scoring: Scoring::Servperf,
        dimensions: dimensions(),
        sections: vec![perceptions_section(agree7())],
        allocation: None,
    }
}

fn item(id: &str, role: Role, scale: Scale, required: bool, text: Texts) -> Item {
    Item {
        id: id.into(),
        role,
        statement: None,
        dimension: None,
        scale,
        reverse: false,
        required,
        text,
    }
}

fn seg(id: &str, min_index: f64, name: Texts) -> Segment {
    Segment {
        id: id.into(),
        min_index,
        name,
    }
}

fn commitment(audience: Audience) -> InstrumentDef {
    let customer = audience == Audience::Customer;
    let happy = scale(
        1,
        7,
        [
            ("Very unhappy", "Very happy"),
            ("Zeer ontevreden", "Zeer tevreden"),
            ("Sehr unzufrieden", "Sehr zufrieden"),
        ],
    );
    let care = scale(
        1,
        7,
        [
            ("Not at all", "Very much"),
            ("Helemaal niet", "Heel erg"),
            ("Überhaupt nicht", "Sehr stark"),
        ],
    );
    let appeal = scale(
        1,
        7,
        [
            ("Not appealing at all", "Very appealing"),
            ("Helemaal niet aantrekkelijk", "Zeer aantrekkelijk"),
            ("Überhaupt nicht attraktiv", "Sehr attraktiv"),
        ],
    );
    let items = if customer {
        vec![
            item(
                "SAT",
                Role::Satisfaction,
                happy,
                true,
                t(
                    "All in all, how pleased are you with {firm}?",
                    "Alles bij elkaar genomen, hoe tevreden bent u over {firm}?",
                    "Alles in allem: Wie zufrieden sind Sie mit {firm}?",
                ),
            ),
            item(
                "INV",
                Role::Involvement,
                care,
                true,
                t(
                    "How much does your relationship with {firm} matter to you?",
                    "Hoeveel betekent uw relatie met {firm} voor u?",
                    "Wie viel bedeutet Ihnen Ihre Beziehung zu {firm}?",
                ),
            ),
            item(
                "ALT",
                Role::Appeal,
                appeal,
                true,
                t(
                    "How appealing do you find what other suppliers offer?",
                    "Hoe aantrekkelijk vindt u wat andere aanbieders bieden?",
                    "Wie attraktiv finden Sie, was andere Anbieter bieten?",
                ),
            ),
            item(
                "DIF",
                Role::Difference,
                scale(
                    1,
                    7,
                    [
                        ("The other offer is much better", "{firm} is much better"),
                        ("Het andere aanbod is veel beter", "{firm} is veel beter"),
                        ("Das andere Angebot ist viel besser", "{firm} ist viel besser"),
                    ],
                ),
                false,
                t(
                    "If another offer appeals to you: how does {firm} compare with the most appealing one?",
                    "Als een ander aanbod u aanspreekt: hoe verhoudt {firm} zich tot het aantrekkelijkste daarvan?",
                    "Falls Sie ein anderes Angebot anspricht: Wie schneidet {firm} im Vergleich zum attraktivsten ab?",
                ),
            ),
        ]
    } else {
        vec![
            item(
                "SAT",
                Role::Satisfaction,
                happy,
                true,
                t(
                    "All in all, how pleased are you with your current supplier?",
                    "Alles bij elkaar genomen, hoe tevreden bent u over uw huidige leverancier?",
                    "Alles in allem: Wie zufrieden sind Sie mit Ihrem jetzigen Anbieter?",
                ),
            ),
            item(
                "INV",
                Role::Involvement,
                care,
                true,
                t(
                    "How much does your relationship with your current supplier matter to you?",
                    "Hoeveel betekent de relatie met uw huidige leverancier voor u?",
                    "Wie viel bedeutet Ihnen die Beziehung zu Ihrem jetzigen Anbieter?",
                ),
            ),
            item(
                "ALT",
                Role::Appeal,
                appeal,
                true,
                t(
                    "How appealing do you find what {firm} offers?",
                    "Hoe aantrekkelijk vindt u wat {firm} biedt?",
                    "Wie attraktiv finden Sie, was {firm} bietet?",
                ),
            ),
            item(
                "DIF",
                Role::Difference,
                scale(
                    1,
                    7,
                    [
                        ("{firm} is much better", "My current supplier is much better"),
                        ("{firm} is veel beter", "Mijn huidige leverancier is veel beter"),
                        ("{firm} ist viel besser", "Mein jetziger Anbieter ist viel besser"),
                    ],
                ),
                false,
                t(
                    "If {firm}'s offer appeals to you: how does your current supplier compare with it?",
                    "Als het aanbod van {firm} u aanspreekt: hoe verhoudt uw huidige leverancier zich daartoe?",
                    "Falls Sie das Angebot von {firm} anspricht: Wie schneidet Ihr jetziger Anbieter im Vergleich ab?",
                ),
            ),
        ]
    };
    let segments = if customer {
        vec![
            seg(
                "entrenched",
                75.0,
                t("Entrenched", "Verankerd", "Fest gebunden"),
            ),
            seg(
                "average",
                55.0,
                t("Average", "Gemiddeld", "Durchschnittlich gebunden"),
            ),
            seg(
                "shallow",
                35.0,
                t("Shallow", "Oppervlakkig", "Oberflächlich gebunden"),
            ),
            seg(
                "convertible",
                0.0,
                t("Convertible", "Overstapbaar", "Abwanderungsbereit"),
            ),
        ]
    } else {
        vec![
            seg(
                "strongly-unavailable",
                75.0,
                t(
                    "Strongly unavailable",
                    "Sterk onbereikbaar",
                    "Stark unerreichbar",
                ),
            ),
            seg(
                "weakly-unavailable",
                55.0,
                t(
                    "Weakly unavailable",
                    "Zwak onbereikbaar",
                    "Schwach unerreichbar",
                ),
            ),
            seg(
                "ambivalent",
                35.0,
                t("Ambivalent", "Ambivalent", "Ambivalent"),
            ),
            seg("available", 0.0, t("Available", "Bereikbaar", "Erreichbar")),
        ]
    };
    InstrumentDef {
        id: if customer {
            "commitment-customer".into()
        } else {
            "commitment-noncustomer".into()
        },
        version: VERSION.into(),
        hash: String::new(),
        languages: langs(),
        title: if customer {
            t(
                "Your relationship with {firm}",
                "Uw relatie met {firm}",
                "Ihre Beziehung zu {firm}",
            )
        } else {
            t(
                "Your current supplier and {firm}",
                "Uw huidige leverancier en {firm}",
                "Ihr jetziger Anbieter und {firm}",
            )
        },
        scoring: Scoring::Commitment(CommitmentModel {
            audience,
            weights: CommitmentWeights::default(),
            segments,
        }),
        dimensions: vec![],
        sections: vec![section(
            "commitment",
            t(
                "Four short questions",
                "Vier korte vragen",
                "Vier kurze Fragen",
            ),
            Texts::new(),
            items,
        )],
        allocation: None,
    }
}

fn single(id: &str, title: Texts, scoring: Scoring, it: Item) -> InstrumentDef {
    InstrumentDef {
        id: id.into(),
        version: VERSION.into(),
        hash: String::new(),
        languages: langs(),
        title: title.clone(),
        scoring,
        dimensions: vec![],
        sections: vec![section("main", title, Texts::new(), vec![it])],
        allocation: None,
    }
}

fn nps() -> InstrumentDef {
    single(
        "nps",
        t("Recommendation", "Aanbeveling", "Weiterempfehlung"),
        Scoring::Nps,
        item(
            "NPS",
            Role::Recommend,
            scale(
                0,
                10,
                [
                    ("Not at all likely", "Extremely likely"),
                    ("Zeer onwaarschijnlijk", "Zeer waarschijnlijk"),
                    ("Sehr unwahrscheinlich", "Sehr wahrscheinlich"),
                ],
            ),
            true,
            t(
                "How likely are you to recommend {firm} to a friend or colleague?",
                "Hoe waarschijnlijk is het dat u {firm} aanraadt bij een vriend of collega?",
                "Wie wahrscheinlich ist es, dass Sie {firm} Freunden oder Kollegen empfehlen?",
            ),
        ),
    )
}

fn csat() -> InstrumentDef {
    single(
        "csat",
        t("Satisfaction", "Tevredenheid", "Zufriedenheit"),
        Scoring::Csat { top_box_min: 4 },
        item(
            "CSAT",
            Role::Csat,
            scale(
                1,
                5,
                [
                    ("Very dissatisfied", "Very satisfied"),
                    ("Zeer ontevreden", "Zeer tevreden"),
                    ("Sehr unzufrieden", "Sehr zufrieden"),
                ],
            ),
            true,
            t(
                "Overall, how satisfied are you with {firm}?",
                "Hoe tevreden bent u in het algemeen over {firm}?",
                "Wie zufrieden sind Sie insgesamt mit {firm}?",
            ),
        ),
    )
}

fn ces_effort() -> InstrumentDef {
    single(
        "ces-effort",
        t("Effort", "Moeite", "Aufwand"),
        Scoring::Ces {
            direction: CesDirection::LowerIsBetter,
            agree_min: None,
        },
        item(
            "CES",
            Role::Effort,
            scale(
                1,
                5,
                [
                    ("Very little effort", "A great deal of effort"),
                    ("Heel weinig moeite", "Heel veel moeite"),
                    ("Sehr wenig Aufwand", "Sehr viel Aufwand"),
                ],
            ),
            true,
            t(
                "How much effort did it take you personally to get your request handled by {firm}?",
                "Hoeveel moeite kostte het u persoonlijk om uw verzoek door {firm} afgehandeld te krijgen?",
                "Wie viel Aufwand hatten Sie persönlich, bis {firm} Ihr Anliegen erledigt hatte?",
            ),
        ),
    )
}

fn ces_ease() -> InstrumentDef {
    single(
        "ces-ease",
        t("Ease", "Gemak", "Einfachheit"),
        Scoring::Ces {
            direction: CesDirection::HigherIsBetter,
            agree_min: Some(5),
        },
        item("CES", Role::Effort, agree7(), true, {
            t(
                "Getting my request dealt with by {firm} was easy.",
                "Mijn verzoek door {firm} laten afhandelen ging gemakkelijk.",
                "Mein Anliegen bei {firm} erledigen zu lassen, war einfach.",
            )
        }),
    )
}

/// The definition of a built-in instrument, before validation.
pub fn builtin_def(name: &str) -> Option<InstrumentDef> {
    Some(match name {
        "servqual" => servqual(),
        "servqual-zot" => zot(),
        "servperf" => servperf(),
        "commitment-customer" => commitment(Audience::Customer),
        "commitment-noncustomer" => commitment(Audience::NonCustomer),
        "nps" => nps(),
        "csat" => csat(),
        "ces-effort" => ces_effort(),
        "ces-ease" => ces_ease(),
        _ => return None,
    })
}

/// A built-in instrument by name (see [`BUILTIN_NAMES`]), validated, with its hash filled in.
pub fn builtin(name: &str) -> Option<Instrument> {
    Instrument::new(builtin_def(name)?).ok()
}
