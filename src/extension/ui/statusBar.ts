import * as vscode from 'vscode';
import type { RunService } from '../host/runService';

/** One status bar item while runs are active: the newest run's progress and how many others there are. */
export function createRunsStatusBar(service: RunService): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('denoiseLab.runs', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Denoise Lab Runs';
  item.command = 'denoiseLab.openDashboard';
  const update = () => {
    const active = service.runs.filter((r) => r.phase !== 'ended');
    const running = active.filter((r) => r.phase !== 'queued');
    const queued = active.length - running.length;
    const shown = running.at(-1);
    if (!shown) {
      if (queued) {
        item.text = `$(clock) Denoise: ${queued} queued`;
        item.show();
      } else item.hide();
      return;
    }
    const percent = shown.progress ? ` ${Math.floor(shown.progress.fraction * 100)}%` : '';
    const others = [running.length > 1 ? `+${running.length - 1} running` : '', queued ? `${queued} queued` : '']
      .filter(Boolean)
      .join(', ');
    // The engine it trains on, so a slow fallback (plain wasm) shows, with why and the fix in the tooltip.
    const engine = shown.engine ? ` · ${shown.engine.badge}` : '';
    item.text = `$(sync~spin) ${shown.name}${percent}${engine}${others ? ` (${others})` : ''}`;
    const advice = shown.engine?.advice ? `\n\n${shown.engine.advice}` : '';
    item.tooltip = `Denoise Lab: ${running.length} running, ${queued} queued. Click to open the dashboard.${advice}`;
    item.show();
  };
  const subscription = service.onUpdate(update);
  return vscode.Disposable.from(item, subscription);
}
