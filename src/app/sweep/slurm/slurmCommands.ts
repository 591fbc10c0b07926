import { execFile } from 'node:child_process';
import { InputError } from '../../../core/errors/inputError';

/** A Slurm command that is missing or refused what it was asked; the message says what to do. */
export class SlurmError extends InputError {
  override name = 'SlurmError';
}

export interface SlurmResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** Where each Slurm command comes from, in words for an error. */
const PACKAGE_HINT =
  "run this on a machine with Slurm's commands (a login node of the cluster), or install them (Debian: slurm-client)";

/**
 * Runs one of Slurm's commands (sbatch, squeue, scontrol, scancel, sinfo) without a shell. Resolves with
 * its output and exit code whatever the code; rejects with a SlurmError only when the command is not on the
 * PATH. SLURM_CONF and the rest of the environment pass through, so a test cluster is reached the same way.
 */
export function runSlurm(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<SlurmResult> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = (err as NodeJS.ErrnoException | null)?.code;
      if (code === 'ENOENT') {
        reject(new SlurmError(`${command} is not on the PATH: sweeps on Slurm need Slurm's commands; ${PACKAGE_HINT}`));
        return;
      }
      const exit = err
        ? typeof (err as { code?: unknown }).code === 'number'
          ? (err as unknown as { code: number }).code
          : 1
        : 0;
      resolve({ stdout: String(stdout), stderr: String(stderr), code: exit });
    });
  });
}

/** Slurm's own message from a failed command: its error lines, without the "sbatch: error: " prefixes repeated. */
export function slurmMessage(result: SlurmResult): string {
  const lines = result.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.length ? lines.join('\n') : `exit code ${result.code}`;
}
