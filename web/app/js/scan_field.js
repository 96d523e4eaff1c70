// The barcode field every bench screen shares: a USB scanner types the code and Enter; the
// field empties at once, ready for the next tube, and takes the focus back when it is lost to
// nothing in particular.
import { h, field } from './dom.js';
import { t, en } from './i18n.js';

export function scanField(onScan, { keepFocus = true } = {}) {
  const input = h('input', {
    type: 'text', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false',
    class: 'scan', inputmode: 'text', enterkeyhint: 'go',
  });
  input.addEventListener('keydown', async (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const code = input.value.trim();
    input.value = '';
    if (!code) return;
    const started = performance.now();
    await onScan(code);
    // Read by the Enter-to-screen benchmark (bench/ui_scan.mjs).
    document.body.dataset.lastScanMs = String(performance.now() - started);
  });
  if (keepFocus) {
    input.addEventListener('blur', () => setTimeout(() => {
      const active = document.activeElement;
      if (input.isConnected && (!active || active === document.body)) input.focus();
    }, 0));
  }
  const wrapper = field(t('barcode'), input, en('barcode'));
  wrapper.classList.add('scan-field');
  queueMicrotask(() => input.focus());
  return { element: wrapper, input };
}
