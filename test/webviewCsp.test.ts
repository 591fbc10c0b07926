/**
 * The webview pages' Content Security Policy, checked on the HTML the extension generates: scripts only by
 * a fresh nonce, never inline or eval, every resource from the webview's own origin, nothing else readable.
 * pageHtml imports `vscode`, which exists only inside VS Code; a minimal stand-in provides the three things
 * it uses (Uri.joinPath, webview.asWebviewUri, webview.cspSource).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

interface FakeUri {
  readonly path: string;
  toString(): string;
}
const uri = (path: string): FakeUri => ({ path, toString: () => `file://${path}` });
const fakeVscode = {
  Uri: {
    joinPath: (base: FakeUri, ...parts: string[]) => uri([base.path, ...parts].join('/')),
    file: (p: string) => uri(p),
  },
};
const webview = {
  cspSource: CSP_SOURCE,
  asWebviewUri: (u: FakeUri) => ({ toString: () => `${CSP_SOURCE}${u.path}` }),
};

// Resolve `vscode` to the stand-in for the modules loaded by this test file only.
const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolveFilename = loader._resolveFilename;
loader._resolveFilename = (request, ...rest) => (request === 'vscode' ? 'vscode' : resolveFilename(request, ...rest));
require.cache.vscode = {
  id: 'vscode',
  filename: 'vscode',
  loaded: true,
  exports: fakeVscode,
} as unknown as NodeJS.Module;
const { pageHtml, webviewOptions } =
  require('../src/extension/webviews/pageHtml') as typeof import('../src/extension/webviews/pageHtml');

function policy(html: string): Map<string, string[]> {
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
  assert.ok(meta, 'the page declares a Content-Security-Policy');
  const directives = new Map<string, string[]>();
  for (const part of meta[1]
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, ...sources] = part.split(/\s+/);
    directives.set(name, sources);
  }
  return directives;
}

for (const view of ['dashboard', 'reconstructions'] as const) {
  test(`the ${view} page: scripts only by nonce, no inline script or eval, resources only from the webview`, () => {
    const extensionUri = uri('/ext');
    const html = pageHtml(webview as never, extensionUri as never, view);
    const csp = policy(html);
    assert.deepEqual(csp.get('default-src'), ["'none'"], 'everything not named is refused');
    const scriptSources = csp.get('script-src') ?? [];
    const nonces = scriptSources.filter((s) => /^'nonce-[A-Za-z0-9+/=]{22,}'$/.test(s));
    assert.equal(nonces.length, 1, `one nonce of at least 128 bits in script-src: ${scriptSources.join(' ')}`);
    const nonce = nonces[0].slice(7, -1);
    for (const [name, sources] of csp) {
      for (const source of sources) {
        assert.notEqual(source, "'unsafe-eval'", `${name} allows eval`);
        assert.ok(
          !/^(\*|https?:|data:|blob:|ws:|wss:)$/.test(source) && !/^https?:\/\/(?!file\+)/.test(source),
          `${name} allows ${source}`,
        );
        assert.ok(
          source === "'none'" ||
            source === CSP_SOURCE ||
            /^'nonce-/.test(source) ||
            (name !== 'script-src' && source === "'unsafe-inline'" && name.startsWith('style')),
          `${name} allows ${source}: only the webview's own origin and the nonce`,
        );
      }
    }
    assert.ok(!scriptSources.includes("'unsafe-inline'"));
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    assert.ok(scripts.length >= 1, 'the page loads its script');
    for (const [, attributes, body] of scripts) {
      assert.match(
        attributes,
        new RegExp(`nonce="${nonce.replace(/[+/=]/g, '\\$&')}"`),
        'each script carries the nonce',
      );
      assert.match(
        attributes,
        new RegExp(`src="${CSP_SOURCE.replace(/[.+]/g, '\\$&')}/ext/`),
        'loaded from the extension through the webview origin',
      );
      assert.equal(body.trim(), '', 'no inline script');
    }
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handlers');
    assert.doesNotMatch(html, /(src|href)="(?!https:\/\/file\+)/i, 'no resource from anywhere but the webview origin');
    const again = policy(pageHtml(webview as never, extensionUri as never, view))
      .get('script-src')!
      .find((s) => s.startsWith("'nonce-"));
    assert.notEqual(again, nonces[0], 'a fresh nonce for every page');
  });
}

test("webviews can read only the extension's dist and media folders", () => {
  const options = webviewOptions(uri('/ext') as never) as {
    enableScripts?: boolean;
    enableCommandUris?: unknown;
    localResourceRoots?: FakeUri[];
  };
  assert.equal(options.enableCommandUris, undefined, 'no command links');
  assert.deepEqual(
    options.localResourceRoots?.map((u) => u.path),
    ['/ext/dist', '/ext/media'],
  );
});
