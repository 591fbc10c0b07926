// Starts and stops the real VS Code (code-server) and the Chromium that plays the user, for the end-to-end suite.
import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** code-server's binary, as printed on the last line by scripts/e2e-setup.sh (which installs it once). */
export function codeServerBinary(): string {
  if (process.env.DENOISE_E2E_CODE_SERVER) return process.env.DENOISE_E2E_CODE_SERVER;
  const out = execFileSync('bash', ['scripts/e2e-setup.sh'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.trim().split('\n').at(-1)!;
}

/** A quiet first start for a new user-data folder: no welcome page, no tips, nothing checking for updates. */
export function writeQuietSettings(userData: string): void {
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'security.workspace.trust.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
      },
      null,
      2,
    ),
  );
}

export function installExtension(bin: string, vsix: string, dirs: { userData: string; extensions: string }): void {
  const result = spawnSync(
    bin,
    ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', vsix],
    { encoding: 'utf8' },
  );
  if (result.status !== 0)
    throw new Error(`code-server --install-extension ${vsix} failed:\n${result.stdout}\n${result.stderr}`);
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  server.close();
  return port;
}

export interface RunningCodeServer {
  url: string;
  process: ChildProcess;
  log: () => string;
}

/**
 * Starts code-server on loopback in its own process group (so stopping it also stops the extension host and any
 * trainer).
 */
export async function startCodeServer(
  bin: string,
  folder: string,
  dirs: { userData: string; extensions: string },
): Promise<RunningCodeServer> {
  const port = await freePort();
  const child = spawn(
    bin,
    [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--user-data-dir',
      dirs.userData,
      '--extensions-dir',
      dirs.extensions,
      folder,
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout!.on('data', (d) => {
    log += d;
  });
  child.stderr!.on('data', (d) => {
    log += d;
  });
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
  // Ready when it answers HTTP; it logs "HTTP server listening" first.
  for (const deadline = Date.now() + 60_000; ;) {
    if (child.exitCode !== null) throw new Error(`code-server exited early:\n${log}`);
    if (/HTTP server listening/.test(log)) break;
    if (Date.now() > deadline) throw new Error(`code-server did not start within 60 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, process: child, log: () => log };
}

/** Kills a detached child's whole process group and waits until it is gone. */
export async function stopProcessGroup(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}

export async function launchBrowser(): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({
    executablePath: process.env.DENOISE_E2E_CHROMIUM ?? '/usr/bin/chromium',
    // Flags that work as root, headless, with no network; none of them lets Chromium phone home.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  return { browser, page };
}

/**
 * Trainer processes still alive that were started from the extension installed under `extensionsDir`
 * (other suites on this machine fork the repository's own dist/trainer.js; those are not ours).
 */
export function runningTrainers(extensionsDir: string): string[] {
  const result = spawnSync('pgrep', ['-af', 'dist/trainer.js'], { encoding: 'utf8' });
  return result.stdout.split('\n').filter((line) => line.includes(extensionsDir));
}
