import type { HostToWebview } from '../../protocol/webviewMessages';

type Preview = Extract<HostToWebview, { type: 'noisePreview' | 'noisePreviewError' }>;

/** What the noise preview should show again: a file and the overrides it is read with. */
export interface PreviewTarget {
  readonly configFile: string;
  readonly overrides: readonly string[];
}

/**
 * When the shown preview is out of date, what to preview instead; undefined when it is current or none
 * is shown (nothing is computed for a page that never asked for a preview).
 * - The previewed file was saved: the same file again (the preview button is no longer needed).
 * - A run started: that run's experiment with its overrides (a sweep's values), so the preview shows
 *   the noise the run trains on, not an edited file's.
 */
export function previewToRefresh(
  shown: Pick<Preview, 'configFile'> | undefined,
  change: { readonly saved: string } | { readonly runStarted: PreviewTarget },
): PreviewTarget | undefined {
  if (!shown) return undefined;
  if ('saved' in change)
    return change.saved === shown.configFile ? { configFile: change.saved, overrides: [] } : undefined;
  return change.runStarted;
}
