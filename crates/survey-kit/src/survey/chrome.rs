//! The parts of the form around the questions: progress, the server's objections, the navigation and
//! the delivery status line.

use super::form::Form;
use crate::draft::Delivery;
use crate::i18n::texts;
use crate::outbox::Status;
use crate::steps::{self, Step};
use leptos::prelude::*;

/// "Step 2 of 4" and how many questions are answered.
#[component]
pub(super) fn Progress(form: Form) -> impl IntoView {
    let t = texts(form.lang);
    let progress = move || {
        form.draft
            .with(|d| form.inst.with_value(|i| steps::progress(i, &d.answers)))
    };
    let answered = move || {
        let (a, b) = progress();
        (t.answered_of)(a, b)
    };
    view! {
        <div class="rs-progress">
            <span>{move || (t.step_of)(form.current.get() + 1, form.last + 1)}</span>
            <progress
                max=move || progress().1
                value=move || progress().0
                aria-label=answered
            ></progress>
            <span class="rs-count" aria-hidden="true">{answered}</span>
        </div>
    }
}

/// The answers the server (or the core's own check) refused, each with a way to its step.
#[component]
pub(super) fn Problems(form: Form) -> impl IntoView {
    let t = texts(form.lang);
    move || {
        let Status::Invalid(problems) = form.status.get() else {
            return None;
        };
        let firm = form.firm();
        let items = problems
            .into_iter()
            .map(|p| {
                let (label, target) = form.inst.with_value(|i| {
                    let target = form
                        .steps
                        .with_value(|s| steps::step_of_item(i, s, &p.field));
                    (steps::label_of(i, &p.field, form.lang, &firm), target)
                });
                let change = target.map(|to| {
                    let on_click = move |_| {
                        form.status.set(Status::Idle);
                        form.go(to);
                    };
                    view! { <button type="button" class="rs-link" on:click=on_click>{t.change}</button> }
                });
                view! { <li>{label} ": " {(t.problem)(&p.problem)} " " {change}</li> }
            })
            .collect_view();
        Some(view! {
            <div class="rs-error" role="alert">
                <p>{t.fix_heading}</p>
                <ul>{items}</ul>
            </div>
        })
    }
}

/// What is still missing on the step, and back / next.
#[component]
pub(super) fn Nav(form: Form) -> impl IntoView {
    let t = texts(form.lang);
    let queued = form.queued;
    // The allocation step lets the respondent on only when its points add up.
    let blocked = move || {
        form.step() == Step::Allocation
            && !form.draft.with(|d| {
                form.inst
                    .with_value(|i| steps::allocation_ok(i, &d.answers))
            })
    };
    let next_label = move || {
        let here = form.current.get();
        if here == form.last {
            t.send
        } else if form
            .steps
            .with_value(|s| s.get(here + 1) == Some(&Step::Review))
        {
            t.to_review
        } else {
            t.next
        }
    };
    let missing = move || {
        let n = form.missing.with(Vec::len);
        (n > 0).then(|| (t.still_missing)(n))
    };
    view! {
        <p class="rs-missing" role="alert">{missing}</p>
        <div class="rs-nav">
            <button
                type="button"
                class="rs-button rs-secondary"
                disabled=move || form.current.get() == 0 || queued.get()
                on:click=move |_| form.go(form.current.get_untracked().saturating_sub(1))
            >
                {t.back}
            </button>
            <button
                type="button"
                class="rs-button"
                disabled=move || blocked() || queued.get()
                on:click=move |_| form.next()
            >
                {next_label}
            </button>
        </div>
    }
}

/// Where the answers are (saved here, sending, offline, retrying, refused) and a way to try now.
#[component]
pub(super) fn StatusLine(form: Form) -> impl IntoView {
    let t = texts(form.lang);
    let status = form.status;
    let line = move || {
        let status = status.get();
        form.draft.with(|d| match (status, &d.delivery) {
            (_, Delivery::Sent { .. } | Delivery::AnsweredElsewhere) => None,
            (Status::Sending, _) => Some(t.sending.to_owned()),
            (Status::Offline, _) => Some(t.offline.to_owned()),
            (Status::Retrying(s), _) => Some((t.retrying)(s)),
            (Status::Refused(code), _) => Some((t.refused)(code)),
            _ if !form.persistent => Some(t.not_saved_here.to_owned()),
            _ if form.saved_once.get() || !d.answers.is_empty() => Some(t.saved_here.to_owned()),
            _ => None,
        })
    };
    let waiting = move || matches!(status.get(), Status::Retrying(_) | Status::Refused(_));
    let label = move || {
        if matches!(status.get(), Status::Refused(_)) {
            t.try_again
        } else {
            t.send_now
        }
    };
    view! {
        <p class="rs-status" role="status">{line}</p>
        {move || waiting().then(|| view! {
            <button type="button" class="rs-button rs-secondary" on:click=move |_| form.retry_now()>
                {label}
            </button>
        })}
    }
}

/// What could not be loaded (the survey, or a step's code), with a button that tries again.
pub(super) fn load_failed(
    message: &'static str,
    try_again: &'static str,
    retry: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <div class="rs-error" role="alert">
            <p>{message}</p>
            <button type="button" class="rs-button" on:click=move |_| retry()>
                {try_again}
            </button>
        </div>
    }
}
