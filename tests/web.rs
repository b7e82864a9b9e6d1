//! Portal components in headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos::task::tick;
use leptos_router::components::Router;
use rapport_api::ApiError;
use rapport_portal::components::error_panel::ErrorPanel;
use rapport_portal::i18n::{I18n, Lang};
use rapport_portal::pages::not_found::NotFound;
use rapport_portal::session::{Session, SessionState};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let document = document();
    let element = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&element).unwrap();
    element.unchecked_into()
}

#[wasm_bindgen_test]
async fn not_found_page_follows_the_language_and_links_home() {
    let root = container();
    let lang = RwSignal::new(Lang::En);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n(lang));
        view! { <Router><NotFound /></Router> }
    });
    tick().await;
    let heading = root.query_selector("h1").unwrap().unwrap();
    assert_eq!(heading.text_content().unwrap(), "Page not found");
    let link = root.query_selector("a").unwrap().unwrap();
    assert_eq!(link.get_attribute("href").as_deref(), Some("/"));

    lang.set(Lang::De);
    tick().await;
    assert_eq!(heading.text_content().unwrap(), "Seite nicht gefunden");
    assert_eq!(link.text_content().unwrap(), "Zu Ihrem Konto");
}

#[wasm_bindgen_test]
async fn error_panel_offers_retry_only_when_it_can_help() {
    let root = container();
    let retries = RwSignal::new(0);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n(RwSignal::new(Lang::Nl)));
        view! {
            <div id="server"><ErrorPanel error=ApiError::Server { status: 503 } on_retry=move |_| retries.update(|n| *n += 1) /></div>
            <div id="missing"><ErrorPanel error=ApiError::NotFound on_retry=|_| () /></div>
        }
    });
    tick().await;
    let server = root
        .query_selector("#server [role=alert]")
        .unwrap()
        .unwrap();
    assert!(server
        .text_content()
        .unwrap()
        .contains("De server had een probleem"));
    let button: web_sys::HtmlElement = root
        .query_selector("#server button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    button.click();
    tick().await;
    assert_eq!(retries.get_untracked(), 2);
    assert!(root.query_selector("#missing button").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn an_unauthorized_error_ends_the_session() {
    let root = container();
    let session = Session(RwSignal::new(SessionState::Checking));
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n(RwSignal::new(Lang::En)));
        provide_context(session);
        view! { <ErrorPanel error=ApiError::Unauthorized on_retry=|_| () /> }
    });
    tick().await;
    assert_eq!(session.0.get_untracked(), SessionState::SignedOut);
    assert!(root
        .text_content()
        .unwrap()
        .contains("Your session has ended"));
}

