import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import * as tf from '@tensorflow/tfjs';
import { loadDenoiser } from '../src/core/models/modelStorage';
import { readCheckpoint } from '../src/core/runs/checkpoint';
import { readEpochRecords } from '../src/core/runs/metricsLog';
import { runFile } from '../src/core/runs/runFiles';
import { readRunStatus } from '../src/core/runs/runStatus';
import type { RunSummary } from '../src/core/runs/runSummary';
import { RunService } from '../src/extension/host/runService';
import { writeTinyExperiment } from './helpers/tinyExperiment';

const bin = join(__dirname, '..', 'bin', 'denoise');
const EPOCHS = 4;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `denoise run --json` and SIGKILLs it once it reports a batch of epoch `killIn` (so epoch killIn-1
 * and its checkpoint are on disk and epoch killIn is half done). Resolves with the run folder and the pid.
 */
function runAndKill(file: string, killIn: number): Promise<{ runDir: string; pid: number; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'run', file, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let runDir = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as { type: string; runDir?: string; epoch?: number; batch?: number };
      if (event.type === 'started') runDir = event.runDir!;
      if (event.type === 'batch' && event.epoch === killIn && event.batch! >= 3 && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL')
        return reject(new Error(`the run ended by itself (code ${code}) before it was killed:\n${stderr}`));
      resolve({ runDir, pid: child.pid!, signal });
    });
  });
}

test('a run killed with SIGKILL mid-epoch is interrupted with its metrics and checkpoint intact, and resume finishes it', async () => {
  const file = writeTinyExperiment(
    { dataset: { trainSize: 1500, valSize: 200, testSize: 200 }, training: { epochs: EPOCHS, batchSize: 16 } },
    'killed',
  );
  const { runDir, pid } = await runAndKill(file, 3);
  assert.ok(runDir, 'the run reported its folder');
  assert.equal(alive(pid), false, 'no process is left behind');

  // What a user finds after the crash.
  assert.equal(
    readRunStatus(runDir)?.status,
    'interrupted',
    'status.json says running for a dead pid: read as interrupted',
  );
  assert.equal(existsSync(runFile(runDir, 'summary')), false, 'no summary that looks like a finished run');
  const lines = readFileSync(runFile(runDir, 'metrics'), 'utf8').trim().split('\n');
  const before = lines.map((l) => JSON.parse(l) as { epoch: number; valLoss: number });
  assert.deepEqual(
    before.map((r) => r.epoch),
    [1, 2],
    'the two finished epochs, nothing of the third',
  );
  const checkpoint = readCheckpoint(runDir);
  assert.equal(checkpoint?.epoch, 2);
  const config = JSON.parse(readFileSync(runFile(runDir, 'config'), 'utf8'));
  const model = await loadDenoiser(checkpoint!.modelDir!, config.model, { height: 28, width: 28 });
  const output = tf.tidy(() => model.model.predict(tf.zeros([1, 784])) as tf.Tensor);
  assert.equal(output.size, 784, 'the checkpoint loads and predicts');
  assert.ok(Array.from(output.dataSync()).every(Number.isFinite));
  tf.dispose(output);
  model.model.dispose();

  const resumed = spawnSync(process.execPath, [bin, 'resume', runDir, '--json'], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(resumed.status, 0, resumed.stderr);
  const events = resumed.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; epoch?: number; runDir?: string; message?: string });
  assert.equal(events.find((e) => e.type === 'started')?.runDir, runDir, 'the same run folder');
  assert.ok(events.some((e) => e.type === 'log' && /Resuming after epoch 2 of 4/.test(e.message ?? '')));
  assert.deepEqual(
    events.filter((e) => e.type === 'epoch').map((e) => e.epoch),
    [3, 4],
    'only the missing epochs are trained',
  );

  const records = readEpochRecords(runDir);
  assert.deepEqual(
    records.map((r) => r.epoch),
    [1, 2, 3, 4],
    'the curve continues where it stopped, no epoch twice',
  );
  assert.deepEqual(
    records.slice(0, 2).map((r) => r.valLoss),
    before.map((r) => r.valLoss),
    'earlier lines are untouched',
  );
  const summary = JSON.parse(readFileSync(runFile(runDir, 'summary'), 'utf8')) as RunSummary;
  assert.equal(summary.status, 'completed');
  assert.equal(summary.epochsCompleted, EPOCHS);
  assert.equal(summary.message, `Trained ${EPOCHS} epochs.`);
  assert.ok(
    summary.metrics && summary.metrics.test.denoised.mse < summary.metrics.test.noisyInput.mse,
    'the resumed model denoises',
  );
  assert.equal(readRunStatus(runDir)?.status, 'completed');
  assert.equal(readCheckpoint(runDir)?.epoch, EPOCHS);
  assert.ok(existsSync(join(runFile(runDir, 'model'), 'model.json')), 'the final model is saved as in a normal run');

  // A finished run cannot be resumed again.
  const again = spawnSync(process.execPath, [bin, 'resume', runDir], { encoding: 'utf8' });
  assert.equal(again.status, 2);
  assert.match(again.stderr, /has already ended \(completed\); only an interrupted run can be resumed/);
});

