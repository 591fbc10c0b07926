import type { PreviewColumn } from '../../protocol/trainerMessages';
import type { HostToWebview } from '../../protocol/webviewMessages';
import { encodeImages } from './encodeImages';

/** A noise preview (clean, each step alone, combined) as the message the page draws. */
export interface NoisePreviewImages {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly columns: readonly PreviewColumn[];
}

export function noisePreviewMessage(
  configFile: string,
  preview: NoisePreviewImages,
): Extract<HostToWebview, { type: 'noisePreview' }> {
  const { count, height, width } = preview;
  return {
    type: 'noisePreview',
    configFile,
    columns: preview.columns.map((c) => ({
      label: c.label,
      detail: c.detail,
      images: encodeImages({ count, height, width, bytes: c.pixels }),
    })),
  };
}
