//! The survey: loads an instrument, shows it step by step, saves every answer on the device, and
//! delivers the finished response through a persistent outbox. One component for the portal and the
//! widget.

use crate::draft::{Delivery, Draft};
use crate::i18n::{texts, Lang};
use crate::questions::{AllocationQuestion, ScaleRow, ZoneStatement};
use crate::retry::{backoff_ms, classify, Outcome, Problem};
use crate::steps::{self, Step};
use crate::store::Store;
use crate::transport::{self, Alarm, Reply};
use leptos::either::{Either, EitherOf4};
use leptos::prelude::*;
use rapport_core::Instrument;
use wasm_bindgen::JsCast;

/// How long one submission may take before it counts as "no answer" (and is retried, same key).
const SEND_TIMEOUT_MS: i32 = 15_000;
const LOAD_TIMEOUT_MS: i32 = 15_000;

/// What the host (portal page or custom element) tells the survey.
#[derive(Clone, Debug, PartialEq)]
pub struct SurveyConfig {
    /// API base URL, e.g. `/api/v1`.
    pub endpoint: String,
    /// Instrument id, e.g. `servqual`.
    pub instrument: String,
    pub lang: Lang,
    /// Prefix for element ids and radio names, unique on the page.
    pub name: String,
    /// Scope of the draft: the same survey in the same context continues the same draft.
    pub context: String,
    /// The firm's name, for `{firm}` in the instrument's texts.
    pub firm: String,
    /// Show the respondent their own scores after sending.
    pub show_scores: bool,
    /// Segment label sent with the response.
    pub segment: Option<String>,
    /// The invitation the survey answers (portal): the server links the answer to its order.
    pub invitation: Option<String>,
}

impl SurveyConfig {
    fn draft_key(&self) -> String {
        draft_key(&self.endpoint, &self.instrument, &self.context)
    }
}

/// Storage key of a draft.
pub fn draft_key(endpoint: &str, instrument: &str, context: &str) -> String {
    format!("draft|{endpoint}|{instrument}|{context}")
}

/// What the survey reports to its host.
#[derive(Clone, Debug, PartialEq)]
pub enum SurveyEvent {
    Started { instrument: String },
    Answered { item: String, value: Option<i64> },
    Submitted { id: String },
    Error { code: String, message: String },
}

/// Delivery as the respondent sees it.
#[derive(Clone, Debug, PartialEq)]
enum Status {
    Idle,
    Sending,
    Offline,
    Retrying(u32),
    Invalid(Vec<Problem>),
    Refused(u16),
}

#[derive(Clone)]
struct Loaded {
    inst: Instrument,
    store: Store,
    draft: Draft,
}

async fn load(c: SurveyConfig) -> Option<Loaded> {
    let store = Store::open().await;
    let cache_key = format!("instrument|{}|{}", c.endpoint, c.instrument);
    let url = format!(
        "{}/instruments/{}",
        c.endpoint.trim_end_matches('/'),
        js_sys::encode_uri_component(&c.instrument)
    );
    let fetched = match transport::request("GET", &url, None, None, LOAD_TIMEOUT_MS).await {
        Reply::Answer {
            status: 200, body, ..
        } => Instrument::from_served_json(&body).ok().map(|i| (i, body)),
        _ => None,
    };
    // Offline or a broken reply: the copy saved with the draft lets the respondent go on.
    let inst = match fetched {
        Some((inst, body)) => {
            store.put(&cache_key, &body).await;
            inst
        }
        None => Instrument::from_served_json(&store.get(&cache_key).await?).ok()?,
    };
    let reference = inst.reference();
    let fresh = Draft::new(transport::new_key(), reference.clone());
    let saved = store.get_or_init(&c.draft_key(), &fresh.to_json()).await;
    let draft = match Draft::restore(&saved, &reference) {
        Some(d) => d,
        None => {
            store.put(&c.draft_key(), &fresh.to_json()).await;
            fresh
        }
    };
    Some(Loaded { inst, store, draft })
}

