// Shows the widget's events, as a firm's page might use them.
const log = document.getElementById('log');
for (const name of ['rapport-started', 'rapport-answered', 'rapport-submitted', 'rapport-error']) {
  document.addEventListener(name, (event) => {
    const detail = event.detail ? ` ${JSON.stringify(event.detail)}` : '';
    log.textContent = `${name}${detail}`;
  });
}
for (const button of document.querySelectorAll('button[data-reset]')) {
  button.addEventListener('click', () => document.getElementById(button.dataset.reset).reset());
}
