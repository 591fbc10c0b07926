import { ConfigError } from '../core/config/configError';
import { DatasetError } from '../core/data/datasetError';
import { InputError } from '../core/errors/inputError';
import { EXIT } from './exitCodes';

/** Errors the user fixes by changing their input exit with 2; anything else is a failed run (1). */
export function exitCodeFor(err: unknown): number {
  return err instanceof ConfigError || err instanceof DatasetError || err instanceof InputError
    ? EXIT.badInput
    : EXIT.runFailed;
}
