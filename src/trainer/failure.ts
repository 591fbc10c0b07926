import { ConfigError } from '../core/config/configError';
import { exitCodeFor } from '../app/classifyError';
import { EXIT } from '../app/exitCodes';
import type { TrainerToHost } from '../protocol/trainerMessages';

/** An error as the host gets it, with the exit code that goes with it (2 bad input, 1 failed run). */
export function failureMessage(err: unknown): { exitCode: number; message: Extract<TrainerToHost, { type: 'error' }> } {
  const exitCode = exitCodeFor(err);
  return {
    exitCode,
    message: {
      type: 'error',
      failure: exitCode === EXIT.badInput ? 'badInput' : 'runFailed',
      message: (err as Error).message,
      problems: err instanceof ConfigError ? err.problems : [],
    },
  };
}
