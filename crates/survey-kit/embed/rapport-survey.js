// <rapport-survey lang="nl"></rapport-survey>: the embeddable Rapport survey.
// One module script defines the element; each instance renders into its own shadow root, so the host
// page's styles and the widget's never mix. No inline code, no global listeners, no router.
import init, { mount_survey } from './rapport_survey_kit.js';

const ready = init({ module_or_path: new URL('./rapport_survey_kit_bg.wasm', import.meta.url) });
const stylesheet = new URL('./rapport-survey.css', import.meta.url).href;
let counter = 0;

class RapportSurvey extends HTMLElement {
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
      const lang = this.getAttribute('lang') || document.documentElement.lang || navigator.language || 'en';
      this._handle = mount_survey(this, container, lang, `rapport-survey-${++counter}`);
    } catch (error) {
      this.dispatchEvent(new CustomEvent('rapport-error', { bubbles: true, composed: true, detail: { message: String(error) } }));
    } finally {
      this._mounting = false;
    }
  }

  disconnectedCallback() {
    this._handle?.unmount();
    this._handle = undefined;
  }

  /** Clears the answers and starts again. */
  reset() {
    this.disconnectedCallback();
    this.connectedCallback();
  }
}

if (!customElements.get('rapport-survey')) customElements.define('rapport-survey', RapportSurvey);
