/**
 * The parts of a sweep on Slurm that need no cluster: the options a user writes (checked before anything is
 * submitted), how they layer, the task list of a resubmission, and the batch script's quoting.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchScript } from '../src/app/sweep/slurm/batchScript';
import { mergeSlurmOptions, sbatchArguments, slurmOptionProblems } from '../src/app/sweep/slurm/slurmOptions';
import { arraySpec } from '../src/app/sweep/slurm/slurmSweepFile';

test('Slurm options are checked in words before anything is submitted', () => {
  assert.deepEqual(slurmOptionProblems({ time: '01:30:00', mem: '4G', cpusPerTask: 4, partition: 'cpu' }), []);
  for (const time of ['30', '30:00', '1-12', '1-12:00:00', 'UNLIMITED'])
    assert.deepEqual(slurmOptionProblems({ time }), [], time);
  assert.deepEqual(slurmOptionProblems({ time: 'soon', mem: 'lots', cpusPerTask: 0, partition: 'my queue' }), [
    'time "soon" is not a Slurm time; use MM, HH:MM:SS or D-HH:MM:SS, e.g. 01:30:00',
    'mem "lots" is not a size; use e.g. 4000M or 4G',
    'cpus-per-task 0 must be a whole number from 1 to 1024',
    'partition "my queue" has characters Slurm names do not use',
  ]);
});

test('the command line wins over the experiment, which wins over the settings; empty means not set', () => {
  const settings = { partition: 'short', time: '00:30:00', account: 'lab' };
  const experiment = { time: '02:00:00', cpusPerTask: 2 };
  const commandLine = { partition: 'long', mem: '', cpusPerTask: undefined };
  const merged = mergeSlurmOptions(settings, experiment, commandLine);
  assert.deepEqual(merged, { partition: 'long', time: '02:00:00', account: 'lab', cpusPerTask: 2 });
  assert.deepEqual(sbatchArguments(merged), [
    '--partition=long',
    '--time=02:00:00',
    '--cpus-per-task=2',
    '--account=lab',
  ]);
});

test("a resubmission's task list is compact and keeps each run's task id", () => {
  assert.equal(arraySpec([0, 1, 2, 3, 7, 9, 10, 11]), '0-3,7,9-11');
  assert.equal(arraySpec([5]), '5');
  assert.equal(arraySpec([3, 1, 2, 1]), '1-3');
  assert.equal(arraySpec(Array.from({ length: 1000 }, (_, i) => i)), '0-999');
});

test('the batch script runs the task of its array id, threads from its CPUs, with paths that hold quotes and spaces', () => {
  const dir = mkdtempSync(join(tmpdir(), "denoise it's here "));
  const script = join(dir, 'job.sh');
  // A stand-in "node" that prints what it was given, so the script's own quoting is what is checked.
  const node = join(dir, 'fake node');
  writeFileSync(node, '#!/bin/sh\nprintf "%s|" "$@" "$OPENBLAS_NUM_THREADS"\n', { mode: 0o755 });
  writeFileSync(script, batchScript({ node, cli: join(dir, 'bin', 'denoise'), folder: join(dir, 'sweep') }));
  const result = spawnSync('bash', [script], {
    env: { ...process.env, SLURM_ARRAY_TASK_ID: '7', SLURM_CPUS_PER_TASK: '4' },
    encoding: 'utf8',
  });
  assert.equal(result.stdout, `${join(dir, 'bin', 'denoise')}|sweep-task|${join(dir, 'sweep')}|7|4|`);
});
