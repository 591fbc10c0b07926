/**
 * `npm run bench:load`: issue 24's figures under load. A runs folder of 1,000 runs, 200 of them one sweep
 * (bench/syntheticRuns.ts, the real file formats), then each reader the user waits on, timed as it runs:
 *
 * - `denoise list`: the command line spawned (a new process: no cache survives it), and its listing in this
 *   process (listRuns), the first time and again (a reader that keeps running lists the folder many times);
 * - the Runs view: what a refresh reads (Lab.savedRuns → listSavedRuns, then savedRunsTree and the Slurm
 *   watcher's scan; only VS Code's drawing is left out);
 * - the results table: the dashboard's run list (labelledRows of every run's runRow), sorted and exported as
 *   Markdown and CSV, and a sweep's results files as `denoise sweep` rewrites them after each run;
 * - the host's `comparison` message of 50 runs (what Compare Runs reads; the page's side is bench:page).
 *
 * Target: every row under 1,000 ms. Options: --runs N (1000), --sweep N (200), --epochs N (100),
 * --images N (50 runs with images), --repeat N (5), --json. Build first (bin/denoise runs dist/cli.js).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { comparedRun } from '../src/app/page/runFolderMessages';
import { sortRows } from '../src/app/results/resultColumns';
import { resultsCsv, resultsMarkdown } from '../src/app/results/resultExports';
import { labelledRows } from '../src/app/runs/labelledRows';
import { runRow } from '../src/app/runs/runRow';
import { listSavedRuns } from '../src/app/runs/savedRuns';
import { sweepRows, type SweepRunOutcome } from '../src/app/sweep/sweepResults';
import { listRuns } from '../src/core/runs/listRuns';
import { savedRunsTree } from '../src/extension/host/savedRunsTree';
import { SlurmSweepWatcher } from '../src/extension/host/slurmSweepWatcher';
import { writeSyntheticRuns } from './syntheticRuns';

const TARGET_MS = 1000;
const bin = join(__dirname, '..', 'bin', 'denoise');

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`--${name} needs a whole number, got ${process.argv[i + 1]}`);
  return value;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Row {
  readonly operation: string;
  readonly ms: number;
  /** The slowest of the repeats, when there were several. */
  readonly maxMs?: number;
}

/** The first call alone ("first"), then the median and max of `repeat` more ("again"). */
function timeIt(name: string, repeat: number, work: () => unknown): Row[] {
  let t = performance.now();
  work();
  const first = { operation: `${name} (first)`, ms: performance.now() - t };
  const again: number[] = [];
  for (let i = 0; i < repeat; i++) {
    t = performance.now();
    work();
    again.push(performance.now() - t);
  }
  return repeat ? [first, { operation: `${name} (again)`, ms: median(again), maxMs: Math.max(...again) }] : [first];
}

/** `denoise list` as a user types it: a new node process each time, the median of `repeat`. */
function spawnList(runsDir: string, args: string[], repeat: number): Row {
  const times: number[] = [];
  let printed = '';
  for (let i = 0; i < Math.max(1, repeat); i++) {
    const t = performance.now();
    const result = spawnSync(process.execPath, [bin, 'list', '--runs-dir', runsDir, ...args], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    times.push(performance.now() - t);
    if (result.status !== 0) throw new Error(`denoise list failed (${result.status}): ${result.stderr}`);
    printed = result.stdout;
  }
  if (!printed.includes('T')) throw new Error(`denoise list printed no runs: ${printed.slice(0, 200)}`);
  return {
    operation: `denoise list ${args.join(' ')} (spawned)`.replace('  ', ' '),
    ms: median(times),
    maxMs: Math.max(...times),
  };
}

function main(): void {
  const runs = option('runs', 1000);
  const sweep = option('sweep', 200);
  const epochs = option('epochs', 100);
  const images = option('images', 50);
  const repeat = option('repeat', 5);
  const json = process.argv.includes('--json');
  const log = (text: string) => (json ? undefined : console.log(text));

  const t = performance.now();
  const written = writeSyntheticRuns({ runs, sweepRuns: sweep, epochs, withImages: images });
  const { runsDir, sweepFolder } = written;
  log(
    `${runs} run folders (${sweep} of one sweep, ${epochs} epochs, ${images} with images) in ${runsDir}: ` +
      `${((performance.now() - t) / 1000).toFixed(1)} s to write`,
  );
  const folders = [runsDir];
  const sweepOutcomes = (
    JSON.parse(readFileSync(join(sweepFolder, 'sweep.json'), 'utf8')) as { runs: SweepRunOutcome[] }
  ).runs;
  const compareDirs = new Set(written.runDirs.slice(0, Math.min(50, images || 50)));
  const loadBefore = loadavg();
  const results: Row[] = [];
  try {
    results.push(spawnList(runsDir, [], repeat));
    results.push(spawnList(runsDir, ['--json'], repeat));
    results.push(...timeIt('listRuns (denoise list in process)', repeat, () => listRuns(runsDir)));
    results.push(
      ...timeIt('Runs view refresh', repeat, () => {
        const saved = listSavedRuns(folders);
        new SlurmSweepWatcher().discover(folders);
        return savedRunsTree(saved, folders);
      }),
    );
    results.push(
      ...timeIt('results table (dashboard run list, sorted, exported)', repeat, () => {
        const rows = labelledRows(listSavedRuns(folders).map((r) => runRow(r)));
        const sorted = sortRows(rows, { key: 'testPsnr', descending: true });
        return resultsMarkdown(sorted).length + resultsCsv(sorted).length;
      }),
    );
    results.push(
      ...timeIt(`sweep results table (${sweep} runs, after each run)`, repeat, () => {
        const rows = sweepRows(sweepOutcomes);
        return resultsMarkdown(rows).length + resultsCsv(rows).length;
      }),
    );
    results.push(
      ...timeIt(`compare ${compareDirs.size} runs (host message)`, repeat, () => {
        const compared = listSavedRuns(folders)
          .filter((r) => compareDirs.has(r.runDir))
          .map((r) => comparedRun(r));
        return labelledRows(
          compared.map((c) => c.row),
          { params: true },
        );
      }),
    );
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
  const loadAfter = loadavg();
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`;
  const load = `load average ${loadBefore[0].toFixed(1)} before, ${loadAfter[0].toFixed(1)} after`;
  if (json) {
    console.log(JSON.stringify({ runs, sweep, epochs, machine, loadBefore, loadAfter, results }));
    return;
  }
  const width = Math.max(...results.map((r) => r.operation.length));
  log(`\n${machine}; ${load}`);
  log(`${'operation'.padEnd(width)}  ${'ms'.padStart(7)}  ${'max ms'.padStart(7)}  target   result`);
  for (const r of results) {
    const max = r.maxMs === undefined ? '' : r.maxMs.toFixed(0);
    const verdict = r.ms < TARGET_MS ? 'pass' : 'FAIL';
    log(
      `${r.operation.padEnd(width)}  ${r.ms.toFixed(0).padStart(7)}  ${max.padStart(7)}  ${TARGET_MS} ms  ${verdict}`,
    );
  }
  if (results.some((r) => r.ms >= TARGET_MS)) process.exitCode = 1;
}

main();
