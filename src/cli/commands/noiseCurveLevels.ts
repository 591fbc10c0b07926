/**
 * The noise levels `denoise noise-curve` measures by default (in a file of their own: the CLI's options need them
 * before it loads TensorFlow.js).
 */
export const DEFAULT_GAUSSIAN_LEVELS = [0, 0.0025, 0.005, 0.01, 0.02, 0.04];
export const DEFAULT_SALT_PEPPER_LEVELS = [0, 0.025, 0.05, 0.1, 0.2, 0.3];
