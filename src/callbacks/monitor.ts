/** Which way a monitored value improves, as Keras decides it in 'auto' mode. */
import { ValueError } from '../engine/errors';

export type Mode = 'auto' | 'min' | 'max';

const MAXIMIZED = /(^|_)(acc|accuracy|auc|precision|recall|cosine_similarity)$|accuracy/;
const MINIMIZED = /loss$|error$|crossentropy$|hinge$|divergence$|^(val_)?(mse|mae|mape|msle|rmse|kld|poisson|huber|log_cosh|logcosh)$/;

/** 'min' or 'max' for `monitor` in `mode`; 'auto' picks from the name, or says to pass a mode. */
export function direction(monitor: string, mode: Mode, owner: string): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  if (mode !== 'auto') throw new ValueError(`${owner}: unknown mode '${String(mode)}'. help: use 'auto', 'min' or 'max'.`);
  if (MINIMIZED.test(monitor)) return 'min';
  if (MAXIMIZED.test(monitor)) return 'max';
  throw new ValueError(
    `${owner}: cannot tell whether '${monitor}' should go up or down. help: pass mode: 'max' (e.g. for a score) or mode: 'min' (for an error).`,
  );
}
