//! The components of the account and privacy lifecycle (#22): the access-log panel, the staff deletion
//! queue and its decisions, and the forms for getting back in. They run against a stand-in for the
//! browser's `fetch` that answers as the reference server does and records what was sent, so each test
//! checks both what the component shows and what it asks of the server.

use super::container;
use leptos::prelude::*;
use leptos_router::components::Router;
use rapport_portal::format::CustomerZone;
use rapport_portal::i18n::{I18n, Lang};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

#[wasm_bindgen(inline_js = r#"
let original = null;
export function stub_fetch(answers) {
  const queue = JSON.parse(answers);
  if (original === null) original = window.fetch;
  window.__rapportCalls = [];
  window.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const body = request.method === 'GET' ? '' : await request.clone().text();
    window.__rapportCalls.push({
      method: request.method,
      path: new URL(request.url).pathname,
      body,
      key: request.headers.get('idempotency-key'),
    });
    const answer = queue.length > 1 ? queue.shift() : queue[0];
    const text = answer.body === null ? '' : JSON.stringify(answer.body);
    return new Response(answer.status === 204 ? null : text, {
      status: answer.status,
      headers: { 'content-type': 'application/json' },
    });
  };
}
export function fetch_calls() {
  return JSON.stringify(window.__rapportCalls ?? []);
}
export function restore_fetch() {
  if (original !== null) window.fetch = original;
}
export function wait_ms(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
"#)]
extern "C" {
    fn stub_fetch(answers: &str);
    fn fetch_calls() -> String;
    fn restore_fetch();
    fn wait_ms(ms: u32) -> js_sys::Promise;
}

/// Puts the stand-in in place: each call gets the next `(status, body)`; the last one repeats.
fn answers(list: &[(u16, Value)]) {
    let list: Vec<Value> = list
        .iter()
        .map(|(status, body)| json!({ "status": status, "body": body }))
        .collect();
    stub_fetch(&Value::Array(list).to_string());
}

/// The calls made so far: method, path, body and idempotency key.
fn calls() -> Vec<Value> {
    serde_json::from_str(&fetch_calls()).unwrap()
}

/// Waits (up to about 2 s) until `done` holds, letting fetches and effects run.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        let _ = wasm_bindgen_futures::JsFuture::from(wait_ms(10)).await;
    }
    panic!("timed out waiting for {what}");
}

/// A moment for anything that might (wrongly) still happen.
async fn settle() {
    let _ = wasm_bindgen_futures::JsFuture::from(wait_ms(50)).await;
}

fn text(root: &web_sys::Element) -> String {
    root.text_content().unwrap_or_default()
}

fn all_texts(root: &web_sys::Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.text_content().unwrap_or_default())
        .collect()
}

fn element<T: JsCast>(root: &web_sys::Element, selector: &str) -> T {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector}"))
        .unchecked_into()
}

/// Types into a field as a person would: the value, then an input event.
fn type_into(root: &web_sys::Element, selector: &str, value: &str) {
    let field: web_sys::HtmlElement = element(root, selector);
    js_sys::Reflect::set(&field, &"value".into(), &value.into()).unwrap();
    let event = web_sys::Event::new_with_event_init_dict("input", &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    })
    .unwrap();
    field.dispatch_event(&event).unwrap();
}

fn button(root: &web_sys::Element, label: &str) -> Option<web_sys::HtmlElement> {
    let list = root.query_selector_all("button").unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .find(|b| b.text_content().unwrap_or_default() == label)
        .map(|b| b.unchecked_into())
}

fn contexts(lang: RwSignal<Lang>) {
    provide_context(I18n(lang));
    provide_context(CustomerZone::new());
}

// ---- Access log ----

