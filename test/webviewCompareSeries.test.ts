/**
 * The comparison chart reads (issue 21, item 7): a metric choice, a log scale, one axis per loss kind, and
 * colours that stay with a run whatever else is compared.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EpochPoint, RunRow } from '../src/protocol/webviewMessages';
import { ColourBook, compareSeries } from '../webview/state/compareSeries';

const curve = (loss: number): EpochPoint[] =>
  [1, 2, 3].map((epoch) => ({ epoch, trainLoss: loss * 1.1, valLoss: loss / epoch, valPsnr: 14 + epoch, valSsim: 0 }));
const run = (runDir: string, loss: string, value: number) => ({
  row: { runDir, name: runDir.slice(1), status: 'completed', loss } as RunRow,
  curve: curve(value),
});

test('MSE and BCE losses get an axis each; PSNR shares one', () => {
  const runs = [run('/mse', 'mse', 0.02), run('/bce', 'bce', 0.6), run('/mse2', 'mse', 0.03)];
  const { series, axes } = compareSeries(runs, 'valLoss', { log: false, colours: new ColourBook() });
  assert.deepEqual(
    axes.map((a) => [a.id, a.title, a.position]),
    [
      ['y0', 'Validation loss: MSE', 'left'],
      ['y1', 'Validation loss: BCE', 'right'],
    ],
  );
  assert.deepEqual(
    series.map((s) => [s.label, s.axisId]),
    [
      ['mse (MSE)', 'y0'],
      ['bce (BCE)', 'y1'],
      ['mse2 (MSE)', 'y0'],
    ],
  );
  const psnr = compareSeries(runs, 'valPsnr', { log: false, colours: new ColourBook() });
  assert.equal(psnr.axes.length, 1);
  assert.deepEqual(
    psnr.series[0].points.map((p) => p.y),
    [15, 16, 17],
  );
});

test('a log scale leaves out values that are not positive; colours stay with their runs', () => {
  const colours = new ColourBook();
  const ssim = compareSeries([run('/a', 'mse', 0.1)], 'valSsim', { log: true, colours });
  assert.deepEqual(ssim.series[0].points, [], 'SSIM 0 cannot be drawn on a log axis');
  const first = compareSeries([run('/a', 'mse', 0.1), run('/b', 'mse', 0.1)], 'valLoss', {
    log: false,
    colours,
  }).series;
  const later = compareSeries([run('/c', 'mse', 0.1), run('/b', 'mse', 0.1)], 'valLoss', {
    log: false,
    colours,
  }).series;
  assert.equal(later[1].colour, first[1].colour, 'run b keeps its colour');
  assert.notEqual(later[0].colour, first[0].colour, "a new run gets a free colour, not run a's");
});
