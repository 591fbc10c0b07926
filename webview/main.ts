/**
 * The Denoise Lab page: the dashboard panel, the side panel (body data-view="reconstructions") and the
 * standalone report. It is fed only by messages, each validated before use; state changes at once and
 * the views redraw at most about ten times a second.
 */
import './style.css';
import { WEBVIEW_PROTOCOL_VERSION, type RunRow } from '../src/protocol/webviewMessages';
import { applyTheme } from './charts/chartSetup';
import { el } from './dom';
import { downloadExport } from './host/downloadExport';
import { connectPageHost } from './host/pageHost';
import { acceptMessage } from './messages';
import { redrawScheduler } from './scheduler';
import { followUpRequests } from './state/followUps';
import { RunStates, showSavedRun } from './state/runState';
import { readTheme, watchTheme } from './theme';
import { comparisonView } from './views/comparison';
import { generationView } from './views/generation';
import { liveTrainingView } from './views/liveTraining';
import { noisePreviewView } from './views/noisePreview';
import { sidePanelView } from './views/sidePanel';

let comparedRows: readonly RunRow[] = [];
const host = connectPageHost(downloadExport(() => comparedRows));
window.addEventListener('error', (event) =>
  host.post({ type: 'reportError', message: String(event.message).slice(0, 2000) }),
);

// A standalone report without a chosen theme follows the browser's.
if (document.body.classList.contains('standalone') && !/\bvscode-(light|dark)\b/.test(document.body.className)) {
  document.body.classList.add(matchMedia('(prefers-color-scheme: light)').matches ? 'vscode-light' : 'vscode-dark');
}
const theme = readTheme();
applyTheme(theme);
watchTheme(applyTheme);

const app = document.getElementById('app') ?? document.body.appendChild(el('main', { id: 'app' }));
const runs = new RunStates();
const isSide = document.body.dataset.view === 'reconstructions';

let drawRuns: () => void;
let dashboard: ReturnType<typeof buildDashboard> | undefined;

function buildDashboard() {
  const columns = el('div', { class: 'columns' });
  const left = el('div', { class: 'column' });
  const right = el('div', { class: 'column' });
  columns.append(left, right);
  app.append(columns);
  const live = liveTrainingView(left, host, theme);
  const generation = generationView(left);
  const preview = noisePreviewView(right, host, () => runs.focused?.phase !== 'running');
  const comparison = comparisonView(app, host, theme);
  return { live, preview, generation, comparison };
}

if (isSide) {
  const side = sidePanelView(app, theme);
  drawRuns = () => side(runs.focused);
} else {
  dashboard = buildDashboard();
  const { live } = dashboard;
  drawRuns = () => live(runs.focused);
}
const scheduleRedraw = redrawScheduler(() => drawRuns());
drawRuns();

host.listen((raw) => {
  const message = acceptMessage(raw, (m) => host.post(m));
  if (!message) return;
  if (host.live && dashboard)
    for (const request of followUpRequests(message, dashboard.comparison.listed())) host.post(request);
  if (runs.apply(message)) {
    scheduleRedraw();
    return;
  }
  switch (message.type) {
    case 'init':
      document.body.dataset.view = message.view;
      break;
    case 'noisePreview':
    case 'noisePreviewError':
      dashboard?.preview(message);
      break;
    case 'generation':
      dashboard?.generation(message);
      break;
    case 'epochSamples':
      dashboard?.comparison.showEpochSamples(message);
      break;
    case 'runs':
      dashboard?.comparison.showRuns(message.runs);
      // The side panel shows the newest saved run until a run trains: it asks for that run's curve and images.
      if (isSide && !runs.focused && message.runs[0])
        host.post({ type: 'compareRuns', runDirs: [message.runs[0].runDir] });
      break;
    case 'comparison':
      comparedRows = message.runs.map((r) => r.row);
      dashboard?.comparison.showComparison(message);
      if (isSide && message.runs[0]) {
        showSavedRun(runs, message.runs[0], message.selected === true);
        scheduleRedraw();
      }
      break;
  }
});

host.post({ type: 'ready', protocolVersion: WEBVIEW_PROTOCOL_VERSION });
if (host.live) host.post({ type: 'requestRuns' });
