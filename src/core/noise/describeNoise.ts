import type { Noise, NoiseStep, PeriodicNoise } from '../config/experimentConfig.generated';

/** A number as people write it: at most 4 significant digits, no trailing zeros (0.01, 4.712, 30). */
function num(value: number): string {
  return String(Number(value.toPrecision(4)));
}

/** The frequency as a multiple of π, the way the seed report writes α (1.5π). */
function piMultiple(frequency: number): string {
  return `${(frequency / Math.PI).toFixed(2)}π`;
}

/** The parameters of one step, for preview captions: "mean 0, variance 0.01", "amount 0.1, salt 50%". */
export function describeNoiseStep(step: NoiseStep): string {
  switch (step.type) {
    case 'gaussian':
      return `mean ${num(step.mean)}, variance ${num(step.variance)}`;
    case 'saltPepper':
      return `amount ${num(step.amount)}, salt ${num(step.saltRatio * 100)}%`;
    case 'periodic':
      return (
        `amplitude ${num(step.amplitude)}, α ${num(step.frequency)} (${piMultiple(step.frequency)}), ` +
        `${step.orientation}, phase ${num(step.phase)}`
      );
    case 'speckle':
      return `variance ${num(step.variance)}`;
    case 'poisson':
      return `peak ${num(step.peak)}`;
    case 'gaussian255':
      return step.blind
        ? `σ ${num(step.sigma)}/255, blind training over ${num(step.sigmaMin)}-${num(step.sigmaMax)}`
        : `σ ${num(step.sigma)}/255`;
    case 'poissonGaussian':
      return `peak ${num(step.peak)}, read noise σ ${num(step.readSigma)}/255`;
  }
}

/** The wave in the seed report's notation, e.g. "cos(1.50π·x)" or "0.3·cos(1.50π·(x+y) + 0.5)". */
function waveFormula(step: PeriodicNoise): string {
  const t = step.orientation === 'diagonal' ? '(x+y)' : step.orientation;
  const amplitude = step.amplitude === 1 ? '' : `${num(step.amplitude)}·`;
  const phase = step.phase === 0 ? '' : step.phase > 0 ? ` + ${num(step.phase)}` : ` - ${num(-step.phase)}`;
  return `${amplitude}cos(${piMultiple(step.frequency)}·${t}${phase})`;
}

/** One step in a results-table cell: "Gaussian σ²=0.01", "salt-and-pepper 0.1"; defaults are left out. */
function summarizeNoiseStep(step: NoiseStep): string {
  switch (step.type) {
    case 'gaussian':
      return `Gaussian ${step.mean === 0 ? '' : `μ=${num(step.mean)} `}σ²=${num(step.variance)}`;
    case 'saltPepper':
      return `salt-and-pepper ${num(step.amount)}${step.saltRatio === 0.5 ? '' : ` (${num(step.saltRatio * 100)}% salt)`}`;
    case 'periodic':
      return `periodic ${waveFormula(step)}`;
    case 'speckle':
      return `speckle σ²=${num(step.variance)}`;
    case 'poisson':
      return `Poisson peak ${num(step.peak)}`;
    case 'gaussian255':
      return `Gaussian σ=${num(step.sigma)}/255${step.blind ? ` (blind ${num(step.sigmaMin)}-${num(step.sigmaMax)})` : ''}`;
    case 'poissonGaussian':
      return `Poisson-Gaussian peak ${num(step.peak)}, read σ=${num(step.readSigma)}/255`;
  }
}

/** The steps in order, e.g. "Gaussian σ²=0.01 + salt-and-pepper 0.1", or "no noise". */
export function summarizeNoiseSteps(steps: readonly NoiseStep[]): string {
  return steps.length === 0 ? 'no noise' : steps.map(summarizeNoiseStep).join(' + ');
}

/**
 * The whole noise for results tables and run summaries, e.g. "Gaussian σ²=0.01 + salt-and-pepper 0.1".
 * Fresh-each-epoch training noise is named because it changes results while the steps look the same.
 */
export function describeNoise(noise: Noise): string {
  const steps = summarizeNoiseSteps(noise.steps);
  const protocol = [noise.clip ? '' : 'not clipped', noise.quantize ? 'quantized to 8 bits' : ''].filter(Boolean);
  const described = protocol.length && noise.steps.length > 0 ? `${steps}, ${protocol.join(', ')}` : steps;
  return noise.mode === 'freshEachEpoch' && noise.steps.length > 0 ? `${described} (fresh each epoch)` : described;
}
