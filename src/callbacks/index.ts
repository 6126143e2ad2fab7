export { BaseCallback } from './callback';
export type { Callback, Logs, TrainingParams } from './callback';
export { History } from './history';
export { ProgbarLogger } from './progbar_logger';
export { TerminateOnNaN } from './terminate_on_nan';
