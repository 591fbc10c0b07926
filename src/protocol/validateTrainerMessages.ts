/** Validators for both directions of the host ↔ trainer channel (see trainerMessages.ts). */
import type { ConfigProblem } from '../core/config/configError';
import { LIMITS } from './limits';
import type { HostToTrainer, PreviewColumn, TrainerToHost } from './trainerMessages';
import { runSummary, trainingEvent } from './validateTrainingEvent';
import {
  array,
  bytes,
  check,
  imageShape,
  messageType,
  number,
  object,
  oneOf,
  optionalNumber,
  optionalString,
  string,
  stringItem,
  type Checked,
} from './validateFields';

/** What the trainer accepts from the host. */
export function validateHostToTrainer(value: unknown): Checked<HostToTrainer> {
  return check((): HostToTrainer => {
    const o = object(value, 'message');
    const type = messageType(o, ['start', 'preview', 'stop'] as const);
    const at = type;
    switch (type) {
      case 'start': {
        const resumeRunDir = optionalString(o, 'resumeRunDir', at, LIMITS.path);
        return {
          type,
          configFile: string(o, 'configFile', at, LIMITS.path),
          overrides: array(o, 'overrides', at, LIMITS.overrides, stringItem(LIMITS.text)),
          runsDir: optionalString(o, 'runsDir', at, LIMITS.path),
          // Only when asked for, so a plain start reads exactly as before.
          ...(resumeRunDir === undefined ? {} : { resumeRunDir }),
        };
      }
      case 'preview':
        return {
          type,
          configFile: string(o, 'configFile', at, LIMITS.path),
          configText: optionalString(o, 'configText', at, 1_000_000),
          overrides: array(o, 'overrides', at, LIMITS.overrides, stringItem(LIMITS.text)),
          count: number(o, 'count', at, { min: 1, max: LIMITS.images, integer: true }),
        };
      case 'stop':
        return { type };
    }
  });
}

function problem(value: unknown, at: string): ConfigProblem {
  const o = object(value, at);
  return {
    path: string(o, 'path', at),
    message: string(o, 'message', at, LIMITS.text),
    line: optionalNumber(o, 'line', at, { min: 1, integer: true }),
    column: optionalNumber(o, 'column', at, { min: 1, integer: true }),
  };
}

/** What the host accepts from a trainer. */
export function validateTrainerToHost(value: unknown): Checked<TrainerToHost> {
  return check((): TrainerToHost => {
    const o = object(value, 'message');
    const type = messageType(o, ['event', 'stopping', 'summary', 'preview', 'error'] as const);
    const at = type;
    switch (type) {
      case 'event':
        return { type, event: trainingEvent(o.event, 'event') };
      case 'stopping':
        return { type };
      case 'summary':
        return { type, summary: runSummary(o.summary, 'summary') };
      case 'preview': {
        const { count, height, width, length } = imageShape(o, at);
        const column = (v: unknown, where: string): PreviewColumn => {
          const c = object(v, where);
          return { label: string(c, 'label', where), detail: string(c, 'detail', where), pixels: bytes(c, 'pixels', where, length) };
        };
        return { type, count, height, width, columns: array(o, 'columns', at, LIMITS.previewColumns, column) };
      }
      case 'error':
        return {
          type,
          failure: oneOf(o, 'failure', at, ['badInput', 'runFailed'] as const),
          message: string(o, 'message', at, LIMITS.text),
          problems: array(o, 'problems', at, LIMITS.problems, problem),
        };
    }
  });
}

