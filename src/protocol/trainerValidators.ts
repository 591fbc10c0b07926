/** The compiled validators of the host ↔ trainer channel and of the training events it carries. */
import { lazyValidator } from './messageAjv';
import { HostToTrainerSchema, TrainerToHostSchema } from './schemas/trainerMessageSchemas';
import { TrainingEventSchema } from './schemas/trainingEventSchemas';

export const hostToTrainer = lazyValidator(HostToTrainerSchema);
export const trainerToHost = lazyValidator(TrainerToHostSchema);
export const trainingEvent = lazyValidator(TrainingEventSchema);
