import { validateWebviewToHost } from '../../protocol/validateWebviewMessages';
import {
  WEBVIEW_PROTOCOL_VERSION,
  type HostToWebview,
  type WebviewKind,
  type WebviewToHost,
} from '../../protocol/webviewMessages';

/** The page end of a webview, as the session needs it (VS Code's Webview fits). */
export interface WebviewPort {
  postMessage(message: HostToWebview): PromiseLike<boolean>;
}

/** What a page may ask the host to do. Handlers check that run folders are known runs before acting. */
export interface WebviewActions {
  /** State for a page that just connected: the runs, live runs in progress, the last noise preview. */
  initialMessages(view: WebviewKind): HostToWebview[];
  handle(request: Exclude<WebviewToHost, { type: 'ready' | 'reportError' }>, session: WebviewSession): void;
  log(line: string): void;
}

/** Messages kept for a page that has not said `ready` yet; live batch updates are the first to go. */
const PENDING_LIMIT = 100;

/**
 * One open page (dashboard panel or side view): holds messages until the page says it is ready, then
 * sends them in order; validates every request from the page before acting on it.
 */
export class WebviewSession {
  private ready = false;
  private pending: HostToWebview[] = [];

  constructor(
    private readonly port: WebviewPort,
    readonly view: WebviewKind,
    private readonly actions: WebviewActions,
  ) {}

  post(message: HostToWebview): void {
    if (this.ready) {
      void this.port.postMessage(message);
      return;
    }
    this.pending.push(message);
    if (this.pending.length > PENDING_LIMIT) {
      const batch = this.pending.findIndex((m) => m.type === 'batch');
      this.pending.splice(batch >= 0 ? batch : 0, 1);
    }
  }

  receive(raw: unknown): void {
    const checked = validateWebviewToHost(raw);
    if (!checked.ok) {
      this.actions.log(`Ignored a malformed message from the ${this.view} page: ${checked.reason}`);
      return;
    }
    const message = checked.value;
    switch (message.type) {
      case 'ready':
        if (message.protocolVersion !== WEBVIEW_PROTOCOL_VERSION) {
          this.actions.log(
            `The ${this.view} page speaks protocol ${message.protocolVersion}, the extension ${WEBVIEW_PROTOCOL_VERSION}; reload the window if it misbehaves.`,
          );
        }
        // A page that reloads (hidden and shown again) says ready again and gets a fresh start.
        this.ready = true;
        for (const m of [
          { type: 'init', protocolVersion: WEBVIEW_PROTOCOL_VERSION, view: this.view } as const,
          ...this.actions.initialMessages(this.view),
          ...this.pending,
        ]) {
          void this.port.postMessage(m);
        }
        this.pending = [];
        break;
      case 'reportError':
        this.actions.log(`The ${this.view} page reported: ${message.message}`);
        break;
      default:
        this.actions.handle(message, this);
    }
  }

  /** The page went away (panel closed, view hidden without retained context): hold messages again. */
  disconnect(): void {
    this.ready = false;
    this.pending = [];
  }
}
