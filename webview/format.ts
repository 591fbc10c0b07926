/** How numbers, durations and a run's progress read on the page (kept short for narrow panels). */

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Thousands separated, no decimals: "8,512". */
export function formatRate(samplesPerSecond: number): string {
  return Math.round(samplesPerSecond).toLocaleString('en-US');
}

/** Loss-like values: four significant digits ("0.01234"); em dash when absent. */
export function formatLoss(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '–' : value.toPrecision(4);
}

export function formatPsnr(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '–' : `${value.toFixed(2)} dB`;
}

export function formatSsim(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(3);
}

/** The numbers an experiment was configured with, as typed: 0.01, 1, 0.002 (no float noise). */
export function formatSetting(value: number | undefined): string {
  return value === undefined ? '–' : String(Number(value.toPrecision(6)));
}
