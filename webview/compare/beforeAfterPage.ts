/**
 * The before/after panel's page (dist/beforeAfter.js): the image compare view alone, fed by `compareImages`,
 * `compareChunk` and `compareFigures` messages from src/extension/webviews/beforeAfterPanel.ts. It shows the
 * images once every chunk has arrived, and writes how long that took into body[data-open-ms] (bench/ reads it).
 */
import '../style.css';
import { WEBVIEW_PROTOCOL_VERSION } from '../../src/protocol/webviewMessages';
import { el } from '../dom';
import { connectPageHost } from '../host/pageHost';
import { acceptMessage } from '../messages';
import { imageCompareView } from './compareView';
import { PixelAssembly } from './pixelAssembly';

const host = connectPageHost(() => undefined);
const app = document.getElementById('app') ?? document.body.appendChild(el('main', { id: 'app' }));
const title = el('h1', { 'data-testid': 'before-after-title' }, 'Before/after');
const status = el('p', { class: 'muted', 'data-testid': 'before-after-status', 'aria-live': 'polite' }, 'Loading…');
app.append(title, status);
const view = imageCompareView(app, 'before-after');
view.element.classList.add('before-after');

let assembly: PixelAssembly | undefined;
let startedAt = 0;

host.listen((raw) => {
  const message = acceptMessage(raw, (m) => host.post(m));
  if (!message) return;
  switch (message.type) {
    case 'compareImages':
      startedAt = performance.now();
      assembly = new PixelAssembly(message.images);
      title.textContent = message.title;
      status.textContent = 'Loading…';
      break;
    case 'compareChunk': {
      if (!assembly) return;
      const refused = assembly.add(message);
      if (refused) {
        host.post({ type: 'reportError', message: `The page rejected a message: ${refused}` });
        return;
      }
      if (!assembly.complete) {
        status.textContent = `Loading… ${Math.round(assembly.progress * 100)}%`;
        return;
      }
      const { images, buffers } = assembly;
      view.show(images.map((info, i) => ({ ...info, rgba: buffers[i] })));
      const { width, height } = images[0];
      const hasClean = images.some((i) => i.role === 'clean');
      status.textContent =
        `${width}×${height} pixels, ${images[0].channels === 1 ? 'gray' : 'colour'}` +
        (hasClean ? ' · computing PSNR and SSIM…' : ' · no clean reference: no error map or figures');
      document.body.dataset.openMs = String(Math.round(performance.now() - startedAt));
      break;
    }
    case 'compareFigures':
      view.setFigures(new Map(message.figures.map((f) => [f.image, f])), ' against clean');
      status.textContent = status.textContent?.replace(' · computing PSNR and SSIM…', '') ?? '';
      break;
    case 'compareError':
      status.textContent = message.message;
      status.classList.add('before-after-error');
      break;
  }
});

host.post({ type: 'ready', protocolVersion: WEBVIEW_PROTOCOL_VERSION });
