import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../core/config/configError';
import { exitCodeFor } from '../app/classifyError';
import { InputError } from '../core/errors/inputError';
import { EXIT } from '../app/exitCodes';
import { DEFAULT_GAUSSIAN_LEVELS, DEFAULT_SALT_PEPPER_LEVELS } from './commands/noiseCurveLevels';
// Commands that train or read models load TensorFlow.js (about half a second) when they run, so the
// commands that only read files and ask Slurm (list, sweep-status, sweep-cancel) answer quickly.
import { listCommand } from './commands/listCommand';
import { slurmResumeCommand, slurmSweepCommand } from './commands/slurmSweepCommand';
import { sweepStatusCommand } from './commands/sweepStatusCommand';
import { sweepCancelCommand } from './commands/sweepCancelCommand';
// export reads the model files only (no TensorFlow.js), so it loads with the others.
import { registerExportCommand } from './commands/exportCommand';

const collect = (value: string, previous: string[]) => [...previous, value];
const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

const positiveNumber = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
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
  .action(
    action(async (config: string, opts: { set: string[]; runsDir?: string; engine?: string; json: boolean }) =>
      (await import('./commands/runCommand.js')).runCommand(config, opts),
    ),
  );

program
  .command('resume')
  .description('continue an interrupted run from its last checkpoint, in the same run folder')
  .argument('<run>', 'run folder')
  .option('--json', 'print events and the final summary as JSON lines on stdout', false)
  .action(
    action(async (run: string, opts: { json: boolean }) =>
      (await import('./commands/resumeCommand.js')).resumeCommand(run, opts),
    ),
  );

program
  .command('preview')
  .description('write PNGs of clean test images, each noise step alone and combined (no training)')
  .argument('<config>', 'experiment file (*.denoise.json)')
  .requiredOption('--out <dir>', 'folder for the PNG files')
  .option('--count <n>', 'number of test images', positiveInt, 8)
  .option('--set <path=value>', 'override a field (repeatable)', collect, [])
  .option('--json', 'print the written files as JSON', false)
  .action(
    action(async (config: string, opts: { out: string; count: number; set: string[]; json: boolean }) =>
      (await import('./commands/previewCommand.js')).previewCommand(config, opts),
    ),
  );

program
  .command('apply')
  .description(
    "denoise image files or folders with a run's trained model; results keep their names, format and bit depth",
  )
  .argument('<run-and-inputs...>', 'a run folder (a conv, dncnn or unet model) or builtin:gray, then images')
  .usage('[options] <run | builtin:gray | builtin:colour> <inputs...>   or   --model <run> <inputs...>')
  .option('--model <run>', 'the model: a run folder, builtin:gray or builtin:colour (else the first argument)')
  .requiredOption('--out <dir>', 'folder for the denoised images (not an input folder)')
  .option('--tile <px>', 'tile side in pixels (default: the largest that fits --memory-mb)', positiveInt)
  .option(
    '--memory-mb <mb>',
    'memory for the whole apply, in MB (default 1024, raised for an image that needs more)',
    positiveInt,
  )
  .option(
    '--sigma <s>',
    "the inputs' Gaussian noise σ (0-255 scale): a model trained at another σ gets the input scaled to its own (docs/self-supervised.md)",
    positiveNumber,
  )
  .option('--json', 'print one JSON line per written file, then the list', false)
  .action(
    action(
      async (
        given: string[],
        opts: { model?: string; out: string; tile?: number; memoryMb?: number; sigma?: number; json: boolean },
      ) => {
        const [run, ...inputs] = opts.model ? [opts.model, ...given] : given;
        if (!inputs.length) throw new InputError(`denoise apply ${run}: no images given (files or folders after it)`);
        return (await import('./commands/applyCommand.js')).applyCommand(run, inputs, opts);
      },
    ),
  );

