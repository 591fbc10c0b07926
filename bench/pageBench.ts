/**
 * `npm run bench:page`: the dashboard with many runs compared (issue 21's target: 50 runs of 100 epochs, the
 * slider and zoom answer within 100 ms, the page stays under 300 MB). Real run folders are written (curves,
 * every epoch's sample images), the host's reading is timed as the extension does it (webviewHub), and the
 * built page (dist/webview.js) is driven in the e2e suite's Chromium:
 *
 * - compare: the `comparison` message of all runs until the page has drawn it;
 * - slider: one step of the epoch slider, from the key press until the 50 runs' digits are drawn, with the
 *   answer the host reads from the run folders (its reading time reported beside);
 * - zoom: one step of the image compare mode's zoom, when the page has one (`Zoom in` button);
 * - memory: the renderer process's resident memory and the page's JS heap after all of it.
 *
 * Options: --runs N (50), --epochs N (100), --images N (8, the schema's default sampleImages), --steps N (20),
 * --json. Build first: node scripts/build.mjs.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { comparedRun, epochSamples } from '../src/app/page/runFolderMessages';
import { labelledRows } from '../src/app/runs/labelledRows';
import { describeRun } from '../src/core/runs/listRuns';
import { EpochImageCache } from '../src/extension/host/epochImageCache';
import type { HostToWebview } from '../src/protocol/webviewMessages';
import { writeEpochImages, writeSavedRun } from '../test/helpers/savedRun';
import { openDashboardPage } from '../test/helpers/webviewPage';

const MB = 1024 * 1024;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} needs a whole number, got ${process.argv[i + 1]}`);
  return value;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const max = (xs: readonly number[]) => Math.max(...xs);

/**
 * The memory of this process's Chromium renderers (found by walking our own process tree), per renderer:
 * resident (RSS, which counts the shared Chromium binary in each) and proportional (PSS, shared pages split
 * among their users), in MB.
 */
function rendererMemory(): { rssMB: number; pssMB: number }[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const ours = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; p = parents.get(p) ?? 0, hops++) if (p === process.pid) return true;
    return false;
  };
  const found: { rssMB: number; pssMB: number }[] = [];
  for (const pid of parents.keys()) {
    if (!ours(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const kB = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0);
      found.push({ rssMB: Math.round(kB('Rss') / 1024), pssMB: Math.round(kB('Pss') / 1024) });
    } catch {
      // Gone meanwhile.
    }
  }
  return found.sort((a, b) => b.pssMB - a.pssMB);
}

