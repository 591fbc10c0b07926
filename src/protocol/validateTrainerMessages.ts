/** Validators for both directions of the host ↔ trainer channel (see trainerMessages.ts). */
import { checkMessage, type Checked } from './checkMessage';
import type { HostToTrainer, TrainerToHost, WireTrainingEvent } from './trainerMessages';
import { hostToTrainer, trainerToHost, trainingEvent } from './trainerValidators';

/** What the trainer accepts from the host. */
export function validateHostToTrainer(value: unknown): Checked<HostToTrainer> {
  return checkMessage(hostToTrainer(), value);
}

/** What the host accepts from a trainer. */
export function validateTrainerToHost(value: unknown): Checked<TrainerToHost> {
  return checkMessage(trainerToHost(), value);
}

/** One training event on its own, as a trainer reports it inside an `event` message. */
export function validateTrainingEvent(value: unknown): Checked<WireTrainingEvent> {
  return checkMessage(trainingEvent(), value);
}