/// A save (a Leptos Action) that met an ended session shows "your session has ended" under its
/// form; once the customer has signed in again in the dialog, that line goes, and a later failure of
/// another kind stays.
#[wasm_bindgen_test]
async fn a_failed_save_action_forgets_the_ended_session_after_signing_in_again() {
    use rapport_api::Profile;
    use rapport_portal::components::error_panel::{clear_on_reauth, message, save_failure};
    use rapport_portal::components::save::Save;
    let root = container();
    let profile = Profile {
        id: 7,
        name: "Ann".into(),
        email: "ann@example.test".into(),
        customer_since: "2024-01-01T00:00:00Z".into(),
        staff: false,
    };
    let session = Session(RwSignal::new(SessionState::SignedIn(profile.clone())));
    let outcome = RwSignal::new(Err::<(), ApiError>(ApiError::Unauthorized));
    let save = StoredValue::new_local(None::<Save>);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n(RwSignal::new(Lang::En)));
        provide_context(session);
        let action = Save::new();
        save.set_value(Some(action));
        clear_on_reauth(action.value());
        let pending = action.pending();
        view! {
            <p role="alert">
                {move || save_failure(action.value().read().as_ref(), pending.get())
                    .map(|e| message(rapport_portal::i18n::texts(Lang::En), &e))}
            </p>
        }
    });
    let alert = || {
        root.query_selector("[role=alert]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    let action = save.get_value().unwrap();
    let attempt = move || {
        let result = outcome.get_untracked();
        action.run(async move { result });
    };
    attempt();
    for _ in 0..3 {
        tick().await;
    }
    assert!(alert().contains("Your session has ended"), "{}", alert());

    session.expired();
    tick().await;
    assert!(
        alert().contains("Your session has ended"),
        "still there behind the dialog"
    );
    session.signed_in(profile);
    for _ in 0..2 {
        tick().await;
    }
    assert_eq!(alert(), "", "gone after signing in again");

    // Any other failure is not the session's and stays after a sign-in.
    outcome.set(Err(ApiError::Timeout));
    attempt();
    for _ in 0..3 {
        tick().await;
    }
    assert!(alert().contains("too long"), "{}", alert());
    session.signed_in(Profile {
        id: 7,
        name: "Ann".into(),
        email: "ann@example.test".into(),
        customer_since: "2024-01-01T00:00:00Z".into(),
        staff: false,
    });
    tick().await;
    assert!(alert().contains("too long"));
}

#[wasm_bindgen_test]
async fn loaded_shows_an_error_then_the_data_after_retry() {
    use rapport_portal::components::loaded::Loaded;
    let root = container();
    let attempts = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n(RwSignal::new(Lang::En)));
        let attempts = attempts.clone();
        let data = LocalResource::new(move || {
            let n = attempts.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async move {
                if n == 0 {
                    Err(ApiError::Timeout)
                } else {
                    Ok(format!("answer {n}"))
                }
            }
        });
        let render = |text: String| view! { <p id="data">{text}</p> };
        view! { <Loaded data render /> }
    });
    for _ in 0..5 {
        tick().await;
    }
    let alert = root
        .query_selector("[role=alert]")
        .unwrap()
        .expect("an error panel");
    assert!(alert.text_content().unwrap().contains("taking too long"));
    let retry: web_sys::HtmlElement = root
        .query_selector("[role=alert] button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    retry.click();
    for _ in 0..5 {
        tick().await;
    }
    let data = root
        .query_selector("#data")
        .unwrap()
        .expect("the data after retry");
    assert_eq!(data.text_content().unwrap(), "answer 1");
    assert!(root.query_selector("[role=alert]").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn an_expired_session_opens_a_dialog_over_the_page_and_keeps_its_input() {
    use rapport_api::Profile;
    use rapport_portal::components::require_session::RequireSession;
    let root = container();
    let profile = Profile {
        id: 1,
        name: "Ann".into(),
        email: "ann@example.test".into(),
        customer_since: "2024-01-01T00:00:00Z".into(),
        staff: false,
    };
    let session = Session(RwSignal::new(SessionState::SignedIn(profile)));
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n(RwSignal::new(Lang::En)));
        provide_context(session);
        view! {
            <Router>
                <RequireSession>
                    <input id="draft" />
                </RequireSession>
            </Router>
        }
    });
    tick().await;
    let input: web_sys::HtmlInputElement = root
        .query_selector("#draft")
        .unwrap()
        .unwrap()
        .unchecked_into();
    input.set_value("half-typed complaint");
    assert!(root.query_selector("dialog").unwrap().is_none());

    session.expired();
    for _ in 0..3 {
        tick().await;
    }
    let dialog: web_sys::HtmlDialogElement = root
        .query_selector("dialog")
        .unwrap()
        .expect("a re-authentication dialog")
        .unchecked_into();
    assert!(dialog.open(), "shown as a modal");
    assert!(dialog.text_content().unwrap().contains("ann@example.test"));
    let still_there: web_sys::HtmlInputElement = root
        .query_selector("#draft")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(still_there.value(), "half-typed complaint");
    assert!(
        input.is_same_node(Some(&still_there)),
        "the page was not re-rendered"
    );
}

// ---------------------------------------------------------------------------------------------------
// Charts (src/components/charts.rs)

mod charts {
    use super::container;
    use leptos::prelude::*;
    use leptos::task::tick;
    use rapport_portal::components::charts::{
        svg_markup, Band, BandChart, Bar, BarChart, ChartText, Count, Histogram, Pair, PairChart,
    };
    use wasm_bindgen_test::*;

    const SVG_NS: &str = "http://www.w3.org/2000/svg";

    fn text(title: &str, columns: &[&str]) -> ChartText {
        ChartText {
            title: title.into(),
            description: format!("{title}, described"),
            table_summary: "Data table".into(),
            download: "Download SVG".into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            file_name: "chart".into(),
        }
    }

