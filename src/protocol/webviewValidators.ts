/**
 * The compiled validators of the host ↔ webview channel. In Node ajv compiles them on first use; the
 * webview bundle gets this module replaced by the same validators generated as code at build time
 * (webviewValidatorsCode.ts, scripts/build.mjs), since the page's content security policy forbids `eval`.
 * The replacement exports one function per key of WEBVIEW_SCHEMAS, as below.
 */
import { lazyValidator } from './messageAjv';
import { HostToWebviewSchema, WEBVIEW_PARTS, WebviewToHostSchema } from './schemas/webviewMessageSchemas';

export const WEBVIEW_SCHEMAS = { hostToWebview: HostToWebviewSchema, webviewToHost: WebviewToHostSchema };

export const hostToWebview = lazyValidator(WEBVIEW_SCHEMAS.hostToWebview, WEBVIEW_PARTS);
export const webviewToHost = lazyValidator(WEBVIEW_SCHEMAS.webviewToHost, WEBVIEW_PARTS);
