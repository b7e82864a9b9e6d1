// Starts the portal's WebAssembly. An external module (not Trunk's inline loader) so that the page runs
// under a CSP without 'unsafe-inline'. Trunk writes the hashed file names into this tag's attributes.
const tag = document.querySelector('script[data-wasm]');
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });
