/** Signals a problem with the user's input (exit code 2 on the command line), not a failed run. */
export class InputError extends Error {
  override name = 'InputError';
}
