// The analyst worker's entry (a module worker). All work happens in Wasm; this file only starts it.
import init from './rapport_analyst_worker.js';

init().catch((error) => {
  self.postMessage({ kind: 'error', message: String(error) });
});
