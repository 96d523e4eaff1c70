// What a technician notices without looking closely: a big red alert with a low buzz for an
// error, a short high beep and a green line for success.
import { clear } from './dom.js';

let audio;
function tone(frequency, seconds, type) {
  try {
    audio = audio || new AudioContext();
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = type;
    oscillator.frequency.value = frequency;
    gain.gain.value = 0.15;
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + seconds);
  } catch {
    // No sound device: the colours still say it.
  }
}

export function showError(message) {
  const alert = document.getElementById('alert');
  alert.textContent = message;
  alert.hidden = false;
  document.getElementById('status').textContent = '';
  tone(180, 0.45, 'square');
}

export function showOk(message) {
  hideError();
  const status = document.getElementById('status');
  status.textContent = message;
  tone(1200, 0.08, 'sine');
}

export function hideError() {
  const alert = document.getElementById('alert');
  alert.hidden = true;
  clear(alert);
}

// Runs an API call; on failure shows its message and returns undefined.
export async function attempt(work) {
  try {
    return await work();
  } catch (error) {
    showError(error.message || String(error));
    return undefined;
  }
}
