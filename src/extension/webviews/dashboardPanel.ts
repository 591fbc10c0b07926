import * as vscode from 'vscode';
import type { HostToWebview } from '../../protocol/webviewMessages';
import type { WebviewSession } from '../host/webviewSession';
import type { WebviewHub } from './webviewHub';
import { pageHtml, webviewOptions } from './pageHtml';

export const DASHBOARD_VIEW_TYPE = 'denoiseLab.dashboard';

/** The dashboard: one editor-area panel, created on demand and restored after a window reload. */
export class DashboardPanel {
  private static current: DashboardPanel | undefined;

  /** Shows the dashboard (creating it if needed) and sends it a message once its page is ready. */
  static show(extensionUri: vscode.Uri, hub: WebviewHub, message?: HostToWebview): void {
    if (!DashboardPanel.current) {
      // Beside the editor, keeping the focus there so the user can go on editing the experiment.
      const panel = vscode.window.createWebviewPanel(
        DASHBOARD_VIEW_TYPE,
        'Denoise Lab',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        {
          ...webviewOptions(extensionUri),
          // The page keeps charts and images while hidden instead of being rebuilt from messages.
          retainContextWhenHidden: true,
        },
      );
      DashboardPanel.current = new DashboardPanel(panel, extensionUri, hub);
    } else {
      DashboardPanel.current.panel.reveal(undefined, true);
    }
    if (message) DashboardPanel.current.post(message);
  }

  /** Restores the panel VS Code kept from the last session. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, hub: WebviewHub): void {
    panel.webview.options = webviewOptions(extensionUri);
    DashboardPanel.current = new DashboardPanel(panel, extensionUri, hub);
  }

  private readonly session: WebviewSession;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    hub: WebviewHub,
  ) {
    this.session = hub.connect(panel.webview, 'dashboard');
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'activity.svg');
    panel.webview.onDidReceiveMessage((message: unknown) => this.session.receive(message));
    panel.onDidDispose(() => {
      hub.disconnect(this.session);
      DashboardPanel.current = undefined;
    });
    panel.webview.html = pageHtml(panel.webview, extensionUri, 'dashboard');
  }

  private post(message: HostToWebview): void {
    this.session.post(message);
  }
}
