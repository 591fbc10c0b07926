import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readCheckpoint } from '../src/core/runs/checkpoint';
import { readEpochRecords } from '../src/core/runs/metricsLog';
import { runFile } from '../src/core/runs/runFiles';
import { SeededRandom } from '../src/core/random/seededRandom';
import { withoutClock } from './helpers/resumeInProcess';
import { writeTinyExperiment } from './helpers/tinyExperiment';

const bin = join(__dirname, '..', 'bin', 'denoise');
const EPOCHS = 3;
const TRAIN = 240;
const BATCH = 16;
const BATCHES = EPOCHS * (TRAIN / BATCH);

interface Event {
  type: string;
  runDir?: string;
  epoch?: number;
  batch?: number;
  message?: string;
}

/**
 * Runs `denoise ARGS --json` and SIGKILLs it when `killWhen` says so (never, without it). Resolves with the
 * run folder, the events read and whether it was killed.
 */
function denoise(args: string[], killWhen?: (event: Event, batchesSeen: number) => boolean) {
  return new Promise<{ runDir: string; events: Event[]; killed: boolean }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const events: Event[] = [];
    let runDir = '';
    let batches = 0;
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as Event;
      events.push(event);
      if (event.type === 'started') runDir = event.runDir!;
      if (event.type === 'batch') batches++;
      if (killWhen?.(event, batches) && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (killWhen && signal !== 'SIGKILL')
        return reject(new Error(`the run ended (code ${code}) before it was killed:\n${stderr}`));
      if (!killWhen && code !== 0) return reject(new Error(`denoise ${args.join(' ')} exited ${code}:\n${stderr}`));
      resolve({ runDir, events, killed: signal === 'SIGKILL' });
    });
  });
}

/** The trained model's weights, straight from its weights.bin. */
const finalWeights = (runDir: string) => {
  const bytes = readFileSync(join(runFile(runDir, 'model'), 'weights.bin'));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};
const maxDifference = (a: Float32Array, b: Float32Array) =>
  a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i])), 0);

/**
 * For one experiment: trains it once uninterrupted, then for each kill point starts it again, SIGKILLs it
 * there, resumes it (killing the resume too where asked) and compares the folder with the uninterrupted one.
 */
interface KillPoint {
  readonly name: string;
  readonly when: (e: Event, batches: number) => boolean;
  /** Kill the first resume too, after this many batches. */
  readonly again?: number;
  /** The kill comes before any checkpoint: the resume must start from the beginning. */
  readonly fromStart?: boolean;
}

async function killAndCompare(file: string, kills: readonly KillPoint[]) {
  const reference = await denoise(['run', file]);
  const expectedLines = readEpochRecords(reference.runDir).map(withoutClock);
  assert.equal(expectedLines.length, EPOCHS);
  const expectedWeights = finalWeights(reference.runDir);
  for (const kill of kills) {
    const { runDir } = await denoise(['run', file], kill.when);
    assert.ok(runDir, `${kill.name}: the run reported its folder`);
    if (kill.again !== undefined) {
      // The resume is killed too, a few batches in: the second resume continues from its checkpoints.
      const again = kill.again;
      await denoise(['resume', runDir], (e, batches) => e.type === 'batch' && batches >= again);
    }
    const checkpoint = readCheckpoint(runDir);
    if (kill.fromStart)
      assert.deepEqual(
        [checkpoint?.epoch, checkpoint?.modelDir],
        [0, undefined],
        `${kill.name}: only the start is recorded`,
      );
    const resumed = await denoise(['resume', runDir]);
    const said = resumed.events.find((e) => e.type === 'log' && /^Resuming/.test(e.message ?? ''))?.message ?? '';
    const where =
      checkpoint?.modelDir === undefined
        ? 'from the start'
        : `after ${checkpoint.epoch} epochs and ${checkpoint.batch} batches`;
    assert.match(
      said,
      checkpoint?.modelDir === undefined ? /^Resuming from the start/ : /^Resuming (in|after) epoch \d+ .*saved \d{4}-/,
      `${kill.name}: ${said}`,
    );
    assert.deepEqual(
      readEpochRecords(runDir).map(withoutClock),
      expectedLines,
      `${kill.name} (resumed ${where}): every metrics line the same`,
    );
    const difference = maxDifference(finalWeights(runDir), expectedWeights);
    assert.ok(difference <= 1e-6, `${kill.name} (resumed ${where}): final weights differ by ${difference}`);
  }
}

// Kill points drawn from a seeded stream, so a failure repeats.
const points = SeededRandom.derive(24, 'kill points');
const batchIn = (low: number, high: number) => low + points.nextInt(high - low + 1);

const experiment = (name: string, model: Record<string, unknown>) =>
  writeTinyExperiment(
    {
      dataset: { trainSize: TRAIN, valSize: 60, testSize: 60 },
      noise: { mode: 'freshEachEpoch' },
      model,
      training: { optimizer: 'adam', learningRate: 0.003, epochs: EPOCHS, batchSize: BATCH },
      evaluation: { sampleImages: 0, readability: false },
      // A checkpoint every 30 ms: most kills land between two checkpoints within an epoch.
      output: { checkpointMinutes: 0.0005, checkpointsKept: 2, epochImages: false },
    },
    name,
  );

test('dense Adam runs SIGKILLed at random points, at an epoch end and before their first checkpoint resume to the uninterrupted run', async () => {
  const file = experiment('kill-dense', { type: 'dense', depth: 3, codeSize: 32 });
  const random = batchIn(2, BATCHES - 2);
  const twice = batchIn(2, BATCHES - 2);
  await killAndCompare(file, [
    {
      name: `killed after batch ${random} of ${BATCHES}`,
      when: (e, batches) => e.type === 'batch' && batches >= random,
    },
    { name: 'killed as epoch 1 ended', when: (e) => e.type === 'epoch' && e.epoch === 1 },
    { name: 'killed before any batch', when: (e) => e.type === 'started', fromStart: true },
    {
      name: `killed after batch ${twice}, its resume killed too`,
      when: (e, batches) => e.type === 'batch' && batches >= twice,
      again: 5,
    },
  ]);
});

test('a VAE (latent noise; on the oneDNN plan where installed) SIGKILLed at a random point resumes to the uninterrupted run', async () => {
  const file = experiment('kill-vae', {
    type: 'vae',
    hiddenSizes: [64],
    latentSize: 8,
    klWeight: 1,
    activation: 'relu',
    depth: undefined,
    codeSize: undefined,
  });
  const random = batchIn(2, BATCHES - 2);
  await killAndCompare(file, [
    {
      name: `killed after batch ${random} of ${BATCHES}`,
      when: (e, batches) => e.type === 'batch' && batches >= random,
    },
  ]);
});