program
  .command('eval')
  .description("measure a run's saved model on its test set again")
  .argument('<run>', 'run folder')
  .option(
    '--sigma <s>',
    "test at this Gaussian σ (0-255 scale) instead of the run's own, e.g. a blind model at 15, 25 and 50",
    positiveNumber,
  )
  .option(
    '--gray-model <run>',
    "a colour run's test images denoised one channel at a time by this gray model (a run folder or builtin:gray)",
  )
  .option('--json', 'print the metrics as JSON', false)
  .action(
    action(async (run: string, opts: { json: boolean; sigma?: number; grayModel?: string }) =>
      (await import('./commands/evalCommand.js')).evalCommand(run, opts),
    ),
  );

program
  .command('list')
  .description('list runs with their status and test metrics')
  .option('--runs-dir <dir>', 'runs folder', 'denoise-runs')
  .option('--json', 'print the runs as JSON', false)
  .action(action((opts: { runsDir: string; json: boolean }) => listCommand(opts)));

interface SweepCliOptions {
  parallel?: number;
  set: string[];
  runsDir?: string;
  json: boolean;
  on: string;
  resume?: string;
  wait?: boolean;
  partition?: string;
  time?: string;
  cpusPerTask?: number;
  mem?: string;
  gres?: string;
  account?: string;
}

/** `denoise sweep`: on this machine (child processes), or on Slurm (one job array), or --resume of a Slurm sweep. */
async function sweepAction(config: string | undefined, opts: SweepCliOptions): Promise<number> {
  const slurm = {
    partition: opts.partition,
    time: opts.time,
    cpusPerTask: opts.cpusPerTask,
    mem: opts.mem,
    gres: opts.gres,
    account: opts.account,
  };
  if (opts.resume) {
    if (config) throw new InputError('give either CONFIG or --resume SWEEP_FOLDER, not both');
    return slurmResumeCommand(opts.resume, { ...slurm, json: opts.json, wait: opts.wait });
  }
  if (!config) throw new InputError('missing CONFIG: the experiment file (*.denoise.json) with a sweep section');
  if (opts.on === 'slurm')
    return slurmSweepCommand(config, {
      ...slurm,
      set: opts.set,
      runsDir: opts.runsDir,
      json: opts.json,
      wait: opts.wait,
    });
  const slurmOnly = Object.entries({ ...slurm, wait: opts.wait })
    .filter(([, v]) => v !== undefined)
    .map(([k]) => k);
  if (slurmOnly.length)
    throw new InputError(
      `--${slurmOnly[0].replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is for sweeps on Slurm: add --on slurm`,
    );
  return (await import('./commands/sweepCommand.js')).sweepCommand(config, opts);
}

program
  .command('sweep')
  .description(
    "train every run of the experiment's sweep section; writes results.md and results.csv into <runs folder>/<name>-<time>/",
  )
  .argument('[config]', 'experiment file (*.denoise.json) with a sweep section')
  .option('--parallel <n>', 'runs trained at once (default: sweep.parallel)', positiveInt)
  .option(
    '--set <path=value>',
    'override a field in every run, after the sweep values, e.g. training.epochs=5 (repeatable)',
    collect,
    [],
  )
  .option('--runs-dir <dir>', 'runs folder (default: output.runsDir, relative to the experiment file)')
  .option('--json', 'print one JSON line per run start and end, then the sweep summary', false)
  .addOption(
    new Option('--on <where>', 'where the runs train: here (child processes) or slurm (one job array)')
      .choices(['here', 'slurm'])
      .default('here'),
  )
  .option(
    '--partition <name>',
    'Slurm: partition of the tasks (default: sweep.slurm.partition, else the cluster default)',
  )
  .option('--time <limit>', 'Slurm: time limit per task, e.g. 01:00:00 (a run stopped by it can be resumed)')
  .option('--cpus-per-task <n>', "Slurm: CPUs per task = each run's BLAS threads (default 1)", positiveInt)
  .option('--mem <size>', 'Slurm: memory per task, e.g. 4G')
  .option('--gres <spec>', 'Slurm: generic resources per task, e.g. gpu:1')
  .option('--account <name>', 'Slurm: account charged')
  .option(
    '--resume <sweep-folder>',
    'Slurm: resubmit the runs of that sweep that did not complete (continuing each from its checkpoint)',
  )
  .option('--wait', 'Slurm: follow the sweep until every task has ended (exit 0 only if every run completed)')
  .action(action((config: string | undefined, opts: SweepCliOptions) => sweepAction(config, opts)));