    fn all(root: &web_sys::Element, selector: &str) -> u32 {
        root.query_selector_all(selector).unwrap().length()
    }

    /// The SVG of the chart in `root`, after checking that it is an image named by its own title and
    /// description.
    fn named_svg(root: &web_sys::Element, title: &str) -> web_sys::Element {
        let svg = root
            .query_selector("figure.chart svg[role=img]")
            .unwrap()
            .expect("an SVG image");
        assert_eq!(svg.namespace_uri().as_deref(), Some(SVG_NS));
        let ids = svg
            .get_attribute("aria-labelledby")
            .expect("aria-labelledby");
        let parts: Vec<String> = ids
            .split_whitespace()
            .map(|id| {
                let el = svg
                    .query_selector(&format!("#{id}"))
                    .unwrap()
                    .unwrap_or_else(|| panic!("#{id} inside the SVG"));
                // An HTML <title> would not name the image.
                assert_eq!(el.namespace_uri().as_deref(), Some(SVG_NS));
                el.text_content().unwrap_or_default()
            })
            .collect();
        assert_eq!(
            parts,
            vec![title.to_string(), format!("{title}, described")]
        );
        let caption = root.query_selector("figcaption").unwrap().unwrap();
        assert_eq!(caption.text_content().unwrap(), title);
        svg
    }

    fn body_rows(root: &web_sys::Element) -> Vec<Vec<String>> {
        let rows = root.query_selector_all("details table tbody tr").unwrap();
        (0..rows.length())
            .filter_map(|i| rows.item(i))
            .map(|row| {
                let cells = wasm_bindgen::JsCast::unchecked_into::<web_sys::Element>(row)
                    .query_selector_all("th, td")
                    .unwrap();
                (0..cells.length())
                    .filter_map(|j| cells.item(j))
                    .map(|c| c.text_content().unwrap_or_default())
                    .collect()
            })
            .collect()
    }

    #[wasm_bindgen_test]
    async fn bar_chart_is_a_named_image_with_its_numbers_in_a_table() {
        let root = container();
        let bars = vec![
            Bar {
                label: "Tangibles".into(),
                value: 0.4,
                low: Some(0.1),
                high: Some(0.7),
            },
            Bar {
                label: "Reliability".into(),
                value: -0.52,
                low: None,
                high: None,
            },
            Bar {
                label: "Responsiveness".into(),
                value: f64::NAN,
                low: None,
                high: None,
            },
        ];
        let _mounted = leptos::mount::mount_to(root.clone(), move || {
            view! { <BarChart text=text("Gaps", &["Dimension", "Gap", "95% CI"]) bars domain=(-3.0, 3.0) /> }
        });
        tick().await;
        let svg = named_svg(&root, "Gaps");
        assert_eq!(
            body_rows(&root),
            vec![
                vec!["Tangibles", "0.40", "0.10 – 0.70"],
                vec!["Reliability", "-0.52", "—"],
                vec!["Responsiveness", "—", "—"],
            ]
        );
        assert_eq!(all(&root, "details summary"), 1);
        assert_eq!(all(&root, "thead th"), 3);
        // The NaN bar draws nothing; the others draw a bar each, the interval a whisker.
        assert_eq!(all(&svg, "rect.bar"), 2);
        assert_eq!(all(&svg, "rect.bar.negative"), 1);
        assert_eq!(all(&svg, "g.whisker"), 1);
        assert_eq!(all(&svg, "line.zero"), 1);
        // Direction is told by the sign too, not only by colour.
        let values: Vec<String> = {
            let list = svg.query_selector_all("text.value").unwrap();
            (0..list.length())
                .filter_map(|i| list.item(i))
                .map(|t| t.text_content().unwrap_or_default())
                .collect()
        };
        assert_eq!(values, vec!["+0.40", "\u{2212}0.52", "—"]);
        let button = root.query_selector("figure button").unwrap().unwrap();
        assert_eq!(button.text_content().unwrap().trim(), "Download SVG");
    }

