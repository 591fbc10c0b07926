/** The apply pair of the trainer channel (apply → applyEvent…done): what passes, and what is refused, and why. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deserialize, serialize } from 'node:v8';
import type { ApplyEvent } from '../src/core/apply/applyRun';
import { validateHostToTrainer, validateTrainerToHost } from '../src/protocol/validateTrainerMessages';

const overIpc = <T>(value: T): unknown => deserialize(serialize(value));

const request = {
  type: 'apply',
  runDir: '/ws/denoise-runs/2026-photos',
  inputs: ['/ws/photos/a.png', '/ws/scans'],
  out: '/ws/denoised',
  progressFile: '/storage/applies/apply-1.json',
  tile: 256,
  sigma: 15,
};

test('an apply request and every apply event cross the channel and validation unchanged', () => {
  assert.deepEqual(validateHostToTrainer(overIpc(request)), { ok: true, value: request });
  const events: (ApplyEvent | { type: 'done'; outputs: string[] })[] = [
    {
      type: 'started',
      files: 2,
      model: 'DnCNN 10x32',
      inference: 'oneDNN 2.6.3 plan (2 threads)',
      tile: 256,
      margin: 10,
      memory: 'memory 1,024 MB: 290 MB engine and model, 2 MB for the largest image, 732 MB for tiles',
      sigmaHint: 'trained at σ 25: inputs scaled by 25/15',
    },
    { type: 'tile', file: 0, done: 3, total: 12 },
    {
      type: 'file',
      file: 0,
      input: '/ws/photos/a.png',
      output: '/ws/denoised/a.png',
      width: 45,
      height: 31,
      seconds: 0.4,
      grayAsRgb: true,
    },
    { type: 'done', outputs: ['/ws/denoised/a.png'] },
  ];
  for (const event of events) {
    const message = { type: 'applyEvent', event };
    assert.deepEqual(validateTrainerToHost(overIpc(message)), { ok: true, value: message }, event.type);
  }
});

test('malformed apply messages are refused, naming the field', () => {
  const refusals: [unknown, RegExp][] = [
    [{ ...request, inputs: [] }, /inputs/],
    [{ ...request, out: 7 }, /out/],
    [{ ...request, runDir: 'x'.repeat(5000) }, /runDir/],
    [{ ...request, tile: 2.5 }, /tile/],
    [{ ...request, sigma: 300 }, /sigma/],
    [{ type: 'apply', runDir: '/r', inputs: ['/a.png'] }, /out/],
  ];
  for (const [message, field] of refusals) {
    const checked = validateHostToTrainer(message);
    assert.equal(checked.ok, false, JSON.stringify(message).slice(0, 80));
    assert.match(!checked.ok ? checked.reason : '', field);
  }
  const events: [unknown, RegExp][] = [
    [{ type: 'tile', file: 0, done: 1, total: 0 }, /total/],
    [{ type: 'tile', file: -1, done: 1, total: 2 }, /file/],
    [{ type: 'file', file: 0, input: '/a', output: '/b', width: 4, height: 4, seconds: Number.NaN }, /seconds/],
    [{ type: 'started', files: 0, model: 'm', tile: 8, margin: 0 }, /files/],
    [{ type: 'done' }, /outputs/],
    [{ type: 'summary' }, /type/],
  ];
  for (const [event, field] of events) {
    const checked = validateTrainerToHost({ type: 'applyEvent', event });
    assert.equal(checked.ok, false, JSON.stringify(event));
    assert.match(!checked.ok ? checked.reason : '', field, JSON.stringify(event));
  }
});
