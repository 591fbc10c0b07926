import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfig } from '../../src/core/config/validateConfig';
import { initEngine } from '../../src/core/engine/selectEngine';
import { buildDenoiser } from '../../src/core/models/buildDenoiser';
import { saveDenoiser } from '../../src/core/models/modelStorage';

/** A run's resolved config (what a run folder's config.json holds): an image-folder run of `model`. */
export function runConfig(name: string, channels: 1 | 3, model: Record<string, unknown>) {
  const result = validateConfig({
    name,
    dataset: { source: 'imageFolder', trainFolder: 'photos', channels },
    noise: { steps: [{ type: 'gaussian255', sigma: 25 }] },
    model,
    training: { patchSize: 16 },
    compute: { engine: 'cpu' },
  });
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result.config;
}

/**
 * A run folder with a saved (untrained, seeded) small DnCNN: enough for an apply to run through the real
 * code path; what its output looks like does not matter to the tests that use it.
 */
export async function writeModelRun(dir: string, name = 'model-run', channels: 1 | 3 = 1): Promise<string> {
  const config = runConfig(name, channels, { type: 'dncnn', depth: 3, filters: 4, batchNorm: false });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  await initEngine('cpu');
  const denoiser = buildDenoiser(config.model, { height: 16, width: 16, channels }, 1);
  await saveDenoiser(denoiser, join(dir, 'model'));
  denoiser.model.dispose();
  return dir;
}