    #[wasm_bindgen_test]
    async fn each_chart_names_its_own_image() {
        let root = container();
        let _mounted = leptos::mount::mount_to(root.clone(), move || {
            let one = vec![Bar {
                label: "A".into(),
                value: 1.0,
                low: None,
                high: None,
            }];
            let two = one.clone();
            view! {
                <div id="one"><BarChart text=text("One", &["", ""]) bars=one domain=(0.0, 5.0) /></div>
                <div id="two"><BarChart text=text("Two", &["", ""]) bars=two domain=(0.0, 5.0) /></div>
            }
        });
        tick().await;
        let one = root.query_selector("#one").unwrap().unwrap();
        let two = root.query_selector("#two").unwrap().unwrap();
        let a = named_svg(&one, "One").get_attribute("aria-labelledby");
        let b = named_svg(&two, "Two").get_attribute("aria-labelledby");
        assert_ne!(a, b);
        // All positive: no zero line, no signs.
        assert_eq!(all(&one, "line.zero"), 0);
        assert_eq!(
            one.query_selector("text.value")
                .unwrap()
                .unwrap()
                .text_content()
                .unwrap(),
            "1.00"
        );
    }

    #[wasm_bindgen_test]
    async fn pair_chart_shows_both_values_and_their_difference() {
        let root = container();
        let rows = vec![
            Pair {
                label: "Keeps promises".into(),
                a: Some(6.2),
                b: Some(5.1),
            },
            Pair {
                label: "Prompt service".into(),
                a: Some(5.0),
                b: None,
            },
        ];
        let _mounted = leptos::mount::mount_to(root.clone(), move || {
            view! {
                <PairChart text=text("Expectation and perception", &["Item", "Expected", "Perceived", "Gap"])
                    rows a_label="Expected".to_string() b_label="Perceived".to_string() domain=(1.0, 7.0) />
            }
        });
        tick().await;
        let svg = named_svg(&root, "Expectation and perception");
        assert_eq!(
            body_rows(&root),
            vec![
                vec!["Keeps promises", "6.20", "5.10", "-1.10"],
                vec!["Prompt service", "5.00", "—", "—"],
            ]
        );
        // Two shapes: a circle for each a, a square for each b (plus one of each in the legend).
        assert_eq!(all(&svg, "circle.marker-a"), 3);
        assert_eq!(all(&svg, "rect.marker-b"), 2);
        assert_eq!(all(&svg, "line.joint"), 1);
        assert!(svg.text_content().unwrap().contains("\u{2212}1.10"));
    }

    #[wasm_bindgen_test]
    async fn band_chart_marks_where_the_point_falls() {
        let root = container();
        let rows = vec![
            Band {
                label: "Reliability".into(),
                low: 5.0,
                high: 6.5,
                point: Some(4.2),
            },
            Band {
                label: "Empathy".into(),
                low: 4.5,
                high: 6.0,
                point: Some(5.5),
            },
            Band {
                label: "Assurance".into(),
                low: f64::NAN,
                high: 6.0,
                point: None,
            },
        ];
        let _mounted = leptos::mount::mount_to(root.clone(), move || {
            view! { <BandChart text=text("Zone of tolerance", &["Dimension", "Adequate", "Desired", "Perceived"]) rows domain=(1.0, 7.0) /> }
        });
        tick().await;
        let svg = named_svg(&root, "Zone of tolerance");
        assert_eq!(
            body_rows(&root),
            vec![
                vec!["Reliability", "5.00", "6.50", "4.20"],
                vec!["Empathy", "4.50", "6.00", "5.50"],
                vec!["Assurance", "—", "6.00", "—"],
            ]
        );
        assert_eq!(all(&svg, "rect.band"), 2);
        assert_eq!(all(&svg, "path.point"), 2);
    }

    #[wasm_bindgen_test]
    async fn histogram_has_a_column_and_a_row_per_count() {
        let root = container();
        let counts: Vec<Count> = (0..=10)
            .map(|score| Count {
                label: score.to_string(),
                count: (score * 3) % 7,
            })
            .collect();
        let _mounted = leptos::mount::mount_to(root.clone(), move || {
            view! { <Histogram text=text("Recommendation scores", &["Score", "Answers"]) counts /> }
        });
        tick().await;
        let svg = named_svg(&root, "Recommendation scores");
        let rows = body_rows(&root);
        assert_eq!(rows.len(), 11);
        assert_eq!(rows[3], vec!["3", "2"]);
        // Zero counts (scores 0 and 7) draw no column but still say 0.
        assert_eq!(all(&svg, "rect.bar"), 9);
        assert_eq!(all(&svg, "text.value"), 11);
    }

