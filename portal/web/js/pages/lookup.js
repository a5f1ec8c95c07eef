// Lookup page: a typed or pasted code, the phone camera where the browser has BarcodeDetector,
// or an uploaded photo (decoded by the server). Every path ends on the lot page.
import { ApiError, endpoints, field, post } from '../api.js';
import { t } from '../i18n.js';
import { errorNotice, fill, h } from '../format.js';
import { startShell } from '../shell.js';

startShell();

const lotPage = (code) => `/lot.html?code=${encodeURIComponent(code)}`;

// The element string for an answer, so the lot page shows the same lot.
function codeOfAnswer(ans) {
  const gtin = field(ans, 'gtin');
  const lot = typeof ans.lot === 'string' ? ans.lot : field(ans.lot || {}, 'lot');
  if (!gtin) return field(ans, 'code') || '';
  return `(01)${gtin}${lot ? `(10)${lot}` : ''}`;
}

document.getElementById('lookup-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const code = document.getElementById('code').value.trim();
  const status = document.getElementById('lookup-status');
  if (!code) {
    fill(status, h('div', { class: 'notice error', role: 'alert' }, t('lookup.empty')));
    document.getElementById('code').focus();
    return;
  }
  location.assign(lotPage(code));
});

document.getElementById('photo').addEventListener('change', async (ev) => {
  const file = ev.target.files && ev.target.files[0];
  const status = document.getElementById('photo-status');
  if (!file) return;
  fill(status, h('p', { class: 'loading', role: 'status' }, t('lookup.reading')));
  try {
    const ans = await post(endpoints.lookupImage, file, { headers: { 'Content-Type': file.type || 'application/octet-stream' } });
    const code = codeOfAnswer(ans);
    if (!code) throw new ApiError(422, 'NO_CODE_FOUND', '');
    location.assign(lotPage(code));
  } catch (e) {
    fill(status, errorNotice(e));
  }
});

// Camera scanning, only where the browser can decode barcodes itself.
const startButton = document.getElementById('scan-start');
const stopButton = document.getElementById('scan-stop');
const video = document.getElementById('scan-video');
let stream = null;

async function startScan() {
  const status = document.getElementById('photo-status');
  try {
    const wanted = ['ean_13', 'ean_8', 'upc_a', 'code_128', 'data_matrix', 'qr_code'];
    const supported = await window.BarcodeDetector.getSupportedFormats();
    const detector = new window.BarcodeDetector({ formats: wanted.filter((f) => supported.includes(f)) });
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    video.srcObject = stream;
    video.hidden = false;
    startButton.hidden = true;
    stopButton.hidden = false;
    await video.play();
    const tick = async () => {
      if (!stream) return;
      const found = await detector.detect(video).catch(() => []);
      if (found.length) {
        stopScan();
        location.assign(lotPage(found[0].rawValue));
        return;
      }
      setTimeout(tick, 250);
    };
    tick();
  } catch {
    stopScan();
    fill(status, h('div', { class: 'notice error', role: 'alert' }, t('lookup.camera_failed')));
  }
}

function stopScan() {
  if (stream) for (const track of stream.getTracks()) track.stop();
  stream = null;
  video.hidden = true;
  stopButton.hidden = true;
  startButton.hidden = !('BarcodeDetector' in window && navigator.mediaDevices);
}

startButton.addEventListener('click', startScan);
stopButton.addEventListener('click', stopScan);
stopScan();
