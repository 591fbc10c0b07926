import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StateValue, TrainingState } from '../training/trainingState';
import { writeFileAtomic } from '../files/atomicWrite';

/** The two files of a checkpoint's training state: the JSON tree, and the float arrays it points into. */
export const TRAINING_STATE_FILES = { json: 'training.json', bin: 'training.bin' } as const;

type Encoded = number | string | boolean | null | Encoded[] | { [key: string]: Encoded };

/**
 * Writes a training state as training.bin (every Float32Array, one after the other, little-endian as
 * WebAssembly and x86 keep them) and then training.json, whose arrays are {"$f32": [offset, length]} in
 * floats and whose non-finite numbers are {"$num": "Infinity"} (JSON has none). Both atomically, bin first,
 * so a training.json always has its arrays.
 */
export function writeTrainingState(dir: string, state: TrainingState): void {
  const arrays: Float32Array[] = [];
  let floats = 0;
  const encode = (value: StateValue): Encoded => {
    if (value instanceof Float32Array) {
      arrays.push(value);
      floats += value.length;
      return { $f32: [floats - value.length, value.length] };
    }
    if (typeof value === 'number') return Number.isFinite(value) ? value : { $num: String(value) };
    if (Array.isArray(value)) return value.map(encode);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v as StateValue)]));
    }
    return value as Encoded;
  };
  const json = encode(state as unknown as StateValue);
  const bin = new Float32Array(floats);
  let at = 0;
  for (const a of arrays) {
    bin.set(a, at);
    at += a.length;
  }
  writeFileAtomic(join(dir, TRAINING_STATE_FILES.bin), new Uint8Array(bin.buffer));
  writeFileAtomic(join(dir, TRAINING_STATE_FILES.json), JSON.stringify(json));
}

/** Reads what writeTrainingState wrote; throws naming the file when it is missing or damaged. */
export function readTrainingState(dir: string): TrainingState {
  const jsonPath = join(dir, TRAINING_STATE_FILES.json);
  const binPath = join(dir, TRAINING_STATE_FILES.bin);
  let json: Encoded;
  let bytes: Buffer;
  try {
    json = JSON.parse(readFileSync(jsonPath, 'utf8')) as Encoded;
    bytes = readFileSync(binPath);
  } catch (err) {
    throw new Error(`cannot read the checkpoint's training state in ${dir}: ${(err as Error).message}`);
  }
  if (bytes.byteLength % 4 !== 0)
    throw new Error(`${binPath} is ${bytes.byteLength} bytes, not whole 32-bit floats: it is damaged`);
  // A copy: the Buffer may sit at an offset that is not a multiple of 4 in Node's pool.
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const decode = (value: Encoded): StateValue => {
    if (Array.isArray(value)) return value.map(decode);
    if (value !== null && typeof value === 'object') {
      if ('$f32' in value) {
        const [offset, length] = value.$f32 as number[];
        if (!(offset >= 0 && length >= 0 && offset + length <= floats.length)) {
          throw new Error(
            `${jsonPath} points past the end of ${binPath}: the two files are from different checkpoints`,
          );
        }
        return floats.slice(offset, offset + length);
      }
      if ('$num' in value) return Number(value.$num);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
    }
    return value;
  };
  return decode(json) as unknown as TrainingState;
}