    #[wasm_bindgen_test]
    async fn long_labels_are_shortened_with_the_full_text_as_a_tooltip() {
        let root = container();
        let long = "Employees of the firm give customers personal attention";
        let bars = vec![Bar {
            label: long.into(),
            value: 2.0,
            low: None,
            high: None,
        }];
        let _mounted = leptos::mount::mount_to(root.clone(), move || {
            view! { <BarChart text=text("Labels", &["", ""]) bars domain=(0.0, 5.0) /> }
        });
        tick().await;
        let label = root.query_selector("svg text.label").unwrap().unwrap();
        let tooltip = label
            .query_selector("title")
            .unwrap()
            .expect("a title child");
        assert_eq!(tooltip.namespace_uri().as_deref(), Some(SVG_NS));
        assert_eq!(tooltip.text_content().unwrap(), long);
        let shown = label.first_child().unwrap().text_content().unwrap();
        assert!(
            shown.ends_with('…') && shown.chars().count() <= 22,
            "{shown}"
        );
        // The table keeps the whole label.
        assert_eq!(body_rows(&root)[0][0], long);
    }

    #[wasm_bindgen_test]
    async fn the_saved_svg_is_a_standalone_file_that_parses() {
        let root = container();
        let bars = vec![
            Bar {
                label: "Q & A <fast>".into(),
                value: -1.25,
                low: Some(-2.0),
                high: Some(-0.5),
            },
            Bar {
                label: "Ünïcode".into(),
                value: 0.75,
                low: None,
                high: None,
            },
        ];
        let _mounted = leptos::mount::mount_to(root.clone(), move || {
            view! { <BarChart text=text("Saved", &["", "", ""]) bars domain=(-3.0, 3.0) /> }
        });
        tick().await;
        let svg = root.query_selector("figure.chart svg").unwrap().unwrap();
        let markup = svg_markup(&svg).expect("serialised");
        assert!(markup.starts_with("<?xml"));

        let parsed = web_sys::DomParser::new()
            .unwrap()
            .parse_from_string(&markup, web_sys::SupportedType::ImageSvgXml)
            .unwrap();
        assert!(
            parsed.get_elements_by_tag_name("parsererror").length() == 0,
            "{markup}"
        );
        let file = parsed.document_element().unwrap();
        assert_eq!(file.local_name(), "svg");
        assert_eq!(file.namespace_uri().as_deref(), Some(SVG_NS));
        assert!(file.get_attribute("width").is_some() && file.get_attribute("height").is_some());
        assert!(file.get_attribute("font-family").is_some());
        assert_eq!(
            file.query_selector("title")
                .unwrap()
                .unwrap()
                .text_content()
                .unwrap(),
            "Saved"
        );
        assert!(file.text_content().unwrap().contains("Q & A <fast>"));
        // Colours travel as attributes, so the file needs no stylesheet.
        let bar = file.query_selector("rect.bar").unwrap().unwrap();
        assert!(bar.get_attribute("fill").is_some());
        // The page's chart itself is untouched.
        assert!(svg.get_attribute("width").is_none());
    }
}

/// Text of the first element matching `selector`, with Intl's no-break spaces as plain spaces.
fn text_of(root: &web_sys::HtmlElement, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap()
        .replace(['\u{a0}', '\u{202f}'], " ")
}

#[wasm_bindgen_test]
async fn amounts_and_times_follow_the_language_and_the_customer_zone() {
    use rapport_portal::components::items_table::ItemsTable;
    use rapport_portal::format::{use_formats, CustomerZone};
    let root = container();
    let lang = RwSignal::new(Lang::En);
    let zone = CustomerZone::new();
    let item = rapport_api::OrderItem {
        id: 1,
        sku: "DK-120".into(),
        name: "Standing desk".into(),
        quantity: 1,
        unit_price_cents: 3_868_160,
    };
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n(lang));
        provide_context(zone);
        let fmt = use_formats();
        view! {
            <ItemsTable items=vec![item.clone()] currency="EUR".to_owned()><tr></tr></ItemsTable>
            <p id="at">{move || fmt.date_time("2024-03-05T23:30:00Z")}</p>
        }
    });
    tick().await;
    assert_eq!(text_of(&root, "tbody td.num:last-child"), "€38,681.60");
    lang.set(Lang::Nl);
    tick().await;
    assert_eq!(text_of(&root, "tbody td.num:last-child"), "€ 38.681,60");
    lang.set(Lang::De);
    tick().await;
    assert_eq!(text_of(&root, "tbody td.num:last-child"), "38.681,60 €");

    // Once the preference centre's zone is known, times move to it and say so.
    zone.0.set(Some("Europe/Amsterdam".into()));
    tick().await;
    assert_eq!(text_of(&root, "#at"), "6. März 2024, 00:30 MEZ");
    lang.set(Lang::Nl);
    tick().await;
    assert_eq!(text_of(&root, "#at"), "6 mrt 2024, 00:30 CET");
}

