import type { RunRow } from '../../src/protocol/webviewMessages';

/** What the dashboard shows of a finished run: its test figures against the noisy input, and a warning. */
export interface FinalResults {
  readonly lines: readonly string[];
  /** Set when the model made its input worse: the user must not read a finished run as a good one. */
  readonly warning?: string;
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

export function finalResults(row: RunRow | undefined): FinalResults | undefined {
  const test = row?.test;
  if (!row || !test) return undefined;
  const noisy = row.testNoisy;
  const lines = [
    `Test PSNR ${test.psnr.toFixed(2)} dB${noisy ? ` (noisy input ${noisy.psnr.toFixed(2)} dB, ${signed(test.psnr - noisy.psnr)} dB)` : ''}`,
    `Test SSIM ${test.ssim.toFixed(4)}${noisy ? ` (noisy input ${noisy.ssim.toFixed(4)})` : ''} · MSE ${test.mse.toPrecision(3)}`,
  ];
  if (row.readability !== undefined) {
    lines.push(
      `Readability ${percent(row.readability)} of denoised test digits${row.readabilityNoisy !== undefined ? ` (noisy input ${percent(row.readabilityNoisy)})` : ''}`,
    );
  }
  const warning =
    noisy && test.psnr < noisy.psnr
      ? `The model's output (${test.psnr.toFixed(2)} dB) is worse than its noisy input (${noisy.psnr.toFixed(2)} dB): ` +
        'it has not learned to denoise. Train for more epochs, lower training.learningRate, or try another model.type.'
      : undefined;
  return { lines, warning };
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;
}