test('resume drops a metrics line written after the last checkpoint, and refuses folders it cannot continue', async () => {
  const file = writeTinyExperiment(
    { dataset: { trainSize: 1000, valSize: 200, testSize: 200 }, training: { epochs: 3, batchSize: 16 } },
    'torn',
  );
  const { runDir } = await runAndKill(file, 2);
  // The process died after appending epoch 2's line but before its checkpoint: simulate with a copy of epoch 1's line.
  const metrics = runFile(runDir, 'metrics');
  const first = readFileSync(metrics, 'utf8');
  writeFileSync(metrics, `${first}${first.trim().replace('"epoch":1', '"epoch":2')}\n{"epoch":3,"trainL`);
  const resumed = spawnSync(process.execPath, [bin, 'resume', runDir, '--json'], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.deepEqual(
    readEpochRecords(runDir).map((r) => r.epoch),
    [1, 2, 3],
  );
  assert.equal(readFileSync(metrics, 'utf8').trim().split('\n').length, 3, 'the torn line is gone too');

  const notARun = spawnSync(process.execPath, [bin, 'resume', join(runDir, 'checkpoint')], { encoding: 'utf8' });
  assert.equal(notARun.status, 2);
  assert.match(notARun.stderr, /is not a Denoise Lab run folder \(no config\.json\)/);
});

test('the extension resumes an interrupted run through its trainer, inside the workspace only, and refuses a finished one', async () => {
  const file = writeTinyExperiment(
    { dataset: { trainSize: 1000, valSize: 200, testSize: 200 }, training: { epochs: 3, batchSize: 16 } },
    'resume-ext',
  );
  const { runDir } = await runAndKill(file, 2);
  const workspace = dirname(file);
  const service = (folder: string) =>
    new RunService({
      trainerPath: join(__dirname, '..', 'dist', 'trainer.js'),
      maxParallel: 1,
      isTrusted: () => true,
      pathPolicy: () => ({ workspaceFolders: [folder], allowedPaths: [] }),
    });
  const request = { configFile: runFile(runDir, 'config'), overrides: [], resumeRunDir: runDir };

  const elsewhere = service(join(workspace, 'other')).submit(request);
  assert.equal(!elsewhere.ok && elsewhere.reason, 'outsideWorkspace', 'a resume obeys the same boundary');

  const runs = service(workspace);
  const submitted = runs.submit(request);
  assert.ok(submitted.ok, submitted.ok ? '' : submitted.message);
  const run = await runs.whenEnded(submitted.run.id);
  assert.equal(run.ending, 'completed', run.message);
  assert.equal(run.runDir, runDir, 'the same run folder');
  assert.deepEqual(
    readEpochRecords(runDir).map((r) => r.epoch),
    [1, 2, 3],
  );

  const again = runs.submit(request);
  assert.ok(!again.ok && again.reason === 'notResumable' && /has already ended \(completed\)/.test(again.message));
});