/// Removes the saved draft, so that the next mount starts afresh with a new idempotency key.
pub async fn clear_draft(endpoint: &str, instrument: &str, context: &str) {
    Store::open()
        .await
        .delete(&draft_key(endpoint, instrument, context))
        .await;
}

/// A survey, from loading to the receipt.
#[component]
pub fn Survey(
    config: SurveyConfig,
    #[prop(optional, into)] on_event: Option<Callback<SurveyEvent>>,
) -> impl IntoView {
    let t = texts(config.lang);
    let loader = config.clone();
    let data = LocalResource::new(move || load(loader.clone()));
    let emit = move |e: SurveyEvent| {
        if let Some(cb) = on_event {
            cb.run(e);
        }
    };
    let started = config.instrument.clone();
    let lang_tag = config.lang.tag();
    view! {
        <div class="rs-survey" lang=lang_tag>
            <Suspense fallback=move || view! { <p class="rs-note" role="status">{t.loading}</p> }>
                {move || {
                    let config = config.clone();
                    let started = started.clone();
                    Suspend::new(async move {
                        match data.await {
                            Some(loaded) => {
                                emit(SurveyEvent::Started { instrument: started });
                                Either::Left(view! { <SurveyForm loaded config emit=Callback::new(emit) /> })
                            }
                            None => {
                                emit(SurveyEvent::Error {
                                    code: "load_failed".into(),
                                    message: t.load_failed.into(),
                                });
                                Either::Right(view! {
                                    <div class="rs-error" role="alert">
                                        <p>{t.load_failed}</p>
                                        <button type="button" class="rs-button" on:click=move |_| data.refetch()>
                                            {t.try_again}
                                        </button>
                                    </div>
                                })
                            }
                        }
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn SurveyForm(loaded: Loaded, config: SurveyConfig, emit: Callback<SurveyEvent>) -> impl IntoView {
    let lang = config.lang;
    let t = texts(lang);
    let Loaded { inst, store, draft } = loaded;
    let step_list = steps::steps(&inst);
    let last = step_list.len().saturating_sub(1);
    let inst = StoredValue::new(inst);
    let store = StoredValue::new_local(store);
    let persistent = store.with_value(Store::is_persistent);
    let alarm = StoredValue::new_local(Alarm::default());
    let key = config.draft_key();
    let draft = RwSignal::new(draft);
    let status = RwSignal::new(Status::Idle);
    let saved_once = RwSignal::new(false);
    let missing = RwSignal::new(Vec::<String>::new());
    let busy = StoredValue::new(false);
    let root = NodeRef::<leptos::html::Section>::new();
    let config = StoredValue::new(config);

    let focus_heading = move || {
        // After the new step has rendered: move focus to its heading so that screen readers announce it.
        leptos::task::spawn_local(async move {
            // A step whose heading would repeat the survey's title has none: the title stands for it.
            let find = |selector: &str| {
                root.get_untracked()
                    .and_then(|r| r.query_selector(selector).ok().flatten())
            };
            if let Some(el) = find(".rs-step-heading")
                .or_else(|| find(".rs-title"))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        });
    };
    // The outbox: sends the queued response until the server has stored it or refused it. One loop per
    // page; the same key on every attempt (and in every tab) makes a repeat harmless.
    let deliver = Callback::new({
        let key = key.clone();
        move |()| {
            if busy.get_value() {
                return;
            }
            busy.set_value(true);
            let key = key.clone();
            leptos::task::spawn_local(async move {
                let url = config.with_value(|c| {
                    let base = format!("{}/survey-responses", c.endpoint.trim_end_matches('/'));
                    match &c.invitation {
                        Some(id) => {
                            format!("{base}?invitation={}", js_sys::encode_uri_component(id))
                        }
                        None => base,
                    }
                });
                let segment = config.with_value(|c| c.segment.clone());
                loop {
                    let Some(d) = draft.try_get_untracked() else {
                        return; // unmounted
                    };
                    let Delivery::Queued { attempts } = d.delivery else {
                        break;
                    };
                    if !transport::online() {
                        status.set(Status::Offline);
                        alarm.get_value().wait(None).await;
                        continue;
                    }
                    status.set(Status::Sending);
                    let body =
                        serde_json::to_string(&d.to_response(segment.clone())).unwrap_or_default();
                    let outcome = match transport::request(
                        "POST",
                        &url,
                        Some(&d.key),
                        Some(&body),
                        SEND_TIMEOUT_MS,
                    )
                    .await
                    {
                        Reply::Answer {
                            status,
                            body,
                            retry_after_ms,
                        } => classify(status, &body, retry_after_ms),
                        Reply::Nothing => Outcome::Retry { after_ms: None },
                    };
                    if draft.try_get_untracked().is_none() {
                        return;
                    }
                    let store = store.get_value();
                    match outcome {
                        Outcome::Stored(receipt) => {
                            draft.update(|d| {
                                d.delivery = Delivery::Sent {
                                    id: receipt.id.clone(),
                                    received_at: receipt.received_at,
                                };
                            });
                            store.put(&key, &draft.with_untracked(Draft::to_json)).await;
                            status.set(Status::Idle);
                            emit.run(SurveyEvent::Submitted { id: receipt.id });
                            focus_heading();
                        }
                        Outcome::AnsweredElsewhere => {
                            draft.update(|d| d.delivery = Delivery::AnsweredElsewhere);
                            store.put(&key, &draft.with_untracked(Draft::to_json)).await;
                            status.set(Status::Idle);
                            focus_heading();
                        }
                        Outcome::Invalid(problems) => {
                            draft.update(|d| d.delivery = Delivery::Editing);
                            store.put(&key, &draft.with_untracked(Draft::to_json)).await;
                            emit.run(SurveyEvent::Error {
                                code: "invalid_response".into(),
                                message: t.fix_heading.into(),
                            });
                            status.set(Status::Invalid(problems));
                        }
                        Outcome::Refused {
                            status: code,
                            message,
                        } => {
                            emit.run(SurveyEvent::Error {
                                code: format!("http_{code}"),
                                message,
                            });
                            status.set(Status::Refused(code));
                        }
                        Outcome::Retry { after_ms } => {
                            draft.update(|d| {
                                d.delivery = Delivery::Queued {
                                    attempts: attempts + 1,
                                }
                            });
                            store.put(&key, &draft.with_untracked(Draft::to_json)).await;
                            let wait = after_ms
                                .unwrap_or_else(|| backoff_ms(attempts, js_sys::Math::random()));
                            status.set(if transport::online() {
                                Status::Retrying(wait.div_ceil(1000))
                            } else {
                                Status::Offline
                            });
                            alarm.get_value().wait(Some(wait)).await;
                            continue;
                        }
                    }
                    break;
                }
                let _ = busy.try_set_value(false);
            });
        }
    });

    // Takes over the state another tab left on the device for this survey: a queued response is sent
    // from here; a sent one is shown as answered elsewhere (this tab's own answers were not sent).
    let adopt = move |mut stored: Draft| {
        let queued = matches!(stored.delivery, Delivery::Queued { .. });
        if matches!(stored.delivery, Delivery::Sent { .. }) {
            stored.delivery = Delivery::AnsweredElsewhere;
        }
        draft.set(stored);
        focus_heading();
        if queued {
            deliver.run(());
        }
    };

    // Saves the draft after each change, unless another tab has meanwhile finished the same survey:
    // then this tab takes over that state (and its outbox) instead of overwriting it.
    let save = {
        let key = key.clone();
        let reference = inst.with_value(Instrument::reference);
        move || {
            let key = key.clone();
            let reference = reference.clone();
            let store = store.get_value();
            leptos::task::spawn_local(async move {
                let stored = store
                    .get(&key)
                    .await
                    .and_then(|s| Draft::restore(&s, &reference));
                if let Some(stored) = stored.filter(|s| !s.is_editable()) {
                    if draft.with_untracked(Draft::is_editable) {
                        adopt(stored);
                        return;
                    }
                }
                let Some(text) = draft.try_with_untracked(Draft::to_json) else {
                    return;
                };
                let ok = store.put(&key, &text).await;
                let _ = saved_once.try_set(ok && store.is_persistent());
            });
        }
    };

    let pick = Callback::new({
        let save = save.clone();
        move |(item, value): (String, Option<i64>)| {
            draft.update(|d| d.answer(&item, value));
            missing.update(|m| m.retain(|i| *i != item));
            save();
            emit.run(SurveyEvent::Answered { item, value });
        }
    });

    let go = Callback::new({
        let save = save.clone();
        move |to: usize| {
            draft.update(|d| d.step = to.min(last));
            missing.set(Vec::new());
            save();
            focus_heading();
        }
    });

    let submit = {
        let key = key.clone();
        move || {
            if busy.get_value() || !draft.with_untracked(Draft::is_editable) {
                return;
            }
            // The core checks the response here first, exactly as the server will.
            let segment = config.with_value(|c| c.segment.clone());
            let response = draft.with_untracked(|d| d.to_response(segment));
            if let Err(errors) = inst.with_value(|i| i.validate(&response)) {
                let problems = errors
                    .iter()
                    .map(|e| Problem {
                        field: e.field().to_owned(),
                        problem: e.code().to_owned(),
                    })
                    .collect();
                status.set(Status::Invalid(problems));
                return;
            }
            let key = key.clone();
            let reference = inst.with_value(Instrument::reference);
            leptos::task::spawn_local(async move {
                let store = store.get_value();
                // Another tab may have sent this survey meanwhile: then show that, and send nothing.
                if let Some(stored) = store
                    .get(&key)
                    .await
                    .and_then(|s| Draft::restore(&s, &reference))
                {
                    if !stored.is_editable() {
                        adopt(stored);
                        return;
                    }
                }
                draft.update(|d| {
                    d.finished_at = Some(String::from(js_sys::Date::new_0().to_iso_string()));
                    d.delivery = Delivery::Queued { attempts: 0 };
                });
                store.put(&key, &draft.with_untracked(Draft::to_json)).await;
                deliver.run(());
            });
        }
    };

    // Coming back online, or the page reopened with a response still in the outbox.
    let online = window_event_listener(leptos::ev::online, move |_| alarm.with_value(Alarm::ring));
    on_cleanup(move || {
        online.remove();
        alarm.try_with_value(Alarm::ring);
    });
    if draft.with_untracked(|d| matches!(d.delivery, Delivery::Queued { .. })) {
        deliver.run(());
    }

    let step_list = StoredValue::new(step_list);
    // Memos, so that answering a question (a draft change) does not rebuild the step and its inputs,
    // which would take the keyboard focus away.
    let current_step = Memo::new(move |_| draft.with(|d| d.step.min(last)));
    let current = move || current_step.get();
    let done = Memo::new(move |_| {
        draft.with(|d| {
            matches!(
                d.delivery,
                Delivery::Sent { .. } | Delivery::AnsweredElsewhere
            )
        })
    });
    let queued = Memo::new(move |_| draft.with(|d| matches!(d.delivery, Delivery::Queued { .. })));
    let progress = move || draft.with(|d| inst.with_value(|i| steps::progress(i, &d.answers)));
    let firm = config.with_value(|c| c.firm.clone());
    let name = config.with_value(|c| c.name.clone());
    let show_scores = config.with_value(|c| c.show_scores);
    let title = inst.with_value(|i| steps::text(&i.def().title, lang, &firm));
    let title_text = title.clone();

    let value_of =
        move |id: String| Signal::derive(move || draft.with(|d| d.answers.get(&id).copied()));

    let step_view = {
        let firm = firm.clone();
        let name = name.clone();
        move || {
            let step = step_list.with_value(|s| s[current()]);
            let firm = firm.clone();
            let name = name.clone();
            let invalid =
                move |id: String| Signal::derive(move || missing.with(|m| m.contains(&id)));
            match step {
                Step::Section(s) => {
                    let section = inst.with_value(|i| i.def().sections[s].clone());
                    let rows = section
                        .items
                        .iter()
                        .map(|item| {
                            view! {
                                <ScaleRow
                                    item=item.clone()
                                    lang
                                    firm=firm.clone()
                                    prefix=name.clone()
                                    value=value_of(item.id.clone())
                                    invalid=invalid(item.id.clone())
                                    on_pick=pick
                                />
                            }
                        })
                        .collect_view();
                    let heading = steps::text(&section.title, lang, &firm);
                    let heading = (heading != title_text).then(|| {
                        view! { <h3 class="rs-step-heading" tabindex="-1">{heading}</h3> }
                    });
                    EitherOf4::A(view! {
                        {heading}
                        <p class="rs-intro">{steps::text(&section.intro, lang, &firm)}</p>
                        <div class="rs-matrix">{rows}</div>
                    })
                }
                Step::Zone(d) => {
                    let (heading, columns, rows) = inst.with_value(|i| {
                        let dim = match i.shape() {
                            rapport_core::instrument::Shape::Dimensional(dims) => {
                                dims[d].id.clone()
                            }
                            _ => String::new(),
                        };
                        let columns: Vec<String> = i
                            .def()
                            .sections
                            .iter()
                            .map(|s| steps::text(&s.title, lang, &firm))
                            .collect();
                        let rows: Vec<[rapport_core::instrument::Item; 3]> =
                            steps::zone_items(i, d)
                                .into_iter()
                                .map(|r| r.map(Clone::clone))
                                .collect();
                        (steps::dimension_name(i, &dim, lang, &firm), columns, rows)
                    });
                    let intro = inst.with_value(|i| {
                        i.def()
                            .sections
                            .iter()
                            .map(|s| steps::text(&s.intro, lang, &firm))
                            .collect::<Vec<_>>()
                            .join(" ")
                    });
                    let rows = rows
                        .into_iter()
                        .map(|row| {
                            let values = row.clone().map(|i| value_of(i.id));
                            view! {
                                <ZoneStatement
                                    items=row
                                    columns=columns.clone()
                                    lang
                                    firm=firm.clone()
                                    prefix=name.clone()
                                    values
                                    on_pick=pick
                                />
                            }
                        })
                        .collect_view();
                    EitherOf4::B(view! {
                        <h3 class="rs-step-heading" tabindex="-1">{heading}</h3>
                        <p class="rs-intro">{intro}</p>
                        <div class="rs-matrix">{rows}</div>
                    })
                }
                Step::Allocation => {
                    let allocation = inst.with_value(|i| i.def().allocation.clone());
                    let answers = Signal::derive(move || draft.with(|d| d.answers.clone()));
                    EitherOf4::C(allocation.map(|a| {
                        view! { <AllocationQuestion allocation=a lang firm prefix=name answers on_pick=pick /> }
                    }))
                }
                Step::Review => EitherOf4::D(view! {
                    <Review inst draft lang firm steps=step_list go />
                }),
            }
        }
    };

    let next = {
        let submit = submit.clone();
        move |_| {
            let here = current();
            let step = step_list.with_value(|s| s[here]);
            let gaps = draft.with_untracked(|d| {
                inst.with_value(|i| steps::missing_required(i, step, &d.answers))
            });
            if !gaps.is_empty() {
                missing.set(gaps);
                return;
            }
            if here == last {
                submit();
            } else {
                go.run(here + 1);
            }
        }
    };
    let blocked = move || {
        let step = step_list.with_value(|s| s[current()]);
        step == Step::Allocation
            && !draft.with(|d| inst.with_value(|i| steps::allocation_ok(i, &d.answers)))
    };
    let next_label = move || {
        let here = current();
        if here == last {
            t.send
        } else if step_list.with_value(|s| s.get(here + 1) == Some(&Step::Review)) {
            t.to_review
        } else {
            t.next
        }
    };

    let firm_for_done = firm.clone();
    let body = move || {
        let d = draft.get_untracked();
        match done.get() {
            true => {
                let elsewhere = d.delivery == Delivery::AnsweredElsewhere;
                let scores = (show_scores && !elsewhere)
                    .then(|| {
                        inst.with_value(|i| {
                            let r = i.validate(&d.to_response(None)).ok()?;
                            let s = i.score(&r);
                            Some((
                                steps::score_note(&s.scores, lang),
                                steps::score_lines(i, &s.scores, lang, &firm_for_done),
                            ))
                        })
                    })
                    .flatten();
                Either::Left(view! {
                    <div class="rs-done">
                        <h3 class="rs-step-heading" tabindex="-1">{t.thanks_heading}</h3>
                        <p>{if elsewhere { t.elsewhere } else { t.thanks_body }}</p>
                        {scores.map(|(note, lines)| view! {
                            <table class="rs-scores">
                                <caption>{note}</caption>
                                <tbody>
                                    {lines.into_iter().map(|(k, v)| view! { <tr><th scope="row">{k}</th><td>{v}</td></tr> }).collect_view()}
                                </tbody>
                            </table>
                        })}
                    </div>
                })
            }
            false => Either::Right(view! {
                <fieldset class="rs-step" disabled=move || queued.get()>
                    {step_view.clone()}
                </fieldset>
                <p class="rs-missing" role="alert">
                    {move || { let n = missing.with(Vec::len); (n > 0).then(|| (t.still_missing)(n)) }}
                </p>
                <div class="rs-nav">
                    <button
                        type="button"
                        class="rs-button rs-secondary"
                        disabled=move || current() == 0 || queued.get()
                        on:click=move |_| go.run(current().saturating_sub(1))
                    >
                        {t.back}
                    </button>
                    <button
                        type="button"
                        class="rs-button"
                        disabled=move || blocked() || queued.get()
                        on:click=next.clone()
                    >
                        {next_label}
                    </button>
                </div>
            }),
        }
    };

    let problems_view = {
        let firm = firm.clone();
        move || match status.get() {
            Status::Invalid(problems) => {
                let firm = firm.clone();
                let items = problems
                    .into_iter()
                    .map(|p| {
                        let (label, target) = inst.with_value(|i| {
                            (steps::label_of(i, &p.field, lang, &firm), step_list.with_value(|s| steps::step_of_item(i, s, &p.field)))
                        });
                                                view! {
                            <li>
                                {label} ": " {(t.problem)(&p.problem)} " "
                                {target.map(|to| view! {
                                    <button type="button" class="rs-link" on:click=move |_| { status.set(Status::Idle); go.run(to) }>{t.change}</button>
                                })}
                            </li>
                        }
                    })
                    .collect_view();
                Some(view! {
                    <div class="rs-error" role="alert">
                        <p>{t.fix_heading}</p>
                        <ul>{items}</ul>
                    </div>
                })
            }
            _ => None,
        }
    };

    let status_line = move || {
        let d = draft.get();
        match (status.get(), &d.delivery) {
            (_, Delivery::Sent { .. } | Delivery::AnsweredElsewhere) => None,
            (Status::Sending, _) => Some(t.sending.to_owned()),
            (Status::Offline, _) => Some(t.offline.to_owned()),
            (Status::Retrying(s), _) => Some((t.retrying)(s)),
            (Status::Refused(code), _) => Some((t.refused)(code)),
            _ if !persistent => Some(t.not_saved_here.to_owned()),
            _ if saved_once.get() || !d.answers.is_empty() => Some(t.saved_here.to_owned()),
            _ => None,
        }
    };
    let retry_now = {
        let submit = submit.clone();
        move |_| match status.get_untracked() {
            Status::Refused(_) => {
                draft.update(|d| d.delivery = Delivery::Editing);
                status.set(Status::Idle);
                submit();
            }
            _ => alarm.with_value(Alarm::ring),
        }
    };

    view! {
        <section class="rs-form" node_ref=root aria-label=title.clone()>
            <h2 class="rs-title" tabindex="-1">{title.clone()}</h2>
            {move || (!done.get()).then(|| view! {
                <div class="rs-progress">
                    <span>{move || (t.step_of)(current() + 1, last + 1)}</span>
                    <progress
                        max=move || progress().1
                        value=move || progress().0
                        aria-label=move || { let (a, b) = progress(); (t.answered_of)(a, b) }
                    ></progress>
                    <span class="rs-count" aria-hidden="true">{move || { let (a, b) = progress(); (t.answered_of)(a, b) }}</span>
                </div>
            })}
            {problems_view}
            {body}
            <p class="rs-status" role="status">{status_line}</p>
            {move || matches!(status.get(), Status::Retrying(_) | Status::Refused(_)).then(|| view! {
                <button type="button" class="rs-button rs-secondary" on:click=retry_now.clone()>
                    {move || if matches!(status.get(), Status::Refused(_)) { t.try_again } else { t.send_now }}
                </button>
            })}
        </section>
    }
}

#[component]
fn Review(
    inst: StoredValue<Instrument>,
    draft: RwSignal<Draft>,
    lang: Lang,
    firm: String,
    steps: StoredValue<Vec<Step>>,
    go: Callback<usize>,
) -> impl IntoView {
    let t = texts(lang);
    let groups = inst.with_value(|i| {
        steps.with_value(|list| {
            list.iter()
                .enumerate()
                .filter(|(_, s)| **s != Step::Review)
                .map(|(n, s)| {
                    let (heading, ids): (String, Vec<String>) = match *s {
                        Step::Section(k) => {
                            let sec = &i.def().sections[k];
                            (
                                steps::text(&sec.title, lang, &firm),
                                sec.items.iter().map(|it| it.id.clone()).collect(),
                            )
                        }
                        Step::Zone(d) => {
                            let rows = steps::zone_items(i, d);
                            let dim = rows
                                .first()
                                .and_then(|r| r[0].dimension.clone())
                                .unwrap_or_default();
                            (
                                steps::dimension_name(i, &dim, lang, &firm),
                                rows.iter()
                                    .flat_map(|r| r.iter().map(|it| it.id.clone()))
                                    .collect(),
                            )
                        }
                        Step::Allocation | Step::Review => {
                            let a = i.def().allocation.as_ref();
                            (
                                a.map(|a| steps::text(&a.text, lang, &firm))
                                    .unwrap_or_default(),
                                a.map(|a| a.columns.iter().map(|c| c.id.clone()).collect())
                                    .unwrap_or_default(),
                            )
                        }
                    };
                    let lines: Vec<(String, String)> = ids
                        .iter()
                        .map(|id| (id.clone(), steps::label_of(i, id, lang, &firm)))
                        .collect();
                    (n, heading, lines)
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <h3 class="rs-step-heading" tabindex="-1">{t.review_heading}</h3>
        <p class="rs-intro">{t.review_intro}</p>
        {groups
            .into_iter()
            .map(|(n, heading, lines)| {
                let heading_for_button = heading.clone();
                view! {
                    <div class="rs-review">
                        <h4>{heading}</h4>
                        <dl>
                            {lines
                                .into_iter()
                                .map(|(id, label)| view! {
                                    <div class="rs-review-line">
                                        <dt>{label}</dt>
                                        <dd>{move || draft.with(|d| d.answers.get(&id).map(|v| v.to_string()).unwrap_or_else(|| t.not_answered.to_owned()))}</dd>
                                    </div>
                                })
                                .collect_view()}
                        </dl>
                        <button type="button" class="rs-link" aria-label=format!("{}: {}", t.change, heading_for_button) on:click=move |_| go.run(n)>
                            {t.change}
                        </button>
                    </div>
                }
            })
            .collect_view()}
    }
}
