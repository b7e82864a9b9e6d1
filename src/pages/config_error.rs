//! Shown instead of the portal when `rapport.config.json` is wrong: every problem, with where it is.

use crate::i18n::{use_i18n, I18n};
use leptos::prelude::*;
use rapport_connect::config::Problem;

#[component]
pub fn ConfigError(problems: Vec<Problem>) -> impl IntoView {
    // Mounted on its own (the app never started), so it sets up the language itself.
    let lang = RwSignal::new(crate::app::initial_lang());
    provide_context(I18n(lang));
    let i18n = use_i18n();
    Effect::new(move |_| {
        crate::pages::set_title(i18n.t().config.config_error_title);
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", i18n.lang().tag());
        }
    });
    view! {
        <main id="main" tabindex="-1">
            <section class="card config-error" aria-labelledby="config-error-title">
                <h1 id="config-error-title">{i18n.text(|t| t.config.config_error_title)}</h1>
                <p>{i18n.text(|t| t.config.config_error_intro)}</p>
                <ul class="config-problems" data-testid="config-problems">
                    {problems
                        .into_iter()
                        .map(|problem| {
                            let kind = problem.kind.clone();
                            view! {
                                <li>
                                    {(!problem.path.is_empty()).then(|| view! { <code>{problem.path.clone()}</code> ": " })}
                                    {move || (i18n.t().config.config_problem)(&kind)}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <p>{i18n.text(|t| t.config.config_error_help)}</p>
            </section>
        </main>
    }
}
