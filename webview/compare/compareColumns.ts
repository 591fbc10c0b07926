/** Which of the comparison's image columns the compare mode offers (samplesCompare.ts). */
import type { CompareImageInfo, EncodedSamples, RunRow } from '../../src/protocol/webviewMessages';

/** One column of the comparison's digits. */
export interface SamplesColumn {
  readonly label: string;
  readonly role: CompareImageInfo['role'];
  readonly samples: EncodedSamples;
  readonly field: 'clean' | 'noisy' | 'denoised';
  /** The run whose test figures belong to this column (noisy: the noisy baseline). */
  readonly row?: RunRow;
}

/**
 * The columns of the compared runs' samples: clean (when the runs have clean images) and noisy once, as the
 * runs share the test set, then each run's denoised digits.
 */
export function samplesColumns(
  runs: readonly { readonly row: RunRow; readonly samples: EncodedSamples }[],
): SamplesColumn[] {
  const first = runs[0];
  if (!first) return [];
  const same = (s: EncodedSamples) =>
    s.count === first.samples.count && s.width === first.samples.width && s.height === first.samples.height;
  return [
    ...(first.samples.clean !== undefined
      ? [{ label: 'clean', role: 'clean' as const, samples: first.samples, field: 'clean' as const }]
      : []),
    { label: 'noisy', role: 'noisy', samples: first.samples, field: 'noisy', row: first.row },
    ...runs
      .filter((r) => same(r.samples))
      .map((r) => ({
        label: r.row.label ?? r.row.name,
        role: 'denoised' as const,
        samples: r.samples,
        field: 'denoised' as const,
        row: r.row,
      })),
  ];
}