#[wasm_bindgen_test]
async fn the_access_log_names_who_looked_and_what_they_did_in_the_customer_language() {
    use rapport_portal::components::preferences::access_log::AccessLogPanel;
    answers(&[(
        200,
        json!({ "entries": [
            { "at": "2026-03-05T10:30:00Z", "staff": "Sam Staff", "action": "view_customer" },
            { "at": "2026-03-04T09:00:00Z", "staff": null, "action": "decide_deletion" },
            { "at": "2026-03-03T08:00:00Z", "staff": "Sam Staff", "action": "a_new_kind_of_look" },
        ]}),
    )]);
    let root = container();
    let lang = RwSignal::new(Lang::En);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        contexts(lang);
        view! { <AccessLogPanel /> }
    });
    until("the entries", || {
        all_texts(&root, "[data-testid=access-log] li").len() == 3
    })
    .await;
    let entries = all_texts(&root, "[data-testid=access-log] li");
    assert!(
        entries[0].contains("Sam Staff") && entries[0].contains("Opened your customer page"),
        "{entries:?}"
    );
    assert!(
        entries[1].contains("A former staff member")
            && entries[1].contains("Handled your deletion request"),
        "{entries:?}"
    );
    // An action this portal does not know yet still reads as a sentence.
    assert!(entries[2].contains("Worked with your data"), "{entries:?}");
    let time: web_sys::Element = element(&root, "[data-testid=access-log] li time");
    assert_eq!(
        time.get_attribute("datetime").as_deref(),
        Some("2026-03-05T10:30:00Z")
    );
    let called = calls();
    assert_eq!(
        (called.len(), &called[0]["method"], &called[0]["path"]),
        (1, &json!("GET"), &json!("/api/v1/access-log"))
    );

    lang.set(Lang::Nl);
    until("Dutch", || text(&root).contains("Opende uw klantpagina")).await;
    assert!(text(&root).contains("Een voormalige medewerker"));
    lang.set(Lang::De);
    until("German", || {
        text(&root).contains("Hat Ihre Kundenseite geöffnet")
    })
    .await;
    assert!(text(&root).contains("Ein ehemaliges Teammitglied"));
    restore_fetch();
}

#[wasm_bindgen_test]
async fn an_empty_access_log_says_nobody_looked() {
    use rapport_portal::components::preferences::access_log::AccessLogPanel;
    answers(&[(200, json!({ "entries": [] }))]);
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        contexts(RwSignal::new(Lang::En));
        view! { <AccessLogPanel /> }
    });
    until("the empty state", || {
        text(&root).contains("Nobody at the firm has looked at your data yet.")
    })
    .await;
    assert!(root
        .query_selector("[data-testid=access-log]")
        .unwrap()
        .is_none());
    restore_fetch();
}

// ---- Deletion queue ----

fn queued(id: i64, name: &str, status: &str, due_at: &str) -> Value {
    json!({
        "id": id, "customer_id": 40 + id, "customer_name": name, "status": status,
        "created_at": "2026-01-31T12:00:00Z", "updated_at": "2026-01-31T12:00:00Z",
        "due_at": due_at, "reason": null,
    })
}

fn card(root: &web_sys::Element, n: u32) -> web_sys::Element {
    root.query_selector_all("[data-testid=deletion-request]")
        .unwrap()
        .item(n)
        .unwrap_or_else(|| panic!("card {n}"))
        .unchecked_into()
}

fn state_of(card: &web_sys::Element) -> String {
    element::<web_sys::Element>(card, "[data-testid=deletion-state]")
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_deletion_queue_shows_deadlines_and_offers_only_the_decisions_left() {
    use rapport_portal::pages::staff_deletions::StaffDeletionsPage;
    answers(&[(
        200,
        json!({ "requests": [
            // Past its deadline and still open: marked overdue.
            queued(1, "Jonas Weber", "received", "2026-02-28T12:00:00Z"),
            // Carried out: the name is gone and nothing is left to decide.
            queued(2, "", "completed", "2026-02-28T12:00:00Z"),
            queued(3, "Eva Braun", "confirmed", "2999-01-01T00:00:00Z"),
        ]}),
    )]);
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        contexts(RwSignal::new(Lang::En));
        view! { <StaffDeletionsPage /> }
    });
    until("three cards", || {
        all_texts(&root, "[data-testid=deletion-request]").len() == 3
    })
    .await;

    let received = card(&root, 0);
    assert!(text(&received).contains("Jonas Weber"));
    assert_eq!(state_of(&received), "Received");
    assert!(text(&received).contains("Overdue"), "{}", text(&received));
    assert!(button(&received, "Start review").is_some());
    assert!(button(&received, "Carry out erasure").is_some());
    assert!(button(&received, "Refuse").is_some());

    let done = card(&root, 1);
    assert!(text(&done).contains("Erased customer"));
    assert_eq!(state_of(&done), "Done");
    assert!(
        !text(&done).contains("Overdue"),
        "a closed request is never overdue"
    );
    assert_eq!(
        done.query_selector_all("button, textarea")
            .unwrap()
            .length(),
        0
    );

    let in_review = card(&root, 2);
    assert_eq!(state_of(&in_review), "In review");
    assert!(!text(&in_review).contains("Overdue"));
    assert!(
        button(&in_review, "Start review").is_none(),
        "already in review"
    );
    assert!(button(&in_review, "Carry out erasure").is_some());
    restore_fetch();
}

