/**
 * Issue 24's scenario: DnCNN 5x32 on 4,000 MNIST images, 6 epochs, Adam, trained uninterrupted and then
 * SIGKILLed at three seeded points and resumed with `denoise resume`. Prints, per run, where it was killed
 * and resumed from, its test PSNR and the largest difference of its final weights from the uninterrupted
 * run's. The three killed runs train side by side with the uninterrupted one. A measurement, not a test:
 * `npm run build && node --import tsx bench/resumeScenario.ts [epochs] [EXPERIMENT_FILE [UNINTERRUPTED_RUN]]`
 * (an earlier uninterrupted run of the same file can be reused).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SeededRandom } from '../src/core/random/seededRandom';
import { readCheckpoint } from '../src/core/runs/checkpoint';
import { runFile } from '../src/core/runs/runFiles';
import type { RunSummary } from '../src/core/runs/runSummary';

const bin = join(__dirname, '..', 'bin', 'denoise');
const epochs = Number(process.argv[2] ?? 6);
const train = 4000;
const batchSize = 32;
const batches = epochs * Math.ceil(train / batchSize);

const file =
  process.argv[3] ?? join(mkdtempSync(join(tmpdir(), 'denoise-resume-scenario-')), 'resume-scenario.denoise.json');
const earlierReference = process.argv[4];
if (!process.argv[3])
  writeFileSync(
    file,
    JSON.stringify({
      name: 'resume-scenario',
      dataset: { source: 'mnist', trainSize: train, valSize: 500, testSize: 1000 },
      noise: {
        steps: [
          { type: 'gaussian', variance: 0.01 },
          { type: 'saltPepper', amount: 0.1 },
        ],
      },
      model: { type: 'dncnn', depth: 5, filters: 32, batchNorm: false },
      training: { optimizer: 'adam', learningRate: 0.001, epochs, batchSize },
      evaluation: { sampleImages: 0, readability: false },
      output: { checkpointMinutes: 0.25, epochImages: false },
    }),
  );

/** `denoise ARGS --json`, SIGKILLed once it has reported `killAfter` batches (when given). */
function denoise(args: string[], killAfter?: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let runDir = '';
    let seen = 0;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as { type: string; runDir?: string; message?: string };
      if (event.type === 'started') runDir = event.runDir!;
      if (event.type === 'log' && /^Resuming/.test(event.message ?? '')) console.log(`  ${event.message}`);
      if (event.type === 'batch' && ++seen >= (killAfter ?? Infinity) && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', () => resolve(runDir));
  });
}

const weights = (runDir: string) => {
  const bytes = readFileSync(join(runFile(runDir, 'model'), 'weights.bin'));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};
const testPsnr = (runDir: string) =>
  (JSON.parse(readFileSync(runFile(runDir, 'summary'), 'utf8')) as RunSummary).metrics!.test.denoised.psnr;

/** Trains the file, SIGKILLs it after `killAfter` batches, resumes it to the end; returns its folder. */
async function killedAndResumed(killAfter: number): Promise<{ runDir: string; killAfter: number; from: string }> {
  const runDir = await denoise(['run', file], killAfter);
  const checkpoint = readCheckpoint(runDir);
  const from = `${checkpoint?.epoch} epochs + ${checkpoint?.batch} batches (saved ${checkpoint?.savedAt})`;
  console.log(`killed after batch ${killAfter} of ${batches}; its last checkpoint: ${from}`);
  await denoise(['resume', runDir]);
  return { runDir, killAfter, from };
}

async function main(): Promise<void> {
  const started = Date.now();
  const points = SeededRandom.derive(24, 'resume scenario');
  const kills = [0, 1, 2].map(() => 1 + points.nextInt(batches - 1));
  const [reference, ...resumed] = await Promise.all([
    earlierReference ?? denoise(['run', file]),
    ...kills.map((k) => killedAndResumed(k)),
  ]);
  const expected = weights(reference);
  console.log(`\nuninterrupted: test PSNR ${testPsnr(reference).toFixed(4)} dB`);
  for (const { runDir, killAfter, from } of resumed) {
    const got = weights(runDir);
    const diff = got.reduce((worst, v, i) => Math.max(worst, Math.abs(v - expected[i])), 0);
    console.log(
      `killed after batch ${killAfter}, resumed from ${from}: test PSNR ${testPsnr(runDir).toFixed(4)} dB, max weight difference ${diff}`,
    );
  }
  console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

void main();
