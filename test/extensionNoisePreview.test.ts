import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBase64 } from '../src/protocol/base64';
import { validateHostToWebview } from '../src/protocol/validateWebviewMessages';
import { noisePreviewMessage } from '../src/extension/host/noisePreview';
import { writeTinyExperiment } from './helpers/tinyExperiment';
import { trainerPath } from './helpers/builtTrainer';

test("the noise preview of the editor's unsaved text reaches the page as columns of images it accepts", async () => {
  const configFile = writeTinyExperiment();
  // Unsaved edit: a third noise step the file on disk does not have.
  const configText = JSON.stringify({
    dataset: { source: 'mnist', trainSize: 100, valSize: 10, testSize: 10 },
    noise: { steps: [{ type: 'gaussian', variance: 0.01 }, { type: 'saltPepper', amount: 0.1 }, { type: 'periodic' }] },
    model: { type: 'dense' },
  });
  const message = await noisePreviewMessage({ configFile, configText, overrides: [], count: 3 }, { trainerPath });
  const checked = validateHostToWebview(JSON.parse(JSON.stringify(message)));
  assert.ok(checked.ok, checked.ok ? '' : checked.reason);
  assert.equal(message.type, 'noisePreview');
  if (message.type !== 'noisePreview') return;
  assert.deepEqual(
    message.columns.map((c) => c.label),
    ['clean', 'gaussian', 'saltPepper', 'periodic', 'combined'],
  );
  assert.match(message.columns[1].detail, /variance 0\.01/);
  const clean = decodeBase64(message.columns[0].images.pixels)!;
  const combined = decodeBase64(message.columns[4].images.pixels)!;
  assert.equal(clean.length, 3 * 28 * 28);
  assert.notDeepEqual(clean, combined, 'the noise changed the images');
});

test('a preview of a config with a wrong value names the field instead of drawing', async () => {
  const configFile = writeTinyExperiment({ noise: { steps: [{ type: 'gaussian', variance: 3 }] } });
  const message = await noisePreviewMessage({ configFile, overrides: [], count: 2 }, { trainerPath });
  assert.equal(message.type, 'noisePreviewError');
  assert.deepEqual(message.type === 'noisePreviewError' && message.problems.map((p) => p.path), [
    'noise.steps[0].variance',
  ]);
});
