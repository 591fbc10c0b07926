/**
 * The epoch slider's answer sends each run's own denoised column and the shared test images once: what the
 * page unpacks is every run's whole samples, and a message whose references do not hold is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeBase64 } from '../src/protocol/base64';
import { packEpochSamples, unpackEpochSamples, type RunSamples } from '../src/protocol/epochSamplesPacking';
import { validateHostToWebview } from '../src/protocol/validateWebviewMessages';
import type { EncodedSamples } from '../src/protocol/webviewMessages';

const pixels = (seed: number, n = 2 * 3 * 4) =>
  encodeBase64(Uint8Array.from({ length: n }, (_, i) => (i * seed) % 256));
const samples = (inputs: number, output: number): EncodedSamples => ({
  count: 2,
  height: 3,
  width: 4,
  clean: pixels(inputs),
  noisy: pixels(inputs + 1),
  denoised: pixels(output),
});

test('runs on the same test images send them once, and unpack to every run whole', () => {
  const runs: RunSamples[] = [
    { runDir: '/runs/a', samples: samples(3, 10) },
    { runDir: '/runs/b', samples: samples(3, 11) },
    // Another test set (other noise): sent whole.
    { runDir: '/runs/c', samples: samples(5, 12) },
    { runDir: '/runs/d', samples: samples(5, 13) },
    { runDir: '/runs/e', samples: samples(3, 14) },
  ];
  const message = packEpochSamples(7, runs);
  assert.deepEqual(
    message.runs.map((r) => r.inputs),
    [0, 0, 1, 1, 0],
  );
  assert.equal(message.inputs.length, 2);
  const packed = JSON.stringify(message).length;
  const plain = JSON.stringify({ type: 'epochSamples', epoch: 7, runs }).length;
  assert.ok(packed < plain * 0.7, `${packed} characters packed, ${plain} plain`);
  const checked = validateHostToWebview(JSON.parse(JSON.stringify(message)));
  assert.ok(checked.ok, checked.ok ? '' : checked.reason);
  assert.deepEqual(unpackEpochSamples(checked.value as typeof message), runs);
});

test('a run without clean images, or of another size, is not mistaken for one that shares its inputs', () => {
  const noClean = { ...samples(3, 20), clean: undefined };
  const smaller = { ...samples(3, 21), count: 1, denoised: pixels(21, 12) };
  smaller.noisy = samples(3, 0).noisy;
  const message = packEpochSamples(1, [
    { runDir: '/runs/a', samples: samples(3, 10) },
    { runDir: '/runs/b', samples: noClean },
    { runDir: '/runs/c', samples: smaller },
  ]);
  assert.equal(message.inputs.length, 3);
});

test('an epochSamples message whose references or sizes do not hold is refused with the entry named', () => {
  const { denoised: _, ...inputs } = samples(3, 10);
  const reason = (runs: unknown[]) => {
    const checked = validateHostToWebview({ type: 'epochSamples', epoch: 2, inputs: [inputs], runs });
    return checked.ok ? 'accepted' : checked.reason;
  };
  assert.equal(reason([{ runDir: '/runs/a', inputs: 0, denoised: pixels(1) }]), 'accepted');
  assert.equal(
    reason([
      { runDir: '/runs/a', inputs: 0, denoised: pixels(1) },
      { runDir: '/runs/b', inputs: 1, denoised: pixels(1) },
    ]),
    "runs[1].inputs: 1 names none of the message's 1 inputs",
  );
  assert.equal(
    reason([{ runDir: '/runs/a', inputs: 0, denoised: pixels(1, 20) }]),
    'runs[0].denoised: must hold 2 × 3 × 4 pixels, as inputs[0] do',
  );
  // The inputs' own columns are checked against their shape by the schema.
  const checked = validateHostToWebview({
    type: 'epochSamples',
    epoch: 2,
    inputs: [{ ...inputs, noisy: pixels(1, 9) }],
    runs: [],
  });
  assert.equal(checked.ok, false);
});
