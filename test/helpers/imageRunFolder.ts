import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../../src/core/config/validateConfig';
import { buildDenoiser } from '../../src/core/models/buildDenoiser';
import { saveDenoiser } from '../../src/core/models/modelStorage';
import { initEngine } from '../../src/core/engine/selectEngine';

const example = join(__dirname, '..', '..', 'examples', 'real-gray-sigma25.denoise.json');

/**
 * A finished-looking run folder of a small untrained DnCNN (config.json and model/), for `denoise apply`
 * tests that are about files, not denoising quality: building it takes milliseconds where training takes
 * seconds. `channels` 1 for gray, 3 for colour.
 */
export async function untrainedImageRun(channels: 1 | 3, parent = mkdtempSync(join(tmpdir(), 'denoise-run-'))) {
  const raw = JSON.parse(readFileSync(example, 'utf8'));
  raw.name = `untrained-${channels}`;
  raw.dataset = { ...raw.dataset, trainFolder: 'train', testFolder: 'test', channels };
  raw.model = { type: 'dncnn', depth: 3, filters: 4, batchNorm: false };
  raw.training = { ...raw.training, patchSize: 16 };
  raw.compute = { engine: 'cpu' };
  const result = validateConfig(raw);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const runDir = join(parent, `run-${channels}`);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, 'config.json'), JSON.stringify(result.config, null, 2));
  await initEngine('cpu');
  const denoiser = buildDenoiser(result.config.model, { height: 16, width: 16, channels }, 1);
  await saveDenoiser(denoiser, join(runDir, 'model'));
  denoiser.model.dispose();
  return runDir;
}
