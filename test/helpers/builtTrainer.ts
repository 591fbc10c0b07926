import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The bundled trainer the extension starts; the tests that start it need `npm run build` first. */
export const trainerPath = join(__dirname, '..', '..', 'dist', 'trainer.js');
if (!existsSync(trainerPath)) throw new Error(`${trainerPath} is missing: run "npm run build" first (npm test does).`);

/** Polls `check` every `everyMs` until it holds; fails naming `what` after `ms`. */
export async function until(check: () => boolean, what: string, ms = 60_000, everyMs = 20): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