#[wasm_bindgen_test]
async fn a_deletion_decision_sends_what_staff_chose_and_shows_the_outcome() {
    use rapport_portal::pages::staff_deletions::StaffDeletionsPage;
    let open = queued(7, "Jonas Weber", "received", "2999-01-01T00:00:00Z");
    let mut reviewed = open.clone();
    reviewed["status"] = json!("confirmed");
    answers(&[
        (200, json!({ "requests": [open] })),
        (200, reviewed),
        (
            409,
            json!({ "error": { "code": "conflict", "message": "Decided already." } }),
        ),
    ]);
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        contexts(RwSignal::new(Lang::En));
        view! { <StaffDeletionsPage /> }
    });
    until("the card", || {
        root.query_selector("[data-testid=deletion-request]")
            .unwrap()
            .is_some()
    })
    .await;
    let card = card(&root, 0);

    button(&card, "Start review").unwrap().click();
    until("in review", || state_of(&card) == "In review").await;
    assert!(button(&card, "Start review").is_none());
    let review = &calls()[1];
    assert_eq!(review["method"], "POST");
    assert_eq!(review["path"], "/api/v1/staff/deletion-requests/7");
    assert_eq!(
        serde_json::from_str::<Value>(review["body"].as_str().unwrap()).unwrap(),
        json!({ "decision": "review" })
    );

    // Refusing needs a reason: without one the browser keeps the form from being sent.
    button(&card, "Refuse").unwrap().click();
    settle().await;
    assert_eq!(calls().len(), 2, "nothing sent without a reason");

    type_into(&card, "textarea", "Open warranty claim.");
    button(&card, "Refuse").unwrap().click();
    until("the conflict", || text(&card).contains("changed elsewhere")).await;
    let refuse = &calls()[2];
    assert_eq!(
        serde_json::from_str::<Value>(refuse["body"].as_str().unwrap()).unwrap(),
        json!({ "decision": "refuse", "reason": "Open warranty claim." })
    );
    // The refused call changed nothing here.
    assert_eq!(state_of(&card), "In review");
    let alert: web_sys::Element = element(&card, "[role=alert]");
    assert!(alert.text_content().unwrap().contains("Reload"));
    restore_fetch();
}

// ---- Getting back in ----

#[wasm_bindgen_test]
async fn the_link_form_sends_only_an_address_and_answers_the_same_for_any() {
    use rapport_portal::pages::password_link::PasswordLinkPage;
    answers(&[(202, json!({ "status": "accepted" }))]);
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        contexts(RwSignal::new(Lang::En));
        view! {
            <div id="forgot"><PasswordLinkPage first_access=false /></div>
            <div id="access"><PasswordLinkPage first_access=true /></div>
        }
    });
    let forgot: web_sys::Element = element(&root, "#forgot");
    let access: web_sys::Element = element(&root, "#access");
    assert_eq!(
        element::<web_sys::Element>(&forgot, "h1")
            .text_content()
            .unwrap(),
        "Forgot your password"
    );
    assert_eq!(
        element::<web_sys::Element>(&access, "h1")
            .text_content()
            .unwrap(),
        "Get access to your account"
    );

    // An empty address is not sent: the browser's own check first, then the form's for blanks.
    let field: web_sys::HtmlInputElement = element(&forgot, "input[type=email]");
    assert!(!field.check_validity(), "required");
    button(&forgot, "Send the link").unwrap().click();
    let form: web_sys::HtmlFormElement = element(&forgot, "form");
    form.dispatch_event(&web_sys::Event::new("submit").unwrap())
        .unwrap();
    settle().await;
    assert!(calls().is_empty(), "{:?}", calls());

    type_into(&forgot, "input[type=email]", "anna@example.test");
    assert!(field.check_validity());
    button(&forgot, "Send the link").unwrap().click();
    until("the answer", || {
        text(&forgot).contains("If an account has this address")
    })
    .await;
    type_into(&access, "input[type=email]", "new@example.test");
    button(&access, "Send the link").unwrap().click();
    until("the second answer", || {
        text(&access).contains("If an account has this address")
    })
    .await;
    let sent = calls();
    assert_eq!(sent[0]["path"], "/api/v1/password-reset");
    assert_eq!(
        serde_json::from_str::<Value>(sent[0]["body"].as_str().unwrap()).unwrap(),
        json!({ "email": "anna@example.test" })
    );
    assert_eq!(sent[1]["path"], "/api/v1/first-access");

    // Typing again clears the answer, so an old "on its way" never stands beside a new address.
    type_into(&forgot, "input[type=email]", "anna@example.tes");
    until("the answer gone", || {
        !text(&forgot).contains("If an account has this address")
    })
    .await;
    restore_fetch();
}

