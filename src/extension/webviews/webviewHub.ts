import type { RunListing } from '../../core/runs/listRuns';
import * as vscode from 'vscode';
import { comparedRun, epochSamples, generationMessage, runSamples } from '../../app/page/runFolderMessages';
import { labelledRows } from '../../app/runs/labelledRows';
import { describeRun } from '../../core/runs/listRuns';
import { runRow } from '../../app/runs/runRow';
import { packEpochSamples } from '../../protocol/epochSamplesPacking';
import type { HostToWebview, WebviewKind, WebviewToHost } from '../../protocol/webviewMessages';
import { EpochImageCache } from '../host/epochImageCache';
import type { RunUpdate } from '../host/runService';
import { WebviewSession, type WebviewActions, type WebviewPort } from '../host/webviewSession';
import { webviewUpdate } from '../host/webviewUpdates';
import type { Lab } from '../lab';

/** A run's images are extras: one that cannot be read is logged and left out, the rest still shown. */
function readOrSkip<T>(read: () => T, log: (error: string) => void): T | undefined {
  try {
    return read();
  } catch (err) {
    log((err as Error).message);
    return undefined;
  }
}

/** Runs of this session whose last messages are replayed to a page that opens; older ones are forgotten. */
const REPLAYED_RUNS = 20;

/** The last messages of a live run, replayed to a page that opens while it trains. */
interface LiveRun {
  started?: HostToWebview;
  /** Every epoch so far, so a page opened mid-run draws the whole curve, not only what comes next. */
  epochs?: HostToWebview[];
  samples?: HostToWebview;
  ended?: HostToWebview;
}

/**
 * Connects the open pages (dashboard, side view) to the runs: broadcasts live updates, replays the
 * current state to a page that connects, and carries out the pages' requests.
 */
export class WebviewHub implements WebviewActions {
  private readonly sessions = new Set<WebviewSession>();
  private readonly live = new Map<string, LiveRun>();
  private lastPreview: HostToWebview | undefined;
  /** The epoch slider's images, read ahead around the epoch shown (an unreadable one is logged, then absent). */
  private readonly epochImages = new EpochImageCache((runDir, epoch) =>
    readOrSkip(
      () => epochSamples(runDir, epoch),
      (err) => this.imageError(runDir, err),
    ),
  );

  constructor(
    private readonly lab: Lab,
    private readonly previewNoise: () => void,
    /** Told of each message a page is sent, for the walkthrough's steps. */
    private readonly sent: (message: HostToWebview) => void = () => {},
  ) {}

  /** The noise preview the dashboard shows, if any. */
  get shownPreview(): Extract<HostToWebview, { type: 'noisePreview' | 'noisePreviewError' }> | undefined {
    const preview = this.lastPreview;
    return preview?.type === 'noisePreview' || preview?.type === 'noisePreviewError' ? preview : undefined;
  }

  connect(port: WebviewPort, view: WebviewKind): WebviewSession {
    const session = new WebviewSession(port, view, this);
    this.sessions.add(session);
    return session;
  }

  disconnect(session: WebviewSession): void {
    session.disconnect();
    this.sessions.delete(session);
  }

  broadcast(message: HostToWebview): void {
    if (message.type === 'noisePreview' || message.type === 'noisePreviewError') this.lastPreview = message;
    for (const session of this.sessions) session.post(message);
    this.sent(message);
  }

  /** Called for every run update from the run service. */
  runUpdated(update: RunUpdate): void {
    let message = webviewUpdate(update);
    if (!message) return;
    // A finished run's final figures go with its ending, so the dashboard shows them at once.
    if (message.type === 'runEnded' && message.runDir) {
      const { runDir } = message;
      message = {
        ...message,
        row: readOrSkip(
          () => runRow(describeRun(runDir)),
          (err) => this.log(`Could not read ${runDir}: ${err}`),
        ),
      };
    }
    const live = this.live.get(update.run.id) ?? {};
    if (message.type === 'runStarted' || message.type === 'runQueued') live.started = message;
    if (message.type === 'samples') live.samples = message;
    if (message.type === 'epoch') live.epochs = [...(live.epochs ?? []), message];
    if (message.type === 'runEnded') live.ended = message;
    this.live.set(update.run.id, live);
    if (this.live.size > REPLAYED_RUNS) this.live.delete(this.live.keys().next().value as string);
    this.broadcast(message);
  }