#[wasm_bindgen_test]
async fn codes_are_translated_and_unknown_codes_marked() {
    use rapport_portal::components::code_label::{code, CodeLabel};
    let root = container();
    let lang = RwSignal::new(Lang::Nl);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n(lang));
        view! {
            <p id="known"><CodeLabel label=code(|t| t.labels.payment_method, "bank transfer".into()) /></p>
            <p id="note"><CodeLabel label=code(|t| t.labels.request_note, "Request received".into()) /></p>
            <p id="unknown"><CodeLabel label=code(|t| t.labels.payment_method, "Klarna".into()) /></p>
        }
    });
    tick().await;
    assert_eq!(text_of(&root, "#known"), "Bankoverschrijving");
    assert_eq!(text_of(&root, "#note"), "Aanvraag ontvangen");
    assert!(root
        .query_selector("#known [data-untranslated]")
        .unwrap()
        .is_none());
    let unknown = root
        .query_selector("#unknown [data-untranslated]")
        .unwrap()
        .unwrap();
    assert_eq!(unknown.text_content().unwrap(), "Klarna (niet vertaald)");
    assert!(unknown.get_attribute("title").is_some());
    lang.set(Lang::De);
    tick().await;
    assert_eq!(text_of(&root, "#known"), "Banküberweisung");
    assert_eq!(text_of(&root, "#unknown"), "Klarna (nicht übersetzt)");
}

#[wasm_bindgen_test]
async fn consent_changes_read_as_sentences_in_the_customer_language() {
    use rapport_portal::components::consent_changes::ConsentChanges;
    use serde_json::json;
    let root = container();
    let lang = RwSignal::new(Lang::Nl);
    let changes = vec![
        rapport_api::Change {
            field: "permissions.email.newsletter".into(),
            old: json!(true),
            new: json!(false),
        },
        rapport_api::Change {
            field: "caps.offers".into(),
            old: json!(null),
            new: json!({"max": 2, "per": "month"}),
        },
        rapport_api::Change {
            field: "loyalty_tier".into(),
            old: json!("gold"),
            new: json!("silver"),
        },
    ];
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n(lang));
        view! { <ConsentChanges changes=changes.clone() /> }
    });
    tick().await;
    let items = root.query_selector_all("li").unwrap();
    let line = |i: u32| items.item(i).unwrap().text_content().unwrap();
    assert_eq!(line(0), "E-mail · Nieuwsbrief: aan → uit");
    assert!(line(1).starts_with("Aanbiedingen: "), "{}", line(1));
    assert!(line(1).contains("2"), "{}", line(1));
    assert_eq!(
        line(2),
        "loyalty_tier: \"gold\" → \"silver\" (niet vertaald)"
    );
    lang.set(Lang::En);
    tick().await;
    let items = root.query_selector_all("li").unwrap();
    assert_eq!(
        items.item(0).unwrap().text_content().unwrap(),
        "E-mail · Newsletter: on → off"
    );
}

// The account and privacy lifecycle's components, in a file of their own.
#[path = "web/privacy.rs"]
mod privacy;

/// The browser's JSON readers for the session's calls (rapport_api::browser) read what serde_json reads
/// from the same text, and refuse what it refuses.
mod browser_json {
    use rapport_api::{browser, ErrorBody, Profile, SessionInfo};
    use wasm_bindgen_test::*;

    fn profile(text: &str) -> Option<Profile> {
        browser::parse(text).and_then(|v| browser::profile(&v))
    }

