import * as vscode from 'vscode';
import type { WebviewSession } from '../host/webviewSession';
import type { WebviewHub } from './webviewHub';
import { pageHtml, webviewOptions } from './pageHtml';

export const RECONSTRUCTIONS_VIEW_ID = 'denoiseLab.reconstructions';

/** The side panel's "Reconstructions" view: the latest sample images of the running or last run. */
export class ReconstructionsViewProvider implements vscode.WebviewViewProvider {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly hub: WebviewHub,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = webviewOptions(this.extensionUri);
    const session: WebviewSession = this.hub.connect(view.webview, 'reconstructions');
    view.webview.onDidReceiveMessage((message: unknown) => session.receive(message));
    // A hidden view's page is discarded; hold messages until it is shown and says ready again.
    view.onDidChangeVisibility(() => {
      if (!view.visible) session.disconnect();
    });
    view.onDidDispose(() => this.hub.disconnect(session));
    view.webview.html = pageHtml(view.webview, this.extensionUri, 'reconstructions');
  }
}