  initialMessages(view: WebviewKind): HostToWebview[] {
    const replay = [...this.live.values()].flatMap((r) =>
      [r.started, ...(r.epochs ?? []), r.samples, r.ended].filter((m): m is HostToWebview => m !== undefined),
    );
    return view === 'dashboard' && this.lastPreview ? [...replay, this.lastPreview] : replay;
  }

  /** Curves and final figures of the given run folders (unknown folders are left out). */
  async comparison(runDirs: readonly string[]): Promise<HostToWebview> {
    const runs = (await this.lab.savedRuns()).filter((r) => runDirs.includes(r.runDir));
    const samples = (runDir: string) =>
      readOrSkip(
        () => runSamples(runDir),
        (err) => this.imageError(runDir, err),
      );
    const compared = runs.map((r) => comparedRun(r, samples));
    const rows = labelledRows(
      compared.map((c) => c.row),
      { params: true },
    );
    const message: HostToWebview = { type: 'comparison', runs: compared.map((c, i) => ({ ...c, row: rows[i] })) };
    // The slider starts after the last epoch: its first steps back are read while the user looks.
    const last = Math.max(0, ...compared.map((c) => c.curve.at(-1)?.epoch ?? 0));
    if (last > 1)
      this.epochImages.readAround(
        compared.map((c) => c.row.runDir),
        last + 1,
        last,
      );
    this.sent(message);
    return message;
  }

  /** The saved runs (`saved`, or read now) as the pages list them (labels with the user's names and tags). */
  private async runsMessage(saved?: readonly RunListing[]): Promise<HostToWebview> {
    return { type: 'runs', runs: labelledRows((saved ?? (await this.lab.savedRuns())).map((r) => runRow(r))) };
  }

  /** Sends the run list again to every page (a run was renamed, tagged, noted or deleted): `saved`, or read now. */
  async sendRuns(saved?: readonly RunListing[]): Promise<void> {
    if (this.sessions.size > 0) this.broadcast(await this.runsMessage(saved));
  }

  /** The run selected in the runs view goes to the side panels (they keep a training run in view instead). */
  async showSelectedRun(runDir: string): Promise<void> {
    const message = await this.comparison([runDir]);
    if (message.type !== 'comparison' || message.runs.length === 0) return;
    for (const session of this.sessions)
      if (session.view === 'reconstructions') session.post({ ...message, selected: true });
  }

  handle(request: Exclude<WebviewToHost, { type: 'ready' | 'reportError' }>, session: WebviewSession): void {
    void this.carryOut(request, session).catch((err: unknown) =>
      this.log(`Could not handle ${request.type}: ${(err as Error).message}`),
    );
  }

  log(line: string): void {
    this.lab.log.warn(line);
  }

  private imageError(runDir: string, error: string): void {
    this.log(`Could not read the sample images of ${runDir}: ${error}`);
  }

  private async carryOut(
    request: Exclude<WebviewToHost, { type: 'ready' | 'reportError' }>,
    session: WebviewSession,
  ): Promise<void> {
    switch (request.type) {
      case 'stopRun':
        this.lab.service.stop(request.runId);
        return;
      case 'requestNoisePreview':
        this.previewNoise();
        return;
      case 'requestRuns':
        session.post(await this.runsMessage());
        return;
      case 'compareRuns':
        session.post(await this.comparison(request.runDirs));
        return;
      case 'requestGeneration': {
        if (!(await this.lab.knownRun(request.runDir))) {
          this.log(`A page asked for the generation images of ${request.runDir}, which is not a known run folder.`);
          return;
        }
        const generation = generationMessage(request.runDir);
        if (generation) session.post(generation);
        return;
      }
      case 'requestEpochSamples': {
        const known = new Set((await this.lab.savedRuns()).map((r) => r.runDir));
        const runDirs = request.runDirs.filter((d) => known.has(d));
        const samples = this.epochImages.samples(runDirs, request.epoch);
        const runs = runDirs.flatMap((runDir, i) => (samples[i] ? [{ runDir, samples: samples[i] }] : []));
        session.post(packEpochSamples(request.epoch, runs));
        return;
      }
      case 'openRunFolder':
        if (await this.lab.knownRun(request.runDir))
          await vscode.commands.executeCommand('denoiseLab.openRunFolder', request.runDir);
        else this.log(`A page asked to open ${request.runDir}, which is not a known run folder.`);
        return;
      case 'exportResults':
        await vscode.commands.executeCommand('denoiseLab.exportResults', request.runDirs, request.format);
        return;
    }
  }
}
