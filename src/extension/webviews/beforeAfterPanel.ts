/**
 * The before/after view: an editor panel with the image compare view (webview/compare) on a noisy image, its
 * denoised result and, when there is one, the clean original. The host reads the files (src/app/page/
 * compareImages.ts) while the page loads, sends their pixels in chunks once the page says it is ready, then
 * PSNR and SSIM against the clean image. Each call opens its own panel, so results can be put side by side.
 */
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import {
  compareFigures,
  compareMessages,
  readCompareFiles,
  type CompareFile,
  type CompareSet,
} from '../../app/page/compareImages';
import { validateWebviewToHost } from '../../protocol/validateWebviewMessages';
import type { HostToWebview } from '../../protocol/webviewMessages';
import { webviewOptions, webviewPageHtml } from './pageHtml';

export const BEFORE_AFTER_VIEW_TYPE = 'denoiseLab.beforeAfter';

/** What to compare: the files, and a title naming them. */
export interface BeforeAfterRequest {
  readonly title: string;
  readonly noisyPath: string;
  readonly denoisedPath: string;
  readonly cleanPath?: string;
}

/** Opens a before/after view of a denoised image (the apply flow calls this after "Denoise Image…"). */
export function openBeforeAfterView(context: vscode.ExtensionContext, request: BeforeAfterRequest): void {
  const files = [
    ...(request.cleanPath ? [{ label: 'clean', role: 'clean' as const, path: request.cleanPath }] : []),
    { label: 'noisy', role: 'noisy' as const, path: request.noisyPath },
    { label: 'denoised', role: 'denoised' as const, path: request.denoisedPath },
  ];
  openCompareFiles(context, request.title, files);
}

type FiguresMessage = Extract<HostToWebview, { type: 'compareFigures' }>;

/** A compare panel on image files, their figures computed in a worker thread (compareFiguresWorker.ts). */
export function openCompareFiles(context: vscode.ExtensionContext, title: string, files: readonly CompareFile[]): void {
  openCompareView(
    context,
    title,
    () => readCompareFiles(title, files),
    () =>
      new Promise<FiguresMessage | undefined>((resolve, reject) => {
        const worker = new Worker(context.asAbsolutePath('dist/compareFiguresWorker.js'), {
          workerData: { title, files },
        });
        worker.once('message', (answer: { ok: boolean; figures?: FiguresMessage; message?: string }) => {
          void worker.terminate();
          if (answer.ok) resolve(answer.figures);
          else reject(new Error(answer.message));
        });
        worker.once('error', reject);
      }),
  );
}

/**
 * A compare panel on images that `load` reads (started at once, while the page loads), then their figures
 * (`figuresOf`; by default on this thread, which suits small images such as a run's sample digits). A failure
 * is shown in the panel and as an error notification.
 */
export function openCompareView(
  context: vscode.ExtensionContext,
  title: string,
  load: () => Promise<CompareSet>,
  figuresOf: (set: CompareSet) => Promise<FiguresMessage | undefined> = compareFigures,
): void {
  const panel = vscode.window.createWebviewPanel(
    BEFORE_AFTER_VIEW_TYPE,
    title,
    { viewColumn: vscode.ViewColumn.Active },
    // Kept while hidden: rebuilding would mean sending megabytes of pixels again.
    { ...webviewOptions(context.extensionUri), retainContextWhenHidden: true },
  );
  panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'activity.svg');
  let disposed = false;
  panel.onDidDispose(() => (disposed = true));
  const loading = load();
  // Handled here so that a failure before the page is ready is not reported as unhandled.
  loading.catch(() => undefined);
  const post = (message: HostToWebview) => (disposed ? Promise.resolve(false) : panel.webview.postMessage(message));

  async function send(): Promise<void> {
    let set: CompareSet;
    try {
      set = await loading;
    } catch (err) {
      const message = `Cannot show ${title}: ${(err as Error).message}`;
      await post({ type: 'compareError', message: message.slice(0, 20_000) });
      void vscode.window.showErrorMessage(`Denoise Lab: ${message}`);
      return;
    }
    // One chunk at a time: each waits until the page has it, so megabytes do not pile up in between.
    for (const message of compareMessages(set)) if (!(await post(message))) return;
    try {
      const figures = await figuresOf(set);
      if (figures) await post(figures);
    } catch (err) {
      console.error(`Denoise Lab before/after view: no PSNR and SSIM for ${title}: ${(err as Error).message}`);
    }
  }

  panel.webview.onDidReceiveMessage((raw: unknown) => {
    const checked = validateWebviewToHost(raw);
    if (!checked.ok) return;
    if (checked.value.type === 'ready') void send();
    else if (checked.value.type === 'reportError')
      console.error(`Denoise Lab before/after view: ${checked.value.message}`);
  });
  // The panel's own bundle (dist/beforeAfter.js and .css), under the same Content Security Policy as the dashboard's.
  panel.webview.html = webviewPageHtml(panel.webview, context.extensionUri, {
    bundle: 'beforeAfter',
    view: 'beforeAfter',
    title,
  });
}
