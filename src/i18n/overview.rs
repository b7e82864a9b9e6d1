//! Texts of the overview page (the account at a glance, the relationship) (en, nl, de).

/// Every text of the overview page (the account at a glance, the relationship) in one language.
pub struct OverviewTexts {
    pub overview_title: &'static str,
    pub welcome: fn(&str) -> String,
    pub customer_since: fn(&str) -> String,
    pub order_count: fn(u32) -> String,
    pub latest_order: &'static str,
    pub no_orders: &'static str,
    pub open_requests: fn(u32) -> String,
    pub orders_last_year: fn(u32) -> String,
    pub spent_last_year: &'static str,
    pub open_requests_title: &'static str,
    pub view_order: &'static str,
    pub relationship_title: &'static str,
    pub phase_summary: fn(rapport_api::Phase) -> &'static str,
    pub phase_name: fn(rapport_api::Phase) -> &'static str,
}

pub const EN: OverviewTexts = OverviewTexts {
    overview_title: "Your account",
    welcome: |name| format!("Welcome, {name}"),
    customer_since: |date| format!("Customer since {date}"),
    order_count: |n| match n {
        1 => "You have placed 1 order.".into(),
        n => format!("You have placed {n} orders."),
    },
    latest_order: "Latest order",
    no_orders: "You have not placed any orders yet.",
    open_requests: |n| match n {
        0 => "No open requests.".into(),
        1 => "1 open request".into(),
        n => format!("{n} open requests"),
    },
    orders_last_year: |n| match n {
        1 => "1 order in the last 12 months".into(),
        n => format!("{n} orders in the last 12 months"),
    },
    spent_last_year: "Spent in the last 12 months",
    open_requests_title: "Open requests",
    view_order: "View order",
    relationship_title: "You and us",
    phase_summary: |p| {
        match p {
        rapport_api::Phase::Awareness => "Welcome! Once you place your first order, everything about it will be here.",
        rapport_api::Phase::Exploration => "Thank you for getting to know us. We hope your first orders went well; tell us if anything could be better.",
        rapport_api::Phase::Expansion => "You order from us regularly and across our range. Thank you for your trust.",
        rapport_api::Phase::Commitment => "You have been with us for a long time. Thank you for your loyalty: it means a lot to us.",
        rapport_api::Phase::Dissolution => "We would like to do better for you. If something went wrong, tell us and we will put it right.",
    }
    },
    phase_name: |p| match p {
        rapport_api::Phase::Awareness => "Awareness",
        rapport_api::Phase::Exploration => "Exploration",
        rapport_api::Phase::Expansion => "Expansion",
        rapport_api::Phase::Commitment => "Commitment",
        rapport_api::Phase::Dissolution => "Signs of dissolution",
    },
};

pub const NL: OverviewTexts = OverviewTexts {
    overview_title: "Uw account",
    welcome: |name| format!("Welkom, {name}"),
    customer_since: |date| format!("Klant sinds {date}"),
    order_count: |n| match n {
        1 => "U hebt 1 bestelling geplaatst.".into(),
        n => format!("U hebt {n} bestellingen geplaatst."),
    },
    latest_order: "Laatste bestelling",
    no_orders: "U hebt nog geen bestellingen geplaatst.",
    open_requests: |n| match n {
        0 => "Geen openstaande verzoeken.".into(),
        1 => "1 openstaand verzoek".into(),
        n => format!("{n} openstaande verzoeken"),
    },
    orders_last_year: |n| match n {
        1 => "1 bestelling in de afgelopen 12 maanden".into(),
        n => format!("{n} bestellingen in de afgelopen 12 maanden"),
    },
    spent_last_year: "Besteed in de afgelopen 12 maanden",
    open_requests_title: "Openstaande verzoeken",
    view_order: "Bestelling bekijken",
    relationship_title: "U en wij",
    phase_summary: |p| {
        match p {
        rapport_api::Phase::Awareness => "Welkom! Zodra u uw eerste bestelling plaatst, vindt u hier alles daarover.",
        rapport_api::Phase::Exploration => "Bedankt dat u kennis met ons maakt. We hopen dat uw eerste bestellingen goed gingen; laat het ons weten als iets beter kan.",
        rapport_api::Phase::Expansion => "U bestelt regelmatig en uit ons hele assortiment. Bedankt voor uw vertrouwen.",
        rapport_api::Phase::Commitment => "U bent al lang klant bij ons. Bedankt voor uw trouw: die betekent veel voor ons.",
        rapport_api::Phase::Dissolution => "We willen het graag beter voor u doen. Ging er iets mis? Laat het ons weten, dan lossen we het op.",
    }
    },
    phase_name: |p| match p {
        rapport_api::Phase::Awareness => "Bewustwording",
        rapport_api::Phase::Exploration => "Verkenning",
        rapport_api::Phase::Expansion => "Uitbreiding",
        rapport_api::Phase::Commitment => "Verbondenheid",
        rapport_api::Phase::Dissolution => "Tekenen van afscheid",
    },
};

pub const DE: OverviewTexts = OverviewTexts {
    overview_title: "Ihr Konto",
    welcome: |name| format!("Willkommen, {name}"),
    customer_since: |date| format!("Kunde seit {date}"),
    order_count: |n| match n {
        1 => "Sie haben 1 Bestellung aufgegeben.".into(),
        n => format!("Sie haben {n} Bestellungen aufgegeben."),
    },
    latest_order: "Letzte Bestellung",
    no_orders: "Sie haben noch keine Bestellungen aufgegeben.",
    open_requests: |n| match n {
        0 => "Keine offenen Anfragen.".into(),
        1 => "1 offene Anfrage".into(),
        n => format!("{n} offene Anfragen"),
    },
    orders_last_year: |n| match n {
        1 => "1 Bestellung in den letzten 12 Monaten".into(),
        n => format!("{n} Bestellungen in den letzten 12 Monaten"),
    },
    spent_last_year: "Ausgegeben in den letzten 12 Monaten",
    open_requests_title: "Offene Anfragen",
    view_order: "Bestellung ansehen",
    relationship_title: "Sie und wir",
    phase_summary: |p| {
        match p {
        rapport_api::Phase::Awareness => "Willkommen! Sobald Sie Ihre erste Bestellung aufgeben, finden Sie hier alles dazu.",
        rapport_api::Phase::Exploration => "Danke, dass Sie uns kennenlernen. Wir hoffen, Ihre ersten Bestellungen sind gut gelaufen; sagen Sie uns, wenn etwas besser sein könnte.",
        rapport_api::Phase::Expansion => "Sie bestellen regelmäßig und aus unserem ganzen Sortiment. Danke für Ihr Vertrauen.",
        rapport_api::Phase::Commitment => "Sie sind schon lange bei uns. Danke für Ihre Treue: Sie bedeutet uns viel.",
        rapport_api::Phase::Dissolution => "Wir möchten es für Sie besser machen. Ist etwas schiefgegangen? Sagen Sie es uns, und wir bringen es in Ordnung.",
    }
    },
    phase_name: |p| match p {
        rapport_api::Phase::Awareness => "Aufmerksamkeit",
        rapport_api::Phase::Exploration => "Erkundung",
        rapport_api::Phase::Expansion => "Ausweitung",
        rapport_api::Phase::Commitment => "Bindung",
        rapport_api::Phase::Dissolution => "Anzeichen der Auflösung",
    },
};
