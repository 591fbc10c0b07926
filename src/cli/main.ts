import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../core/config/configError';
import { exitCodeFor } from '../app/classifyError';
import { EXIT } from '../app/exitCodes';
import { runCommand } from './commands/runCommand';
import { previewCommand } from './commands/previewCommand';
import { evalCommand } from './commands/evalCommand';
import { listCommand } from './commands/listCommand';
import { sweepCommand } from './commands/sweepCommand';
import { resumeCommand } from './commands/resumeCommand';
import { reportCommand } from './commands/reportCommand';
import { DEFAULT_GAUSSIAN_LEVELS, DEFAULT_SALT_PEPPER_LEVELS, noiseCurveCommand } from './commands/noiseCurveCommand';

const collect = (value: string, previous: string[]) => [...previous, value];
const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

/** Runs a command and turns its outcome into the documented exit code (0 ok, 1 failed run, 2 bad input). */
function action<A extends unknown[]>(fn: (...args: A) => Promise<number> | number) {
  return async (...args: A) => {
    try {
      process.exitCode = await fn(...args);
    } catch (err) {
      const message = err instanceof ConfigError ? err.message : `Error: ${(err as Error).message}`;
      process.stderr.write(`${message}\n`);
      if (process.env.DENOISE_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
      process.exitCode = exitCodeFor(err);
    }
  };
}

const program = new Command()
  .name('denoise')
  .description('Denoise Lab: image-denoising experiments described in *.denoise.json files')
  .showHelpAfterError()
  .exitOverride((err) => process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.badInput));

program
  .command('run')
  .description('train and evaluate an experiment; results go to a new folder under the runs folder')
  .argument('<config>', 'experiment file (*.denoise.json)')
  .option('--set <path=value>', 'override a field, e.g. training.epochs=2 (repeatable)', collect, [])
  .option('--runs-dir <dir>', 'runs folder (default: output.runsDir, relative to the experiment file)')
  .option('--engine <name>', 'auto, tensorflow, wasm-blas, wasm or cpu')
  .option('--json', 'print events and the final summary as JSON lines on stdout', false)
  .action(action((config: string, opts: { set: string[]; runsDir?: string; engine?: string; json: boolean }) => runCommand(config, opts)));

program
  .command('resume')
  .description('continue an interrupted run from its last checkpoint, in the same run folder')
  .argument('<run>', 'run folder')
  .option('--json', 'print events and the final summary as JSON lines on stdout', false)
  .action(action((run: string, opts: { json: boolean }) => resumeCommand(run, opts)));

program
  .command('preview')
  .description('write PNGs of clean test images, each noise step alone and combined (no training)')
  .argument('<config>', 'experiment file (*.denoise.json)')
  .requiredOption('--out <dir>', 'folder for the PNG files')
  .option('--count <n>', 'number of test images', positiveInt, 8)
  .option('--set <path=value>', 'override a field (repeatable)', collect, [])
  .option('--json', 'print the written files as JSON', false)
  .action(action((config: string, opts: { out: string; count: number; set: string[]; json: boolean }) => previewCommand(config, opts)));

program
  .command('eval')
  .description("measure a run's saved model on its test set again")
  .argument('<run>', 'run folder')
  .option('--json', 'print the metrics as JSON', false)
  .action(action((run: string, opts: { json: boolean }) => evalCommand(run, opts)));

program
  .command('list')
  .description('list runs with their status and test metrics')
  .option('--runs-dir <dir>', 'runs folder', 'denoise-runs')
  .option('--json', 'print the runs as JSON', false)
  .action(action((opts: { runsDir: string; json: boolean }) => listCommand(opts)));

program
  .command('sweep')
  .description("train every run of the experiment's sweep section; writes results.md and results.csv into <runs folder>/<name>-<time>/")
  .argument('<config>', 'experiment file (*.denoise.json) with a sweep section')
  .option('--parallel <n>', 'runs trained at once (default: sweep.parallel)', positiveInt)
  .option('--set <path=value>', 'override a field in every run, after the sweep values, e.g. training.epochs=5 (repeatable)', collect, [])
  .option('--runs-dir <dir>', 'runs folder (default: output.runsDir, relative to the experiment file)')
  .option('--json', 'print one JSON line per run start and end, then the sweep summary', false)
  .action(action((config: string, opts: { parallel?: number; set: string[]; runsDir?: string; json: boolean }) => sweepCommand(config, opts)));

program
  .command('report')
  .description("write one standalone HTML file with a run's curves, images, table and generation (opens in any browser, offline)")
  .argument('<run>', 'run folder')
  .option('--out <file>', 'HTML file to write (default: report.html in the run folder)')
  .option('--theme <theme>', 'dark, light, or auto (follows the browser)', 'auto')
  .option('--json', 'print the written file as JSON', false)
  .action(action((run: string, opts: { out?: string; theme: string; json: boolean }) => reportCommand(run, opts)));

const levelList = (value: string) => {
  const levels = value.split(',').map((v) => Number(v.trim()));
  if (levels.some((v) => !Number.isFinite(v) || v < 0 || v > 1)) throw new InvalidArgumentError('expected comma-separated numbers between 0 and 1, e.g. 0,0.01,0.05');
  return levels;
};

program
  .command('noise-curve')
  .description("PSNR of a run's saved model on its test images at several noise levels (writes noise-curve.json in the run folder)")
  .argument('<run>', 'run folder')
  .option('--gaussian <levels>', 'Gaussian variances, comma-separated', levelList, DEFAULT_GAUSSIAN_LEVELS)
  .option('--salt-pepper <levels>', 'salt-and-pepper amounts, comma-separated', levelList, DEFAULT_SALT_PEPPER_LEVELS)
  .option('--max-images <n>', 'test images per level', positiveInt, 2000)
  .option('--json', 'print the points as JSON', false)
  .action(
    action((run: string, opts: { gaussian: number[]; saltPepper: number[]; maxImages: number; json: boolean }) => noiseCurveCommand(run, opts)),
  );

program.parseAsync(process.argv);
