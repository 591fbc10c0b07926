/**
 * `npm run bench:runs-view`: issue 24's Runs view drawn by a real VS Code. The packaged extension in code-server
 * (as the end-to-end suite runs it), a workspace whose runs folder holds 1,000 runs, 200 of them one sweep
 * (bench/syntheticRuns.ts), and Chromium as the user. Timed until VS Code has drawn the rows:
 *
 * - opening the Denoise Lab view for the first time, the extension active (the workspace has an experiment
 *   file): the extension reads every run folder and VS Code draws the first rows;
 * - a refresh after a new run folder appears (the Refresh Runs button): until the new run's row is drawn;
 * - the End key in the view: until the last row is drawn (VS Code draws only the rows in sight, so this is what
 *   scrolling through 1,000 rows costs).
 *
 * Target: each under 1,000 ms. Options: --runs N (1000), --sweep N (200), --refreshes N (5), --json, --keep (leave
 * the temporary workspace and VS Code's logs, and print where). The npm
 * script packages the VSIX first; scripts/e2e-setup.sh installs code-server and Chromium.
 */
import { cpSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import {
  codeServerBinary,
  installExtension,
  launchBrowser,
  startCodeServer,
  stopProcessGroup,
  writeQuietSettings,
  type RunningCodeServer,
} from '../test/e2e/codeServer';
import { screenshot } from '../test/e2e/workbench';
import { writeSavedRun } from '../test/helpers/savedRun';
import { median, wholeNumberOption } from './benchArgs';
import { writeSyntheticRuns } from './syntheticRuns';

const TARGET_MS = 1000;

/** The Runs view's rows, as VS Code draws them. */
const runsRows = (page: Page) => page.locator('.pane:has(.pane-header[aria-label^="Runs"]) .monaco-list-row');

/** Whether VS Code's extension host log (under the user-data folder) records that the extension was activated. */
function extensionActivated(userData: string): boolean {
  const logs = readdirSync(join(userData, 'logs'), { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('exthost.log'),
  );
  return logs.some((log) =>
    /_doActivateExtension denoise-lab\.denoise-lab/.test(readFileSync(join(userData, 'logs', log), 'utf8')),
  );
}

async function timed(what: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await what();
  return performance.now() - start;
}

async function main(): Promise<void> {
  const runs = wholeNumberOption('runs', 1000, 1);
  const sweepRuns = wholeNumberOption('sweep', 200, 0);
  const refreshes = wholeNumberOption('refreshes', 5, 1);
  const json = process.argv.includes('--json');
  const keep = process.argv.includes('--keep');
  const root = mkdtempSync(join(tmpdir(), 'runs-view-bench-'));
  const workspace = join(root, 'workspace');
  const runsDir = join(workspace, 'runs');
  const dirs = { userData: join(root, 'user-data'), extensions: join(root, 'extensions') };
  let server: RunningCodeServer | undefined;
  let closeBrowser: (() => Promise<void>) | undefined;
  try {
    // The end-to-end suite's workspace: its experiment file activates the extension when the window opens, as
    // a user's would.
    cpSync('test/e2e/workspace', workspace, { recursive: true });
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'denoiseLab.runsFolder': 'runs' }));
    writeSyntheticRuns({ runs, sweepRuns, epochs: 100, withImages: 0, runsDir });
    writeQuietSettings(dirs.userData);
    const bin = codeServerBinary();
    installExtension(bin, resolve('denoise-lab.vsix'), dirs);
    server = await startCodeServer(bin, workspace, dirs);
    const { browser, page } = await launchBrowser();
    closeBrowser = () => browser.close();
    page.setDefaultTimeout(60_000);
    await page.goto(server.url);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible' });
    for (const deadline = Date.now() + 60_000; !extensionActivated(dirs.userData);) {
      if (Date.now() > deadline) throw new Error('the extension was not activated within 60 s of the window opening');
      await new Promise((r) => setTimeout(r, 200));
    }

    const openMs = await timed(async () => {
      await page.locator('.activitybar .action-item a[aria-label^="Denoise Lab"]').click();
      await runsRows(page).first().waitFor({ state: 'visible' });
    });
    const topRows = Number(await runsRows(page).first().getAttribute('aria-setsize'));

    const refreshMs: number[] = [];
    for (let i = 0; i < refreshes; i++) {
      const name = `fresh-run-${i}`;
      writeSavedRun(runsDir, `2027-01-0${i + 1}T10-00-00-${name}`, {
        name,
        startedAt: `2027-01-0${i + 1}T10:00:00.000Z`,
      });
      const header = page.locator('.pane-header[aria-label^="Runs"]');
      await header.hover();
      refreshMs.push(
        await timed(async () => {
          await page
            .locator('.pane:has(.pane-header[aria-label^="Runs"]) .action-label[aria-label="Refresh Runs"]')
            .click();
          await runsRows(page).filter({ hasText: name }).first().waitFor({ state: 'visible' });
        }),
      );
    }

    await runsRows(page).first().click();
    const endMs = await timed(async () => {
      await page.keyboard.press('End');
      // The last top-level row: VS Code numbers the rows it draws (aria-posinset of aria-setsize).
      await page.waitForFunction(() =>
        Array.from(document.querySelectorAll('.pane'))
          .filter((pane) => pane.querySelector('.pane-header')?.getAttribute('aria-label')?.startsWith('Runs'))
          .flatMap((pane) => Array.from(pane.querySelectorAll('.monaco-list-row[aria-level="1"]')))
          .some((row) => row.getAttribute('aria-posinset') === row.getAttribute('aria-setsize')),
      );
    });
    await screenshot(page, `bench-runs-view-${runs}`);

    const rows = [
      { operation: 'open the Runs view (first rows drawn)', ms: openMs },
      {
        operation: `refresh after a new run (its row drawn), median of ${refreshes}`,
        ms: median(refreshMs),
        maxMs: Math.max(...refreshMs),
      },
      { operation: 'End: the last row drawn', ms: endMs },
    ];
    const report = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model.trim(), loadAverage: loadavg() },
      runs,
      sweepRuns,
      topRows,
      targetMs: TARGET_MS,
      rows,
    };
    if (json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(
        `${runs} run folders (${sweepRuns} in one sweep), ${topRows} rows at the top of the Runs view; ` +
          `code-server in headless Chromium, ${cpus().length} CPU(s), load ${loadavg()[0].toFixed(2)}`,
      );
      for (const row of rows)
        console.log(
          `${row.operation.padEnd(62)} ${row.ms.toFixed(0).padStart(6)} ms${row.maxMs ? ` (max ${row.maxMs.toFixed(0)})` : ''}` +
            `  ${row.ms < TARGET_MS ? 'under' : 'OVER'} ${TARGET_MS} ms`,
        );
    }
  } finally {
    await closeBrowser?.();
    await stopProcessGroup(server?.process);
    if (keep) console.log(`kept: ${root} (the workspace, and VS Code's logs under user-data/logs)`);
    else rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
