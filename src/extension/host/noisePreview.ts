import { noisePreviewMessage as previewMessage } from '../../app/page/noisePreviewMessage';
import type { PreviewRequest } from '../../protocol/trainerMessages';
import type { HostToWebview } from '../../protocol/webviewMessages';
import { TrainerProcess, type TrainerProcessOptions } from './trainerProcess';

/**
 * Asks a trainer process for a noise preview of an experiment (the dataset is loaded there, not in the
 * extension host) and turns the answer into the message the pages draw.
 */
export async function noisePreviewMessage(
  request: Omit<PreviewRequest, 'type'>,
  options: Pick<TrainerProcessOptions, 'trainerPath' | 'env' | 'onOutput'>,
): Promise<HostToWebview> {
  const outcome = await new TrainerProcess({ type: 'preview', ...request }, options).outcome;
  const { configFile } = request;
  switch (outcome.kind) {
    case 'preview':
      return previewMessage(configFile, outcome.preview);
    case 'error':
      return {
        type: 'noisePreviewError',
        configFile,
        problems: outcome.problems.length
          ? outcome.problems.map((p) => ({ path: p.path, message: p.message }))
          : [{ path: '', message: outcome.message }],
      };
    case 'crashed':
    case 'killed':
      return {
        type: 'noisePreviewError',
        configFile,
        problems: [
          {
            path: '',
            message:
              `The preview process ended early (${outcome.reason}). ${outcome.stderrTail.slice(-3).join(' ')}`.trim(),
          },
        ],
      };
    case 'summary':
    case 'applied':
      return {
        type: 'noisePreviewError',
        configFile,
        problems: [
          {
            path: '',
            message: `The trainer answered a preview with ${outcome.kind === 'summary' ? 'a run summary' : 'denoised files'}.`,
          },
        ],
      };
  }
}
