import type { PlanExtraLoss } from './planLoss';

/**
 * The VAE's KL term as variationalAutoencoder.ts's trainForward adds it on the tape: KL(N(mu, sigma^2) || N(0, 1))
 * summed over the latent dimensions, averaged over the batch, times `weight` (klWeight per pixel),
 *   weight * mean_b sum_j 0.5 (mu^2 + sigma^2 - 2 log(sigma + 1e-7) - 1),
 * from the outputs `mean` and `spread` (indices into the graph's outputs), with its gradients
 * weight / n * mu and weight / n * (sigma - 1 / (sigma + 1e-7)).
 */
export function klDivergenceLoss(weight: number, mean: number, spread: number): PlanExtraLoss {
  return {
    outputs: [mean, spread],
    lossAndGradient([mu, sigma], [muGrad, sigmaGrad], n) {
      const scale = weight / n;
      let sum = 0;
      for (let i = 0; i < mu.length; i++) {
        const m = mu[i];
        const s = sigma[i];
        const shifted = s + 1e-7;
        sum += 0.5 * (m * m + s * s - 2 * Math.log(shifted) - 1);
        muGrad[i] = scale * m;
        sigmaGrad[i] = scale * (s - 1 / shifted);
      }
      return sum * scale;
    },
  };
}
