/**
 * Hostile messages built from the protocol's own schemas, so every message type (the before/after view's,
 * apply's, the epoch slider's, and whatever is added next) is attacked without a list to keep up to date:
 * for each branch of each channel, a well-formed message is built from its schema, then one field at a time
 * is broken (wrong type, removed, out of bounds, oversized, swapped for another message's type). The
 * validator must name the refusal in a short reason, never throw, and never let a broken field through.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from '../src/core/random/seededRandom';
import { HostToTrainerSchema, TrainerToHostSchema } from '../src/protocol/schemas/trainerMessageSchemas';
import { HostToWebviewSchema, WEBVIEW_PARTS, WebviewToHostSchema } from '../src/protocol/schemas/webviewMessageSchemas';
import { validateHostToTrainer, validateTrainerToHost } from '../src/protocol/validateTrainerMessages';
import { validateHostToWebview, validateWebviewToHost } from '../src/protocol/validateWebviewMessages';
import { recordingSession } from './helpers/recordingSession';

type Schema = Record<string, unknown> & {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  items?: Schema;
  $ref?: string;
  $id?: string;
};

const CASES_PER_TYPE = 200;
const rng = new SeededRandom(24);
const pick = <T>(items: readonly T[]): T => items[rng.nextInt(items.length)];

const CHANNELS = [
  { name: 'page → host', schema: WebviewToHostSchema, validate: validateWebviewToHost },
  { name: 'host → page', schema: HostToWebviewSchema, validate: validateHostToWebview },
  { name: 'host → trainer', schema: HostToTrainerSchema, validate: validateHostToTrainer },
  { name: 'trainer → host', schema: TrainerToHostSchema, validate: validateTrainerToHost },
] as const;

const ALL_TYPES = CHANNELS.flatMap((c) =>
  (c.schema as unknown as Schema).oneOf!.map((b) => String((b.properties!.type as Schema).const)),
);
const parts = new Map((WEBVIEW_PARTS as unknown as Schema[]).map((p) => [p.$id!, p]));
const resolve = (schema: Schema): Schema => (schema.$ref ? parts.get(schema.$ref)! : schema);

/** The smallest value the schema accepts: required fields only, empty arrays, the lowest numbers. */
function smallest(raw: Schema): unknown {
  const schema = resolve(raw);
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const union = schema.oneOf ?? schema.anyOf;
  if (union) return smallest(union[0]);
  if (schema.uint8Array) return new Uint8Array(0);
  switch (schema.type) {
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((key) => [key, smallest(schema.properties![key])]));
    case 'array':
      return Array.from({ length: Number(schema.minItems ?? 0) }, () => smallest(schema.items!));
    case 'string':
      return 'a'.repeat(Number(schema.minLength ?? 0));
    case 'integer':
    case 'number':
      return Number(schema.minimum ?? 0);
    case 'boolean':
      return false;
    default:
      return null;
  }
}

/** A field of a built message, with its schema: where one mutation goes. */
interface Slot {
  readonly holder: Record<string, unknown>;
  readonly key: string;
  readonly schema: Schema;
  readonly required: boolean;
  readonly path: string;
}

/** The member of a tagged union a value is: the one whose `type` constant it carries. */
function memberFor(value: Record<string, unknown>, raw: Schema): Schema {
  const schema = resolve(raw);
  const union = schema.oneOf ?? schema.anyOf;
  if (!union) return schema;
  return resolve(union.find((m) => resolve(m).properties?.type?.const === value.type) ?? union[0]);
}

/**
 * The well-formed messages a branch is tried from: its smallest message, and one more per member of each
 * union it holds (a trainer's `event` is any of the training events, an `applyEvent` any of apply's).
 */
function wellFormed(branch: Schema): { label: string; message: Record<string, unknown> }[] {
  const type = String((branch.properties!.type as Schema).const);
  const found = [{ label: type, message: smallest(branch) as Record<string, unknown> }];
  for (const [key, child] of Object.entries(branch.properties ?? {})) {
    const union = resolve(child).oneOf ?? resolve(child).anyOf;
    if (!union || !branch.required?.includes(key)) continue;
    for (const member of union.slice(1)) {
      const message = smallest(branch) as Record<string, unknown>;
      message[key] = smallest(member);
      const tag = (message[key] as Record<string, unknown> | null)?.type;
      found.push({ label: `${type}.${String(tag ?? key)}`, message });
    }
  }
  return found;
}

function slotsOf(value: Record<string, unknown>, raw: Schema, path: string): Slot[] {
  const schema = memberFor(value, raw);
  const found: Slot[] = [];
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    if (!(key in value)) continue;
    const slot = {
      holder: value,
      key,
      schema: resolve(child),
      required: !!schema.required?.includes(key),
      path: `${path}.${key}`,
    };
    found.push(slot);
    const inner = value[key];
    if (inner && typeof inner === 'object' && !Array.isArray(inner) && !(inner instanceof Uint8Array))
      found.push(...slotsOf(inner as Record<string, unknown>, child, slot.path));
  }
  return found;
}

/** A value of the wrong JSON type for `schema`, so any validator must refuse it. */
function wrongType(schema: Schema): unknown {
  if (schema.uint8Array) return pick(['AAAA', [1, 2, 3], { 0: 1 }]);
  const byType: Record<string, unknown[]> = {
    string: [0, true, null, [], {}, ['a']],
    integer: ['1', 1.5, true, null, [], {}, NaN, Infinity],
    number: ['1', true, null, [], {}, NaN, Infinity, -Infinity],
    boolean: ['true', 0, 1, null, []],
    array: ['[]', 0, null, {}, { length: 0 }],
    object: ['{}', 0, null, [], true],
  };
  return pick(byType[schema.type ?? ''] ?? [Symbol.for('never'), () => 0]);
}

