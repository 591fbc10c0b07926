import type { Training } from '../../src/core/config/experimentConfig.generated';
import { validateConfig } from '../../src/core/config/validateConfig';

/**
 * A training section as an experiment file gets it: the fields a test sets, every other one at the
 * schema's default (mse, noisy to clean, momentum 0.9, ...), so a new training field needs no test edits.
 */
export function trainingConfig(fields: Partial<Training>): Training {
  const raw = { name: 'test', dataset: { source: 'mnist' }, noise: { steps: [] }, model: { type: 'dense' } };
  const result = validateConfig({ ...raw, training: fields });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return result.config.training;
}
