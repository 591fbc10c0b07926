import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../src/core/config/loadConfig';
import { runExperiment } from '../src/core/experiment/runExperiment';
import { readRunGeneration } from '../src/core/runs/runImages';
import { writeTinyExperiment } from './helpers/tinyExperiment';

/** Mean absolute difference of image i and image j of a column, in gray levels. */
function difference(bytes: Uint8Array, size: number, i: number, j: number): number {
  let sum = 0;
  for (let p = 0; p < size; p++) sum += Math.abs(bytes[i * size + p] - bytes[j * size + p]);
  return sum / size;
}

test("a VAE run's generation.png holds latent samples and a walk from one test digit to the next", async () => {
  const file = writeTinyExperiment({
    model: { type: 'vae', hiddenSizes: [256, 64], latentSize: 8, depth: undefined, codeSize: undefined },
    training: { epochs: 2 },
    evaluation: { generation: { blankValue: 0, randomInputs: 5 } },
  });
  const { runDir } = await runExperiment(loadConfig(file));
  const columns = readRunGeneration(runDir, 5);
  assert.ok(columns);
  assert.deepEqual(
    columns.map((c) => c.label),
    ['input', 'output', 'latent samples', 'interpolation'],
  );
  const walk = columns[3].images;
  assert.equal(walk.count, 6);
  const size = walk.height * walk.width;
  // The two ends decode different digits (MNIST test images 0 and 1 are a 7 and a 2), and each step moves.
  assert.ok(difference(walk.bytes, size, 0, 5) > 5, 'the ends of the walk differ');
  for (let k = 0; k < 5; k++) assert.ok(difference(walk.bytes, size, k, k + 1) > 0, `step ${k} moves`);
});

test('a dense run has no interpolation column', async () => {
  const { runDir } = await runExperiment(
    loadConfig(
      writeTinyExperiment({ training: { epochs: 1 }, evaluation: { generation: { blankValue: 0, randomInputs: 3 } } }),
    ),
  );
  assert.deepEqual(
    readRunGeneration(runDir, 3)?.map((c) => c.label),
    ['input', 'output'],
  );
});
