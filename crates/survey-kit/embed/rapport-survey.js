// <rapport-survey instrument="servqual" lang="nl"></rapport-survey>: the embeddable Rapport survey.
// One module script defines the element; each instance renders into its own shadow root, so the host
// page's styles and the widget's never mix. No inline code, no router, no listeners on the host page.
//
// Attributes: instrument (default "nps"), endpoint (API base; default: /api/v1 on the server this
// script comes from), lang (else the page's, else the browser's), context (scope of the saved draft;
// default: the page's path), firm (the firm's name in the questions), segment, show-scores.
// Events (bubbling, composed): rapport-started, rapport-answered, rapport-submitted, rapport-error.
// Method: reset() forgets the saved answers and starts again.
import init, { mount_survey, clear_draft } from './rapport_survey_kit.js';

const ready = init({ module_or_path: new URL('./rapport_survey_kit_bg.wasm', import.meta.url) });
const stylesheet = new URL('./rapport-survey.css', import.meta.url).href;
const defaultEndpoint = new URL('/api/v1', import.meta.url).href.replace(/\/$/, '');
let counter = 0;

class RapportSurvey extends HTMLElement {
  static observedAttributes = ['instrument', 'endpoint', 'lang', 'context', 'firm', 'segment', 'show-scores'];

  options() {
    const attr = (name) => this.getAttribute(name);
    return {
      endpoint: (attr('endpoint') || defaultEndpoint).replace(/\/$/, ''),
      instrument: attr('instrument') || 'nps',
      lang: attr('lang') || document.documentElement.lang || navigator.language || 'en',
      context: attr('context') || location.pathname,
      firm: attr('firm') || document.title || '',
      segment: attr('segment'),
      showScores: this.hasAttribute('show-scores'),
    };
  }

  async connectedCallback() {
    if (this._handle || this._mounting) return;
    this._mounting = true;
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    root.replaceChildren();
    // A <link> (not a <style>) so host pages whose CSP forbids inline styles still style the widget.
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = stylesheet;
    const container = document.createElement('div');
    container.className = 'rs-root';
    root.append(link, container);
    try {
      await ready;
      if (!this.isConnected) return;
      const o = this.options();
      this._name ??= `rapport-survey-${++counter}`;
      this._handle = mount_survey(this, container, o.endpoint, o.instrument, o.lang, this._name, o.context, o.firm, o.showScores, o.segment ?? undefined);
    } catch (error) {
      this.dispatchEvent(new CustomEvent('rapport-error', { bubbles: true, composed: true, detail: { code: 'start_failed', message: String(error) } }));
    } finally {
      this._mounting = false;
    }
  }

  disconnectedCallback() {
    this._handle?.unmount();
    this._handle = undefined;
  }

  attributeChangedCallback(_name, before, after) {
    if (before !== after && this._handle) {
      this.disconnectedCallback();
      this.connectedCallback();
    }
  }

  /** Forgets the saved answers of this survey and starts again with an empty one. */
  async reset() {
    await ready;
    const o = this.options();
    this.disconnectedCallback();
    await clear_draft(o.endpoint, o.instrument, o.context);
    await this.connectedCallback();
  }
}

if (!customElements.get('rapport-survey')) customElements.define('rapport-survey', RapportSurvey);