/** A value past the schema's bounds (length, range, items, allowed values), or undefined when it has none. */
function outOfBounds(schema: Schema): unknown {
  if (typeof schema.maxLength === 'number' && schema.maxLength < 5_000_000) return 'x'.repeat(schema.maxLength + 1);
  if (typeof schema.maximum === 'number')
    return schema.maximum + (schema.type === 'integer' ? 1 : 1e-6) * Math.max(1, Math.abs(schema.maximum));
  if (typeof schema.minimum === 'number') return schema.minimum - 1;
  if (typeof schema.maxItems === 'number' && schema.items && schema.maxItems < 100_000)
    return Array.from({ length: schema.maxItems + 1 }, () => smallest(schema.items!));
  if (Array.isArray(schema.enum) || schema.const !== undefined) return '__proto__';
  if (typeof schema.pattern === 'string') return '<script>alert(1)</script>';
  return undefined;
}

for (const channel of CHANNELS) {
  const branches = (channel.schema as unknown as Schema).oneOf!;
  test(`${channel.name}: each of its ${branches.length} message types (and each kind of event inside), well formed, is accepted; broken one field at a time, refused with a reason`, (t) => {
    let refused = 0;
    let tried = 0;
    const tally: string[] = [];
    const variants = branches.flatMap((branch) => wellFormed(branch).map((w) => ({ branch, ...w })));
    for (const { branch, label: type, message: valid } of variants) {
      const accepted = channel.validate(valid);
      assert.ok(
        accepted.ok,
        `${type}: its smallest well-formed message is refused: ${!accepted.ok && accepted.reason}`,
      );
      let typeRefused = 0;
      for (let i = 0; i < CASES_PER_TYPE; i++) {
        const message = structuredClone(valid);
        const slots = slotsOf(message, branch, 'm').filter((s) => s.key !== 'type' || s.path === 'm.type');
        const slot = pick(slots);
        // What the mutation must lead to: refused, or (an extra field) accepted with the field dropped.
        let mustRefuse = true;
        let extra: string | undefined;
        const bound = outOfBounds(slot.schema);
        switch (rng.nextInt(5)) {
          case 0:
            slot.holder[slot.key] = wrongType(slot.schema);
            if (slot.schema.type === undefined && !slot.schema.uint8Array) mustRefuse = false;
            break;
          case 1:
            delete slot.holder[slot.key];
            mustRefuse = slot.required;
            break;
          case 2:
            if (bound === undefined) {
              slot.holder[slot.key] = wrongType(slot.schema);
              mustRefuse = slot.schema.type !== undefined || !!slot.schema.uint8Array;
            } else slot.holder[slot.key] = bound;
            break;
          case 3:
            extra = pick(['__proto__', 'constructor', 'runDirs', 'x'.repeat(300), 'then']);
            Object.defineProperty(slot.holder, extra, {
              value: { polluted: true },
              enumerable: true,
              writable: true,
              configurable: true,
            });
            mustRefuse = false;
            break;
          default: {
            // Another message's type over this message's fields: one this channel does not carry is refused.
            const other = pick([...ALL_TYPES, '', 'toString', '__proto__']);
            message.type = other;
            mustRefuse = !branches.some((b) => (b.properties!.type as Schema).const === other);
          }
        }
        let checked: ReturnType<typeof channel.validate>;
        try {
          checked = channel.validate(message);
        } catch (err) {
          assert.fail(`${channel.name} ${type}: the validator threw on ${slot.path}: ${(err as Error).message}`);
        }
        tried++;
        if (!checked.ok) {
          refused++;
          typeRefused++;
          assert.ok(
            checked.reason.length > 0 && checked.reason.length < 500,
            `${type}: a short reason: ${checked.reason.slice(0, 120)}`,
          );
        } else {
          assert.ok(!mustRefuse, `${channel.name} ${type}: a broken ${slot.path} was accepted`);
          if (extra && slot.holder === message)
            assert.ok(
              !Object.keys(checked.value).includes(extra),
              `${type}: the extra field ${extra} reached the handler`,
            );
        }
      }
      tally.push(`${type} ${typeRefused}/${CASES_PER_TYPE}`);
    }
    t.diagnostic(
      `${channel.name}: ${tried} broken messages over ${variants.length} kinds, ${refused} refused (${tally.join(', ')})`,
    );
    assert.ok(refused > tried / 2, 'the generator mostly breaks messages');
  });
}

test('a page that sends every broken page → host message: the session logs each refusal and hands on only well-formed ones', () => {
  const { session, handled, log } = recordingSession();
  const branches = (WebviewToHostSchema as unknown as Schema).oneOf!;
  let sent = 0;
  for (const branch of branches) {
    const valid = smallest(branch) as Record<string, unknown>;
    for (const slot of slotsOf(valid, branch, 'm')) {
      if (slot.key === 'type' && slot.path !== 'm.type') continue;
      const message = structuredClone(valid);
      const [holder] = slotsOf(message, branch, 'm').filter((s) => s.path === slot.path);
      holder.holder[holder.key] = wrongType(holder.schema);
      session.receive(message);
      sent++;
    }
  }
  assert.ok(sent > branches.length, `${sent} broken messages`);
  assert.equal(
    log.filter((l) => /^Ignored a malformed message from the dashboard page: /.test(l)).length,
    sent - handled.length,
  );
  for (const m of handled) assert.ok(validateWebviewToHost(m).ok, `handed on a malformed ${m.type}`);
  assert.equal(handled.length, 0, 'a field of the wrong type never reaches the handler');
});