async function main(): Promise<void> {
  const runs = option('runs', 50);
  const epochs = option('epochs', 100);
  const images = option('images', 8);
  const steps = option('steps', 20);
  const json = process.argv.includes('--json');
  const log = (text: string) => {
    if (!json) console.log(text);
  };
  const runsDir = mkdtempSync(join(tmpdir(), 'page-bench-'));
  try {
    let t = performance.now();
    const runDirs = Array.from({ length: runs }, (_, i) => {
      const runDir = writeSavedRun(runsDir, `2026-12-02T10-${String(i).padStart(4, '0')}-sweep`, {
        name: 'sweep',
        training: { learningRate: 0.0001 * (i + 1), batchSize: [16, 32, 64, 128][i % 4] },
        psnr: 12 + (i % 7) / 2,
      });
      writeEpochImages(runDir, epochs, { count: images, denoisedGray: (e) => (e * 2 + i) % 256 });
      return runDir;
    });
    log(
      `${runs} run folders of ${epochs} epochs, ${images} sample images each: ${((performance.now() - t) / 1000).toFixed(1)} s to write`,
    );

    // The host's side, as webviewHub.comparison and its requestEpochSamples answer read the folders.
    t = performance.now();
    const compared = runDirs.map((d) => comparedRun(describeRun(d)));
    const rows = labelledRows(
      compared.map((c) => c.row),
      { params: true },
    );
    const comparison: HostToWebview = { type: 'comparison', runs: compared.map((c, i) => ({ ...c, row: rows[i] })) };
    const hostCompareMs = performance.now() - t;
    // The slider's answers as the extension's host makes them (EpochImageCache): the first step reads the
    // 50 runs' PNGs, later ones find them read ahead while the user looked at the previous epoch.
    const cache = new EpochImageCache(epochSamples);
    // A jump (a drag across the slider) to an epoch nobody read ahead: every run's PNG is read then.
    t = performance.now();
    cache.samples(runDirs, 1, epochs);
    const hostJumpMs = performance.now() - t;
    // As webviewHub.comparison does: the epochs before the last are read while the user looks.
    cache.readAround(runDirs, epochs + 1, epochs);
    while (!cache.has(runDirs.at(-1)!, epochs - 1)) await new Promise((r) => setImmediate(r));
    const hostCold: number[] = [];
    const hostWarm: number[] = [];
    const answers = new Map<number, HostToWebview>();
    for (let s = 1; s <= steps; s++) {
      const epoch = epochs - s;
      const cold = !cache.has(runDirs[0], epoch);
      t = performance.now();
      const read = cache.samples(runDirs, epoch, epochs);
      (cold ? hostCold : hostWarm).push(performance.now() - t);
      answers.set(epoch, {
        type: 'epochSamples',
        epoch,
        runs: runDirs.map((runDir, i) => ({ runDir, samples: read[i]! })),
      });
      // The read-ahead runs in the background (setImmediate); let it finish, as a pause between presses does.
      while (!cache.has(runDirs.at(-1)!, Math.max(1, epoch - 1))) await new Promise((r) => setImmediate(r));
    }
    const comparisonMB = JSON.stringify(comparison).length / MB;

    const { browser, page, post } = await openDashboardPage({ width: 1200, height: 1000 });
    try {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      // The empty dashboard first: what Chromium takes before any run is shown.
      await cdp.send('HeapProfiler.collectGarbage');
      const emptyPage = rendererMemory()[0] ?? { rssMB: 0, pssMB: 0 };
      // Compare: from posting the message until the page has laid out and painted what it drew.
      const before = await page.evaluate(() => performance.now());
      await post(comparison);
      // In-page code as text: tsx would wrap named arrow functions in a helper the page does not have.
      const drawnAt = await page.evaluate<number>(`new Promise((resolve) => {
        const check = () => document.querySelector('[data-testid="compare-digits"] canvas')
          ? requestAnimationFrame(() => resolve(performance.now())) : setTimeout(check, 1);
        check();
      })`);
      const compareMs = drawnAt - before;

      // Slider: each step timed inside the page, from the slider's input until the 50 runs' digits are
      // drawn and painted; the stand-in host answers at once with the answer set up (untimed) beforehand.
      await page.evaluate(`(() => {
        const sent = window.sent;
        sent.push = function (m) {
          Array.prototype.push.call(this, m);
          if (m.type === 'requestEpochSamples' && window.nextAnswer) {
            const answer = window.nextAnswer;
            window.nextAnswer = undefined;
            setTimeout(() => window.postMessage(answer, '*'), 0);
          }
          return this.length;
        };
      })()`);
      const sliderMs: number[] = [];
      for (let s = 1; s <= steps; s++) {
        const epoch = epochs - s;
        await page.evaluate((m) => {
          (window as unknown as { nextAnswer: unknown }).nextAnswer = m;
        }, answers.get(epoch)!);
        sliderMs.push(
          await page.evaluate<number>(`new Promise((resolve) => {
            const start = performance.now();
            const slider = document.querySelector('[data-testid="epoch-slider"]');
            slider.value = '${epoch}';
            slider.dispatchEvent(new Event('input'));
            const check = () => document.querySelector('[data-testid="epoch-slider-label"]')?.textContent === 'after epoch ${epoch}'
              ? requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0)) : setTimeout(check, 0);
            check();
          })`),
        );
      }
      answers.clear();

      // Zoom: the compare mode's, where the page has it.
      const zoomIn = page.locator('button[aria-label="Zoom in"]').first();
      const zoomMs: number[] = [];
      if ((await zoomIn.count()) > 0 && (await zoomIn.isVisible())) {
        for (let s = 0; s < steps; s++) {
          const at = await page.evaluate(() => performance.now());
          await zoomIn.click();
          zoomMs.push(
            (await page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now()))))) -
              at,
          );
        }
      }

      // Then garbage collected: what the page holds, beside what it took before freeing its garbage.
      const beforeGc = rendererMemory()[0] ?? { rssMB: 0, pssMB: 0 };
      await cdp.send('HeapProfiler.collectGarbage');
      const metrics = (await cdp.send('Performance.getMetrics')).metrics;
      const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) / MB;
      const report = {
        runs,
        epochs,
        images,
        steps,
        comparisonMessageMB: Number(comparisonMB.toFixed(1)),
        hostCompareMs: Math.round(hostCompareMs),
        hostSliderJumpMs: Math.round(hostJumpMs),
        hostSliderColdSteps: hostCold.length,
        hostSliderWarmMs: hostWarm.length
          ? { median: Math.round(median(hostWarm)), max: Math.round(max(hostWarm)) }
          : undefined,
        pageCompareMs: Math.round(compareMs),
        pageSliderMs: { median: Math.round(median(sliderMs)), max: Math.round(max(sliderMs)) },
        zoomMs: zoomMs.length ? { median: Math.round(median(zoomMs)), max: Math.round(max(zoomMs)) } : undefined,
        emptyPage,
        beforeGc,
        renderers: rendererMemory(),
        jsHeapUsedMB: Math.round(metric('JSHeapUsedSize')),
        jsHeapTotalMB: Math.round(metric('JSHeapTotalSize')),
      };
      if (json) {
        console.log(JSON.stringify(report));
        return;
      }
      log(`comparison message: ${report.comparisonMessageMB} MB; the host reads it in ${report.hostCompareMs} ms`);
      log(`page draws the comparison in ${report.pageCompareMs} ms`);
      log(
        `slider step in the page (input → ${runs} runs' digits painted): median ${report.pageSliderMs.median} ms, max ${report.pageSliderMs.max} ms`,
      );
      log(
        `the host's answer to a step: ` +
          (report.hostSliderWarmMs
            ? `median ${report.hostSliderWarmMs.median} ms, max ${report.hostSliderWarmMs.max} ms (read ahead; ${report.hostSliderColdSteps} of ${steps} steps were not)`
            : 'no step was read ahead') +
          `; a jump to an epoch not read ahead reads the ${runs} runs' PNGs in ${report.hostSliderJumpMs} ms`,
      );
      log(
        report.zoomMs
          ? `zoom step: median ${report.zoomMs.median} ms, max ${report.zoomMs.max} ms`
          : 'zoom: the page has no image compare mode (no "Zoom in" button); not measured',
      );
      const page0 = report.renderers[0] ?? { rssMB: 0, pssMB: 0 };
      log(
        `page's renderer: ${page0.rssMB} MB resident, ${page0.pssMB} MB proportional (${report.renderers.length} renderer(s); ` +
          `the empty dashboard ${emptyPage.rssMB} MB resident, ${emptyPage.pssMB} MB proportional; ` +
          `before garbage collection ${beforeGc.rssMB} MB resident, ${beforeGc.pssMB} MB proportional); ` +
          `JS heap ${report.jsHeapUsedMB} MB used of ${report.jsHeapTotalMB} MB`,
      );
      const warm = report.pageSliderMs.median + (report.hostSliderWarmMs?.median ?? report.hostSliderJumpMs);
      log(
        `target: slider step ${warm} ms (page + host, median; a jump ${report.pageSliderMs.median + report.hostSliderJumpMs} ms) ` +
          `${warm <= 100 ? 'within' : 'over'} 100 ms; page ${Math.max(page0.rssMB, beforeGc.rssMB) < 300 ? 'under' : 'over'} 300 MB resident (the larger of before and after garbage collection)`,
      );
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error((err as Error).stack ?? err);
  process.exit(1);
});