program
  .command('sweep-status')
  .description(
    "a sweep on Slurm: each run's Slurm state next to its training state; rewrites the sweep's results table",
  )
  .argument('<sweep-folder>', 'the folder `denoise sweep --on slurm` printed')
  .option('--json', 'print the runs as JSON', false)
  .action(action((folder: string, opts: { json: boolean }) => sweepStatusCommand(folder, opts)));

program
  .command('sweep-cancel')
  .description('a sweep on Slurm: cancel its waiting and running tasks (scancel); --resume continues them later')
  .argument('<sweep-folder>', 'the folder `denoise sweep --on slurm` printed')
  .option(
    '--run <n>',
    'cancel only run N (1-based, as sweep-status numbers them; repeatable)',
    (v: string, prev: number[]) => [...prev, positiveInt(v)],
    [] as number[],
  )
  .option('--json', 'print what was cancelled as JSON', false)
  .action(
    action((folder: string, opts: { run: number[]; json: boolean }) =>
      sweepCancelCommand(folder, { run: opts.run.length ? opts.run : undefined, json: opts.json }),
    ),
  );

// Run by each task of a Slurm job array (the sweep folder's job.sh), not by people.
program
  .command('sweep-task', { hidden: true })
  .argument('<sweep-folder>')
  .argument('<index>')
  .action(
    action(async (folder: string, index: string) =>
      (await import('./sweep/slurmTask.js')).sweepTaskCommand(folder, index),
    ),
  );

program
  .command('report')
  .description(
    "write one standalone HTML file with a run's curves, images, table and generation (opens in any browser, offline)",
  )
  .argument('<run>', 'run folder')
  .option('--out <file>', 'HTML file to write (default: report.html in the run folder)')
  .option('--theme <theme>', 'dark, light, or auto (follows the browser)', 'auto')
  .option('--json', 'print the written file as JSON', false)
  .action(
    action(async (run: string, opts: { out?: string; theme: string; json: boolean }) =>
      (await import('./commands/reportCommand.js')).reportCommand(run, opts),
    ),
  );

const levelList = (value: string) => {
  const levels = value.split(',').map((v) => Number(v.trim()));
  if (levels.some((v) => !Number.isFinite(v) || v < 0 || v > 1))
    throw new InvalidArgumentError('expected comma-separated numbers between 0 and 1, e.g. 0,0.01,0.05');
  return levels;
};

program
  .command('noise-curve')
  .description(
    "PSNR of a run's saved model on its test images at several noise levels (writes noise-curve.json in the run folder)",
  )
  .argument('<run>', 'run folder')
  .option('--gaussian <levels>', 'Gaussian variances, comma-separated', levelList, DEFAULT_GAUSSIAN_LEVELS)
  .option('--salt-pepper <levels>', 'salt-and-pepper amounts, comma-separated', levelList, DEFAULT_SALT_PEPPER_LEVELS)
  .option('--max-images <n>', 'test images per level', positiveInt, 2000)
  .option('--json', 'print the points as JSON', false)
  .action(
    action(async (run: string, opts: { gaussian: number[]; saltPepper: number[]; maxImages: number; json: boolean }) =>
      (await import('./commands/noiseCurveCommand.js')).noiseCurveCommand(run, opts),
    ),
  );

registerExportCommand(program, action);

program.parseAsync(process.argv);
