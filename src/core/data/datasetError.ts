/**
 * Data that cannot be used: a missing or malformed file, or sizes the source cannot supply.
 * The message is written for the user and always names the file or the `dataset.*` field to fix.
 */
export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}
