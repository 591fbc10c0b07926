/**
 * Small readers for validating received messages. Each reads one field, checks its type and bounds, and
 * throws a ProtocolError naming the field when it is wrong; a validator catches it and reports the reason.
 * Validators build a fresh object from the fields they read, so unknown extra fields never get through.
 */
import { LIMITS } from './limits';

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/** What a validator returns: the checked value, or why the message was rejected. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** Runs a validator body, turning a ProtocolError into a rejection (other errors are bugs and propagate). */
export function check<T>(read: () => T): Checked<T> {
  try {
    return { ok: true, value: read() };
  } catch (err) {
    if (err instanceof ProtocolError) return { ok: false, reason: err.message };
    throw err;
  }
}

function fail(at: string, what: string): never {
  throw new ProtocolError(`${at}: ${what}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

export type Fields = Record<string, unknown>;

/** A plain object (not an array, not null). */
export function object(value: unknown, at: string): Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    fail(at, `expected an object, got ${describe(value)}`);
  }
  return value as Fields;
}

/** The `type` field, checked against the types the receiver knows. */
export function messageType<T extends string>(message: Fields, known: readonly T[], at = 'message'): T {
  const type = message.type;
  if (typeof type !== 'string' || type.length > LIMITS.label) fail(`${at}.type`, `expected a string, got ${describe(type)}`);
  if (!(known as readonly string[]).includes(type)) fail(`${at}.type`, `unknown message type "${type}"`);
  return type as T;
}

export function string(o: Fields, key: string, at: string, max: number = LIMITS.label): string {
  const value = o[key];
  if (typeof value !== 'string') fail(`${at}.${key}`, `expected a string, got ${describe(value)}`);
  if (value.length > max) fail(`${at}.${key}`, `longer than ${max} characters`);
  return value;
}

export function optionalString(o: Fields, key: string, at: string, max: number = LIMITS.label): string | undefined {
  return o[key] === undefined ? undefined : string(o, key, at, max);
}

export interface NumberBounds {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
}

/** A finite number (NaN and ±Infinity are rejected) within optional bounds. */
export function number(o: Fields, key: string, at: string, bounds: NumberBounds = {}): number {
  const value = o[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${at}.${key}`, `expected a finite number, got ${describe(value)}`);
  if (bounds.integer && !Number.isInteger(value)) fail(`${at}.${key}`, `expected an integer, got ${value}`);
  if (bounds.min !== undefined && value < bounds.min) fail(`${at}.${key}`, `${value} is below ${bounds.min}`);
  if (bounds.max !== undefined && value > bounds.max) fail(`${at}.${key}`, `${value} is above ${bounds.max}`);
  return value;
}

export function optionalNumber(o: Fields, key: string, at: string, bounds: NumberBounds = {}): number | undefined {
  return o[key] === undefined ? undefined : number(o, key, at, bounds);
}

/** A count or index: a non-negative integer. */
export function count(o: Fields, key: string, at: string, max: number = Number.MAX_SAFE_INTEGER): number {
  return number(o, key, at, { min: 0, max, integer: true });
}

export function boolean(o: Fields, key: string, at: string): boolean {
  const value = o[key];
  if (typeof value !== 'boolean') fail(`${at}.${key}`, `expected true or false, got ${describe(value)}`);
  return value;
}

export function oneOf<T extends string>(o: Fields, key: string, at: string, allowed: readonly T[]): T {
  const value = o[key];
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(`${at}.${key}`, `expected one of ${allowed.join(', ')}, got ${typeof value === 'string' ? `"${value.slice(0, 40)}"` : describe(value)}`);
  }
  return value as T;
}

/** An array of at most `max` items, each read by `item` (which gets the item and its path). */
export function array<T>(o: Fields, key: string, at: string, max: number, item: (value: unknown, at: string) => T): T[] {
  const value = o[key];
  if (!Array.isArray(value)) fail(`${at}.${key}`, `expected an array, got ${describe(value)}`);
  if (value.length > max) fail(`${at}.${key}`, `more than ${max} items (${value.length})`);
  return value.map((v, i) => item(v, `${at}.${key}[${i}]`));
}

/** A string read as an array item. */
export function stringItem(max: number = LIMITS.label) {
  return (value: unknown, at: string): string => {
    if (typeof value !== 'string') fail(at, `expected a string, got ${describe(value)}`);
    if (value.length > max) fail(at, `longer than ${max} characters`);
    return value;
  };
}

/** Raw bytes (IPC with advanced serialization) of exactly `length` bytes. */
export function bytes(o: Fields, key: string, at: string, length: number): Uint8Array {
  const value = o[key];
  if (!(value instanceof Uint8Array)) fail(`${at}.${key}`, `expected a Uint8Array, got ${describe(value)}`);
  if (value.length !== length) fail(`${at}.${key}`, `expected ${length} bytes, got ${value.length}`);
  return value;
}

/** Image dimensions within LIMITS, returned with the byte length they imply. */
export function imageShape(o: Fields, at: string): { count: number; height: number; width: number; length: number } {
  const shape = {
    count: count(o, 'count', at, LIMITS.images),
    height: number(o, 'height', at, { min: 1, max: LIMITS.side, integer: true }),
    width: number(o, 'width', at, { min: 1, max: LIMITS.side, integer: true }),
  };
  return { ...shape, length: shape.count * shape.height * shape.width };
}