#[wasm_bindgen_test]
async fn the_link_form_says_when_the_limit_is_reached() {
    use rapport_portal::pages::password_link::PasswordLinkPage;
    answers(&[(
        429,
        json!({ "error": { "code": "rate_limited", "message": "Later." } }),
    )]);
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        contexts(RwSignal::new(Lang::De));
        view! { <PasswordLinkPage first_access=false /> }
    });
    type_into(&root, "input[type=email]", "anna@example.test");
    button(&root, "Link senden").unwrap().click();
    until("the limit", || text(&root).contains("Zu viele")).await;
    assert!(
        !text(&root).contains("unterwegs"),
        "no 'on its way' after a refusal"
    );
    restore_fetch();
}

/// The set-password page as reached from a link with `fragment` (`#token=…` or nothing), mounted
/// until dropped. It takes the token out of the address bar; dropping puts the test page's own
/// address back.
struct SetPasswordPage {
    root: web_sys::HtmlElement,
    address: String,
    _mounted: Box<dyn std::any::Any>,
}

impl SetPasswordPage {
    fn open(fragment: &str, lang: Lang) -> Self {
        use rapport_portal::pages::set_password::SetPasswordPage;
        let location = web_sys::window().unwrap().location();
        let address = location.href().unwrap();
        location.set_hash(fragment).unwrap();
        let root = container();
        let mounted = leptos::mount::mount_to(root.clone(), move || {
            contexts(RwSignal::new(lang));
            view! { <Router><SetPasswordPage /></Router> }
        });
        Self {
            root,
            address,
            _mounted: Box::new(mounted),
        }
    }
}

impl Drop for SetPasswordPage {
    fn drop(&mut self) {
        if let Ok(history) = web_sys::window().unwrap().history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&self.address));
        }
    }
}

#[wasm_bindgen_test]
async fn without_a_token_the_set_password_page_offers_a_new_link() {
    answers(&[(500, Value::Null)]);
    let page = SetPasswordPage::open("", Lang::Nl);
    let root = page.root.clone();
    until("the page", || {
        text(&root).contains("Kies een nieuw wachtwoord")
    })
    .await;
    assert!(text(&root).contains("Deze link is verlopen of al gebruikt."));
    assert!(root.query_selector("input").unwrap().is_none());
    let again: web_sys::Element = element(&root, "a");
    assert_eq!(
        again.get_attribute("href").as_deref(),
        Some("/forgot-password")
    );
    restore_fetch();
}

#[wasm_bindgen_test]
async fn the_new_password_is_checked_here_then_by_the_server() {
    let token = "ab".repeat(32);
    answers(&[
        (
            422,
            json!({ "error": { "code": "invalid_fields", "message": "x",
                                 "fields": [{ "field": "password", "problem": "too_short" }] } }),
        ),
        (
            410,
            json!({ "error": { "code": "link_expired", "message": "x" } }),
        ),
    ]);
    let page = SetPasswordPage::open(&format!("#token={token}"), Lang::En);
    let root = page.root.clone();
    // The token leaves the address bar at once.
    let hash = web_sys::window().unwrap().location().hash().unwrap();
    assert_eq!(hash, "");
    let field: web_sys::HtmlInputElement = element(&root, "#set-password");
    // Empty: the browser keeps the form from being sent.
    assert!(!field.check_validity(), "required");
    button(&root, "Set password and sign in").unwrap().click();
    settle().await;
    assert!(calls().is_empty(), "an empty password is not sent");
    // The browser also holds typed text to the server's minimum; a value set by a script skips that
    // check, so this one reaches the server, whose rule the page then shows in the reader's words.
    assert_eq!((field.min_length(), field.required()), (10, true));
    type_into(&root, "#set-password", "nine char");
    button(&root, "Set password and sign in").unwrap().click();
    until("the server's problem", || {
        text(&root).contains("Use at least 10 characters.")
    })
    .await;
    let sent = &calls()[0];
    assert_eq!(sent["path"], "/api/v1/password-reset/confirm");
    assert_eq!(
        serde_json::from_str::<Value>(sent["body"].as_str().unwrap()).unwrap(),
        json!({ "token": token, "password": "nine char" })
    );
    assert!(
        !text(&root).contains("This link has expired"),
        "the form stays for another try"
    );

    // A spent link: the form goes and a new link is offered.
    button(&root, "Set password and sign in").unwrap().click();
    until("the spent link", || {
        text(&root).contains("This link has expired or was used already.")
    })
    .await;
    assert!(root.query_selector("#set-password").unwrap().is_none());
    restore_fetch();
}
