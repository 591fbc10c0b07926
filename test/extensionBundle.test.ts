/**
 * dist/extension.js loads as VS Code loads it: every module it needs is inside the bundle or external on
 * purpose (a UMD build that requires its parts at run time once left the whole extension unable to start).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';

const bundle = join(__dirname, '..', 'dist', 'extension.js');
if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run "npm run build" first (npm test does).`);

test('the extension bundle loads with only vscode supplied, and exports activate and deactivate', () => {
  // A stand-in for the vscode module: loading the bundle only defines things; nothing is called yet.
  const stub: unknown = new Proxy(function () {}, {
    get: () => stub,
    apply: () => stub,
    construct: () => stub as object,
  });
  const load = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;
  (Module as unknown as { _load: typeof load })._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? stub : load.call(this, request, ...rest);
  };
  try {
    const extension = require(bundle) as { activate?: unknown; deactivate?: unknown };
    assert.equal(typeof extension.activate, 'function');
    assert.equal(typeof extension.deactivate, 'function');
  } finally {
    (Module as unknown as { _load: typeof load })._load = load;
  }
});
