import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { openMpWaitPolicy, withOpenMpWaitPolicy } from '../src/core/engine/onednn/openMpWaitPolicy';

/*
 * oneDNN's OpenMP threads sleep between primitives when the CPUs are contended (openMpWaitPolicy.ts): the
 * user's own setting wins, the choice follows Linux's CPU pressure, and child processes do not inherit it.
 */

function withEnvironment(name: string, value: string | undefined, run: () => void) {
  const before = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    run();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

test("the user's OMP_WAIT_POLICY wins", () => {
  for (const [value, passive] of [
    ['passive', true],
    ['ACTIVE', false],
  ] as const) {
    withEnvironment('OMP_WAIT_POLICY', value, () => {
      assert.deepEqual(openMpWaitPolicy(), { passive, reason: 'set in the environment' });
      withOpenMpWaitPolicy(() => assert.equal(process.env.OMP_WAIT_POLICY, value));
    });
  }
});

test('otherwise the threads wait passively exactly when some task waited for a CPU half of the last 10 s', () => {
  withEnvironment('OMP_WAIT_POLICY', undefined, () =>
    withEnvironment('GOMP_SPINCOUNT', undefined, () => {
      const policy = openMpWaitPolicy();
      if (!existsSync('/proc/pressure/cpu')) {
        assert.equal(policy.passive, false, policy.reason);
        return;
      }
      const pressure = Number(/some avg10=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'))![1]);
      // The figure moves between the two reads only near the threshold.
      if (Math.abs(pressure - 50) > 5) assert.equal(policy.passive, pressure >= 50, policy.reason);
      assert.match(policy.reason, /^CPU pressure [\d.]+% over the last 10 s$/);
      const seen = withOpenMpWaitPolicy(() => process.env.OMP_WAIT_POLICY);
      if (Math.abs(pressure - 50) > 5) assert.equal(seen, pressure >= 50 ? 'passive' : undefined);
      assert.equal(process.env.OMP_WAIT_POLICY, undefined, 'the setting is not left for child processes');
    }),
  );
});