    #[wasm_bindgen_test]
    fn profiles_read_as_serde_reads_them() {
        for text in [
            r#"{"id":7,"name":"Ann de Vries","email":"ann@example.test","customer_since":"2021-03-04","staff":true}"#,
            // `staff` defaults to false.
            r#"{"id":1,"name":"Bo","email":"bo@example.test","customer_since":"2020-01-01T00:00:00Z"}"#,
            r#"{"id":-3,"name":"\u00e9\ud83d\ude00","email":"","customer_since":"","staff":false,"extra":[1]}"#,
            r#"{"id":9007199254740991,"name":"Max","email":"m@x.test","customer_since":"2024-01-01"}"#,
        ] {
            let expected: Profile = serde_json::from_str(text).unwrap();
            assert_eq!(profile(text), Some(expected), "{text}");
        }
    }

    #[wasm_bindgen_test]
    fn malformed_profiles_are_refused_like_serde_refuses_them() {
        for text in [
            r#"{"id":"7","name":"Ann","email":"a@x.test","customer_since":"2021"}"#,
            r#"{"id":7.5,"name":"Ann","email":"a@x.test","customer_since":"2021"}"#,
            r#"{"id":7,"email":"a@x.test","customer_since":"2021"}"#,
            r#"{"id":7,"name":null,"email":"a@x.test","customer_since":"2021"}"#,
            r#"{"id":7,"name":"Ann","email":"a@x.test","customer_since":"2021","staff":"yes"}"#,
            r#""Ann""#,
            "null",
            "{not json",
        ] {
            assert!(serde_json::from_str::<Profile>(text).is_err(), "{text}");
            assert_eq!(profile(text), None, "{text}");
        }
        // serde also reads a struct from a positional array; the contract always sends objects, and
        // the browser reader refuses anything else.
        assert_eq!(profile(r#"[7,"Ann","a@x.test","2021"]"#), None);
        // Beyond 2^53 a JavaScript number is no longer exact: refused rather than read wrongly.
        assert_eq!(
            profile(r#"{"id":9007199254740993,"name":"A","email":"","customer_since":""}"#),
            None
        );
    }

    #[wasm_bindgen_test]
    fn the_session_answer_names_the_customer_or_nobody() {
        let signed_in: SessionInfo = serde_json::from_str(
            r#"{"customer":{"id":2,"name":"C","email":"c@x.test","customer_since":"2022-02-02"}}"#,
        )
        .unwrap();
        let value = browser::parse(
            r#"{"customer":{"id":2,"name":"C","email":"c@x.test","customer_since":"2022-02-02"}}"#,
        )
        .unwrap();
        assert_eq!(
            browser::profile(&browser::member(&value, "customer")),
            signed_in.customer
        );
        let nobody = browser::parse(r#"{"customer":null}"#).unwrap();
        assert!(browser::member(&nobody, "customer").is_null());
    }

    #[wasm_bindgen_test]
    fn error_bodies_read_as_serde_reads_them() {
        for text in [
            r#"{"error":{"code":"invalid_fields","message":"Check the form.","fields":[{"field":"phone","problem":"invalid_format"},{"field":"addresses[0].city","problem":"required"}]}}"#,
            r#"{"error":{"code":"not_found","message":"No such order."}}"#,
        ] {
            let expected = serde_json::from_str::<ErrorBody>(text).unwrap().error;
            assert_eq!(browser::error_detail(text), Some(expected), "{text}");
        }
        for text in [
            "<html>Bad gateway</html>",
            "",
            r#"{"error":"nope"}"#,
            r#"{"error":{"code":"x"}}"#,
            r#"{"error":{"code":"x","message":"y","fields":[{"field":"a"}]}}"#,
            r#"{"error":{"code":"x","message":"y","fields":"a"}}"#,
        ] {
            assert!(serde_json::from_str::<ErrorBody>(text).is_err(), "{text}");
            assert_eq!(browser::error_detail(text), None, "{text}");
        }
    }

    #[wasm_bindgen_test]
    fn request_bodies_are_json_with_every_character_escaped() {
        let text =
            browser::object_text(&[("email", "a\"b@x.test"), ("password", "p\\w\n\u{1F600}")])
                .unwrap();
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["email"], "a\"b@x.test");
        assert_eq!(back["password"], "p\\w\n\u{1F600}");
    }
}

/// The preference centre's form waits for the time zone's read of the preferences when it may reuse
/// it; a read dropped before it answered (its session or page went) must send the form to the server
/// instead of leaving it waiting for ever.
#[wasm_bindgen_test]
async fn a_kept_read_hands_over_its_answer_or_lets_go_when_dropped() {
    use rapport_portal::recent_read;
    const PREFS: &str = "/api/v1/preferences";
    const ORDER: &str = "/api/v1/orders/7";

    let reading = recent_read::keep(PREFS);
    let other = recent_read::keep(ORDER);
    let kept = recent_read::take(PREFS).expect("a fresh read is there to take");
    assert!(
        recent_read::take(PREFS).is_none(),
        "a kept read is taken once"
    );
    reading.done(&Ok(("{}".to_owned(), Some("\"v1\"".to_owned()))));
    let answer = kept
        .answer()
        .await
        .expect("answered")
        .expect("a good answer");
    assert_eq!(answer.1.as_deref(), Some("\"v1\""));
    assert!(
        recent_read::take(ORDER).is_some(),
        "reads of other paths are kept apart"
    );
    drop(other);

    let reading = recent_read::keep(PREFS);
    let kept = recent_read::take(PREFS).expect("a fresh read is there to take");
    drop(reading);
    assert!(
        kept.answer().await.is_none(),
        "a dropped read lets the form ask anew"
    );

    let _reading = recent_read::keep(PREFS);
    let _order = recent_read::keep(ORDER);
    recent_read::forget(PREFS);
    assert!(
        recent_read::take(PREFS).is_none(),
        "a forgotten read is not taken"
    );
    recent_read::forget_all();
    assert!(
        recent_read::take(ORDER).is_none(),
        "after a sign-out no read is taken"
    );
}

/// A kept read that failed is handed over like a good one: the page shows the error as if it had
/// asked (its retry asks anew). Here nothing listens, so a read of its own would fail with a network
/// error, not with the kept read's 500.
#[wasm_bindgen_test]
async fn a_failed_kept_read_is_the_page_answer_and_a_retry_asks_anew() {
    use rapport_portal::recent_read;
    const ORDER: &str = "/api/v1/orders/8";
    let client = rapport_api::client::Client::new("http://127.0.0.1:9");

    let reading = recent_read::keep(ORDER);
    reading.done(&Err(rapport_api::ApiError::Server { status: 500 }));
    let answer = recent_read::get(&client, ORDER).await;
    assert!(
        matches!(answer, Err(rapport_api::ApiError::Server { status: 500 })),
        "the kept error: {answer:?}"
    );
    let again = recent_read::get(&client, ORDER).await;
    assert!(
        matches!(again, Err(rapport_api::ApiError::Network)),
        "the retry asks anew: {again:?}"
    );

    let reading = recent_read::keep(ORDER);
    reading.done(&Ok(("{\"id\":8}".to_owned(), None)));
    let answer = recent_read::get(&client, ORDER).await;
    assert_eq!(
        answer.map(|(body, _)| body).ok().as_deref(),
        Some("{\"id\":8}")
    );
}

/// A read kept before it starts: a page that asks meanwhile waits for it; when it may not start
/// (nobody signed in: its reading is dropped), the page is let go to ask itself.
#[wasm_bindgen_test]
async fn a_read_kept_before_it_starts_answers_or_lets_the_page_ask_itself() {
    use rapport_portal::recent_read;
    const OVERVIEW: &str = "/api/v1/overview-probe";
    let client = rapport_api::client::Client::new("http://127.0.0.1:9");
    let reading = recent_read::keep(OVERVIEW);
    let kept = recent_read::take(OVERVIEW).expect("kept before it starts");
    drop(reading);
    assert!(kept.answer().await.is_none(), "let go without an answer");

    let reading = recent_read::keep(OVERVIEW);
    let kept = recent_read::take(OVERVIEW).expect("kept before it starts");
    recent_read::start(&client, OVERVIEW.to_owned(), reading);
    let answer = kept.answer().await.expect("the read ran and answered");
    assert!(
        matches!(answer, Err(rapport_api::ApiError::Network)),
        "{answer:?}"
    );
}
