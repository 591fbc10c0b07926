/** Runs a compiled message validator on a received value and words its verdict. */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { formatSchemaError } from './formatSchemaError';

/** What a validator returns: the checked value, or why the message was rejected. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/**
 * Checks a copy of `value`, so the fields the schema does not name can be dropped from what is returned
 * without touching the sender's object. Never throws: a value that cannot even be copied is refused.
 */
export function checkMessage<T>(validate: ValidateFunction, value: unknown): Checked<T> {
  let copy: unknown;
  try {
    copy = structuredClone(value);
  } catch (err) {
    return { ok: false, reason: `message: cannot be copied (${String((err as Error).message).slice(0, 200)})` };
  }
  if (validate(copy)) return { ok: true, value: copy as T };
  const error = firstInSchemaOrder(validate.errors ?? []);
  return { ok: false, reason: error ? formatSchemaError(error, copy) : 'message: refused' };
}

/**
 * The refusal of the first field in the order the schema declares its fields. ajv lists an object's missing
 * fields before the errors inside its fields, so a missing field is passed over for an error in a field
 * declared before it; otherwise ajv's order already is the schema's.
 */
function firstInSchemaOrder(errors: readonly ErrorObject[]): ErrorObject | undefined {
  let first = errors[0];
  for (const error of errors.slice(1)) {
    if (first.keyword !== 'required' || !error.instancePath.startsWith(`${first.instancePath}/`)) continue;
    const order = Object.keys((first.parentSchema?.properties ?? {}) as object);
    const field = error.instancePath.slice(first.instancePath.length + 1).split('/')[0];
    if (order.indexOf(field) < order.indexOf(first.params.missingProperty)) first = error;
  }
  return first;
}
