/**
 * The epoch slider over the compared runs' reconstructions: one slider asks for every compared run's
 * images after the same epoch (epochs/epoch-NNNN.png, read back exactly) and draws them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { epochSamples } from '../src/app/page/runFolderMessages';
import { writeSampleGrid } from '../src/core/experiment/sampleImages';
import { epochImagePath } from '../src/core/runs/runFiles';
import { decodeBase64, encodeBase64 } from '../src/protocol/base64';
import { packEpochSamples } from '../src/protocol/epochSamplesPacking';
import { CHROMIUM, digitsGrays, openDashboardPage } from './helpers/webviewPage';

test("a run's images after one epoch read back as the bytes it wrote; an epoch without images is absent", () => {
  const runDir = mkdtempSync(join(tmpdir(), 'epoch-samples-'));
  mkdirSync(join(runDir, 'epochs'));
  const bytes = (seed: number) => Uint8Array.from({ length: 2 * 28 * 28 }, (_, i) => (i * seed) % 256);
  writeSampleGrid(epochImagePath(runDir, 3), {
    count: 2,
    height: 28,
    width: 28,
    clean: bytes(3),
    noisy: bytes(5),
    denoised: bytes(7),
  });
  const samples = epochSamples(runDir, 3);
  assert.ok(samples);
  assert.deepEqual([...decodeBase64(samples.denoised)!], [...bytes(7)]);
  assert.equal(epochSamples(runDir, 4), undefined);
});

const digits = (value: number) => encodeBase64(new Uint8Array(2 * 28 * 28).fill(value));
const samples = (value: number) => ({
  count: 2,
  height: 28,
  width: 28,
  clean: digits(250),
  noisy: digits(120),
  denoised: digits(value),
});
const curve = [1, 2, 3].map((epoch) => ({ epoch, trainLoss: 0.1, valLoss: 0.1, valPsnr: 15, valSsim: 0.5 }));

test(
  'moving the slider asks for all compared runs at that epoch and draws the answer',
  { skip: !existsSync(CHROMIUM) && `${CHROMIUM} is not installed` },
  async () => {
    const { browser, page, post } = await openDashboardPage();
    try {
      const row = (runDir: string) => ({ runDir, name: runDir.slice(6), status: 'completed' as const });
      await post({
        type: 'comparison',
        runs: ['/runs/a', '/runs/b'].map((d) => ({ row: row(d), curve, samples: samples(200) })),
      });
      const slider = page.getByTestId('epoch-slider');
      await slider.waitFor({ state: 'visible' });
      assert.equal(await slider.getAttribute('max'), '3');
      assert.equal(await page.getByTestId('epoch-slider-label').textContent(), 'final');
      const sent = () => page.evaluate(() => (window as unknown as { sent: { type: string }[] }).sent);
      const request = (epoch: number) => ({ type: 'requestEpochSamples', runDirs: ['/runs/a', '/runs/b'], epoch });
      // The comparison reads ahead where the slider starts: the last epoch, before anyone moves it.
      assert.deepEqual((await sent()).at(-1), request(3));
      await slider.focus();
      await page.keyboard.press('ArrowLeft');
      // Asked at once, without waiting for the read-ahead's answer.
      assert.deepEqual((await sent()).at(-1), request(2));
      await post(
        packEpochSamples(2, [
          { runDir: '/runs/a', samples: samples(40) },
          { runDir: '/runs/b', samples: samples(90) },
        ]),
      );
      await page.waitForFunction(
        () => document.querySelector('[data-testid="epoch-slider-label"]')?.textContent === 'after epoch 2',
      );
      // The digits' canvas now holds the epoch's denoised columns (gray 40 and 90), not the final ones (200).
      const values = await digitsGrays(page);
      assert.ok(values.includes(40) && values.includes(90) && !values.includes(200), `pixel values ${values}`);
    } finally {
      await browser.close();
    }
  },
);
