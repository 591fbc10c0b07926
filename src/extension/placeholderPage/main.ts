/**
 * The page shown in the dashboard panel and the "Reconstructions" view until issue 5's webview replaces
 * it. It proves the message flow end to end: the ready/init handshake, validated host messages, images
 * decoded from base64 and drawn, and requests (stop, refresh, preview) sent back.
 */
import { decodeBase64 } from '../../protocol/base64';
import { validateHostToWebview } from '../../protocol/validateWebviewMessages';
import { WEBVIEW_PROTOCOL_VERSION, type EncodedImages, type HostToWebview, type WebviewToHost } from '../../protocol/webviewMessages';

declare function acquireVsCodeApi(): { postMessage(message: WebviewToHost): void };

const vscode = acquireVsCodeApi();
const send = (message: WebviewToHost) => vscode.postMessage(message);
const byId = (id: string) => document.getElementById(id) as HTMLElement;

/** Draws gray images stacked vertically into a canvas (CSS scales it up with crisp pixels). */
function imageCanvas(images: EncodedImages, label: string): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = images.width;
  canvas.height = images.height * images.count;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  const bytes = decodeBase64(images.pixels) ?? new Uint8Array(0);
  const context = canvas.getContext('2d');
  if (context && bytes.length > 0) {
    const data = context.createImageData(canvas.width, canvas.height);
    for (let i = 0; i < bytes.length; i++) {
      data.data.set([bytes[i], bytes[i], bytes[i], 255], i * 4);
    }
    context.putImageData(data, 0, 0);
  }
  return canvas;
}

function figure(images: EncodedImages, title: string, detail = ''): HTMLElement {
  const element = document.createElement('figure');
  element.append(imageCanvas(images, `${title} ${detail}`.trim()));
  const caption = document.createElement('figcaption');
  caption.textContent = detail ? `${title}: ${detail}` : title;
  element.append(caption);
  return element;
}

function button(text: string, onClick: () => void): HTMLButtonElement {
  const element = document.createElement('button');
  element.textContent = text;
  element.addEventListener('click', onClick);
  return element;
}

const runLines = new Map<string, HTMLElement>();

function runLine(runId: string): HTMLElement {
  let line = runLines.get(runId);
  if (!line) {
    line = document.createElement('li');
    line.append(document.createElement('span'), button('Stop', () => send({ type: 'stopRun', runId })));
    runLines.set(runId, line);
    byId('runs-live').append(line);
  }
  return line;
}

function setRunText(runId: string, text: string, active = true): void {
  const line = runLine(runId);
  (line.firstChild as HTMLElement).textContent = text;
  (line.lastChild as HTMLButtonElement).hidden = !active;
}

function render(message: HostToWebview): void {
  switch (message.type) {
    case 'init':
      byId('status').textContent = `Connected: ${message.view}, protocol ${message.protocolVersion}.`;
      document.body.dataset.view = message.view;
      break;
    case 'noisePreview':
      byId('preview').replaceChildren(...message.columns.map((c) => figure(c.images, c.label, c.detail)));
      break;
    case 'noisePreviewError':
      byId('preview').textContent = message.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n');
      break;
    case 'runQueued':
      setRunText(message.runId, `${message.runName}: queued`);
      break;
    case 'runStarted':
      setRunText(message.runId, `${message.runName}: started on ${message.engine}`);
      break;
    case 'batch':
      setRunText(message.runId, `epoch ${message.epoch}, batch ${message.batch}/${message.batchesPerEpoch}, loss ${message.loss.toPrecision(3)}`);
      break;
    case 'epoch':
      setRunText(message.runId, `epoch ${message.epoch}/${message.epochs}: val loss ${message.valLoss.toPrecision(3)}, PSNR ${message.valPsnr.toFixed(2)} dB`);
      break;
    case 'samples': {
      const { count, height, width, clean, noisy, denoised } = message.images;
      byId('samples').replaceChildren(
        ...[['clean', clean], ['noisy', noisy], ['denoised', denoised]].map(([title, pixels]) => figure({ count, height, width, pixels }, title)),
      );
      byId('samples-title').textContent = `Reconstructions after epoch ${message.epoch}`;
      break;
    }
    case 'runEnded':
      setRunText(message.runId, `${message.ending}: ${message.message}`, false);
      break;
    case 'runs':
      byId('runs-saved').replaceChildren(
        ...message.runs.map((r) => {
          const item = document.createElement('li');
          item.textContent = `${r.name}: ${r.status}${r.test ? `, test PSNR ${r.test.psnr.toFixed(2)} dB` : ''}`;
          return item;
        }),
      );
      break;
    case 'comparison':
      byId('runs-saved').replaceChildren(
        ...message.runs.map(({ row, curve }) => {
          const item = document.createElement('li');
          const last = curve.at(-1);
          item.textContent = `${row.name}: ${curve.length} epochs${last ? `, last val PSNR ${last.valPsnr.toFixed(2)} dB` : ''}`;
          return item;
        }),
      );
      break;
  }
  byId('log').textContent = `Last message: ${message.type}`;
}

window.addEventListener('message', (event: MessageEvent) => {
  const checked = validateHostToWebview(event.data);
  if (checked.ok) render(checked.value);
  else send({ type: 'reportError', message: `rejected a message: ${checked.reason}` });
});
window.addEventListener('error', (event) => send({ type: 'reportError', message: String(event.message) }));

byId('actions').append(
  button('Preview noise of the active experiment', () => send({ type: 'requestNoisePreview' })),
  button('Refresh runs', () => send({ type: 'requestRuns' })),
);
send({ type: 'ready', protocolVersion: WEBVIEW_PROTOCOL_VERSION });
