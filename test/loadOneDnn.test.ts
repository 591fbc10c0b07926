import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadOneDnn } from '../src/core/engine/onednn/loadOneDnn';

test('oneDNN that is left out or not found is reported with the reason, and nothing else breaks', () => {
  const before = process.env.DENOISE_ONEDNN_LIB;
  try {
    process.env.DENOISE_ONEDNN_LIB = 'none';
    const left = loadOneDnn();
    assert.equal(left.onednn, undefined);
    assert.deepEqual(left.problems, ['left out by DENOISE_ONEDNN_LIB=none']);
    process.env.DENOISE_ONEDNN_LIB = '/nowhere/libdnnl.so.2';
    const missing = loadOneDnn();
    assert.equal(missing.onednn, undefined);
    assert.match(missing.problems.join('\n'), /oneDNN not found \(\/nowhere\/libdnnl\.so\.2\)/);
  } finally {
    if (before === undefined) delete process.env.DENOISE_ONEDNN_LIB;
    else process.env.DENOISE_ONEDNN_LIB = before;
  }
});
