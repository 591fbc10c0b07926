import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = join(__dirname, '..', '..', 'scripts', 'slurm-test-cluster.sh');

/** Why the Slurm tests cannot run on this machine, or undefined when they can. */
export function slurmSkipReason(): string | undefined {
  if (process.platform !== 'linux') return 'the Slurm tests start a Slurm cluster, which runs on Linux only';
  if (process.getuid?.() !== 0) return 'the Slurm tests start slurmd, which must run as root (run the tests as root)';
  const missing = ['slurmctld', 'slurmd', 'sbatch', 'munged'].filter(
    (c) => spawnSync('sh', ['-c', `command -v ${c}`]).status !== 0,
  );
  if (missing.length)
    return `Slurm is not installed (${missing.join(', ')} missing); \`bash scripts/setup.sh\` as root installs slurm-wlm and munge`;
  return undefined;
}

export interface TestCluster {
  /** The environment that points Slurm's commands at this cluster (SLURM_CONF). */
  readonly env: NodeJS.ProcessEnv;
  readonly dir: string;
  stop(): void;
}

/**
 * Starts a one-node cluster (munged, slurmctld, slurmd on localhost, everything in a temporary folder)
 * and returns how to reach and stop it. Stopping is also registered for the process's exit, so a test
 * that fails or throws does not leave daemons behind.
 */
export function startTestCluster(): TestCluster {
  const dir = mkdtempSync(join(tmpdir(), 'denoise-slurm-'));
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    spawnSync('bash', [script, 'stop', dir], { stdio: 'inherit', timeout: 60_000 });
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  const started = spawnSync('bash', [script, 'start', dir], { encoding: 'utf8', timeout: 120_000 });
  const conf = /^SLURM_CONF=(.+)$/m.exec(started.stdout ?? '')?.[1];
  if (started.status !== 0 || !conf || !existsSync(conf)) {
    stop();
    throw new Error(`the test cluster did not start:\n${started.stdout}\n${started.stderr}`);
  }
  return { env: { ...process.env, SLURM_CONF: conf }, dir, stop };
}
