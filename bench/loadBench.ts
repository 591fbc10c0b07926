/**
 * `npm run bench:load`: issue 24's figures under load. A runs folder of 1,000 runs, 200 of them one sweep
 * (bench/syntheticRuns.ts, the real file formats), then each reader the user waits on, timed as it runs:
 *
 * - `denoise list`: the command line spawned (a new process: no cache survives it), and its listing in this
 *   process (listRuns);
 * - the Runs view: what a refresh reads (Lab.savedRuns → listSavedRuns, then savedRunsTree and the Slurm
 *   watcher's scan; only VS Code's drawing is left out);
 * - the results table: the dashboard's run list (labelledRows of every run's runRow), sorted and exported as
 *   Markdown and CSV, and a sweep's results files as `denoise sweep` rewrites them after each run;
 * - the host's `comparison` message of 50 runs (what Compare Runs reads; the page's side is bench:page).
 *
 * Each reader is timed cold (a new process, no file read kept yet: VS Code opening the workspace) and again
 * (the same process after a first call: the Runs view's and the dashboard's later refreshes, which keep parsed
 * run files while they are unchanged). Target: every row under 1,000 ms. Options: --runs N (1000), --sweep N
 * (200), --epochs N (100), --images N (50 runs with images), --repeat N (5), --json.
 * Build first (bin/denoise runs dist/cli.js).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import { median, wholeNumberOption } from './benchArgs';

const TARGET_MS = 1000;
const bin = join(__dirname, '..', 'bin', 'denoise');

interface Row {
  readonly operation: string;
  readonly ms: number;
  /** The slowest of the repeats, when there were several. */
  readonly maxMs?: number;
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

/** What the readers are timed on: written once by the bench, handed to each cold child process as JSON. */
interface BenchContext {
  readonly runsDir: string;
  readonly sweepOutcomes: SweepRunOutcome[];
  readonly compareDirs: string[];
}

/** The readers the user waits on, by name; each returns something so that none is optimised away. */
function operations(context: BenchContext): { readonly name: string; readonly work: () => unknown }[] {
  const folders = [context.runsDir];
  const compareDirs = new Set(context.compareDirs);
  return [
    { name: 'listRuns (denoise list in process)', work: () => listRuns(context.runsDir) },
    {
      name: 'Runs view refresh',
      work: () => {
        const saved = listSavedRuns(folders);
        new SlurmSweepWatcher().discover(folders);
        return savedRunsTree(saved, folders);
      },
    },
    {
      name: 'results table (dashboard run list, sorted, exported)',
      work: () => {
        const rows = labelledRows(listSavedRuns(folders).map((r) => runRow(r)));
        const sorted = sortRows(rows, { key: 'testPsnr', descending: true });
        return resultsMarkdown(sorted).length + resultsCsv(sorted).length;
      },
    },
    {
      name: `sweep results table (${context.sweepOutcomes.length} runs, after each run)`,
      work: () => {
        const rows = sweepRows(context.sweepOutcomes);
        return resultsMarkdown(rows).length + resultsCsv(rows).length;
      },
    },
    {
      name: `compare ${compareDirs.size} runs (host message)`,
      work: () => {
        const compared = listSavedRuns(folders)
          .filter((r) => compareDirs.has(r.runDir))
          .map((r) => comparedRun(r));
        return labelledRows(
          compared.map((c) => c.row),
          { params: true },
        );
      },
    },
  ];
}

/**
 * One reader timed once in a new process (`--cold-op I --context FILE`): no file read is kept yet, as when
 * VS Code opens the workspace and draws the Runs view; module loading is left out, the JIT's warm-up is not.
 */
function coldChild(index: number, contextFile: string): void {
  const op = operations(JSON.parse(readFileSync(contextFile, 'utf8')) as BenchContext)[index];
  const t = performance.now();
  op.work();
  console.log(JSON.stringify({ ms: performance.now() - t }));
}

/** The median and max of `repeat` new processes each timing the reader once. */
function timeCold(index: number, name: string, contextFile: string, repeat: number): Row {
  const times: number[] = [];
  for (let i = 0; i < Math.max(1, repeat); i++) {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', __filename, '--cold-op', String(index), '--context', contextFile],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`${name} (cold) failed (${result.status}): ${result.stderr}`);
    times.push((JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as { ms: number }).ms);
  }
  return { operation: `${name} (cold)`, ms: median(times), maxMs: Math.max(...times) };
}

/** The median and max of `repeat` calls in one process after a first one: a reader that stays open. */
function timeWarm(name: string, repeat: number, work: () => unknown): Row {
  work();
  const times: number[] = [];
  for (let i = 0; i < Math.max(1, repeat); i++) {
    const t = performance.now();
    work();
    times.push(performance.now() - t);
  }
  return { operation: `${name} (again)`, ms: median(times), maxMs: Math.max(...times) };
}

function main(): void {
  const coldOp = process.argv.indexOf('--cold-op');
  if (coldOp >= 0)
    return coldChild(Number(process.argv[coldOp + 1]), process.argv[process.argv.indexOf('--context') + 1]);
  const runs = wholeNumberOption('runs', 1000);
  const sweep = wholeNumberOption('sweep', 200);
  const epochs = wholeNumberOption('epochs', 100);
  const images = wholeNumberOption('images', 50);
  const repeat = wholeNumberOption('repeat', 5);
  const json = process.argv.includes('--json');
  const log = (text: string) => (json ? undefined : console.log(text));

  const t = performance.now();
  const written = writeSyntheticRuns({ runs, sweepRuns: sweep, epochs, withImages: images });
  const { runsDir, sweepFolder } = written;
  log(
    `${runs} run folders (${sweep} of one sweep, ${epochs} epochs, ${images} with images) in ${runsDir}: ` +
      `${((performance.now() - t) / 1000).toFixed(1)} s to write`,
  );
  const context: BenchContext = {
    runsDir,
    sweepOutcomes: (JSON.parse(readFileSync(join(sweepFolder, 'sweep.json'), 'utf8')) as { runs: SweepRunOutcome[] })
      .runs,
    compareDirs: written.runDirs.slice(0, Math.min(50, images || 50)),
  };
  const contextFile = `${runsDir}.bench.json`;
  writeFileSync(contextFile, JSON.stringify(context));
  const loadBefore = loadavg();
  const results: Row[] = [];
  try {
    results.push(spawnList(runsDir, [], repeat));
    results.push(spawnList(runsDir, ['--json'], repeat));
    for (const [i, op] of operations(context).entries()) {
      results.push(timeCold(i, op.name, contextFile, repeat));
      results.push(timeWarm(op.name, repeat, op.work));
    }
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
    rmSync(contextFile, { force: true });
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
