/** The options of save, saveWeights, loadWeights and loadModel. */
import type { Layer } from '../engine/layer';
import { optionKeys } from '../engine/options';

export interface SaveOptions {
  /** Replace an existing file. Keras: `overwrite` @default true */
  overwrite?: boolean;
  /**
   * Save the compile config and the optimizer's state (slots and iterations), so fit can continue.
   * Keras: `include_optimizer` (Keras 2; Keras 3 always saves it) @default true
   */
  includeOptimizer?: boolean;
}

export interface LoadWeightsOptions {
  /**
   * Legacy .h5 only: match layers by name instead of by order (layers missing from the file keep their weights).
   * Keras: `by_name` (Keras 2) @default false
   */
  byName?: boolean;
  /**
   * With byName: skip layers whose weight shapes differ instead of refusing. Keras: `skip_mismatch` @default false
   */
  skipMismatch?: boolean;
  /**
   * The most bytes this load may read, inflate or allocate for the file (every size the file declares is
   * checked against it before anything is read). Keras: none (keras-ts's bound on files from strangers)
   * @default 2 ** 32 (4 GiB)
   */
  maxBytes?: number;
  /** The most seconds this load may take. Keras: none (keras-ts's bound on files from strangers) @default 600 */
  timeoutSeconds?: number;
}

/** A class a file may name, with its static fromConfig (or a constructor taking the config). */
export type SerializableClass = (abstract new (...args: never[]) => unknown) & { fromConfig?: (config: never) => unknown; name: string };

export interface LoadModelOptions {
  /**
   * Compile the model with the file's training config (optimizer, loss, metrics) and restore the optimizer's state.
   * Keras: `compile` @default true
   */
  compile?: boolean;
  /**
   * Classes the file names that are not registered (by class name), e.g. { MyLayer }. Keras: `custom_objects`
   * @default undefined (registered and built-in classes only)
   */
  customObjects?: Record<string, SerializableClass | typeof Layer>;
  /**
   * The most bytes this load may read, inflate or allocate for the file (every size the file declares is
   * checked against it before anything is read). Keras: none (keras-ts's bound on files from strangers)
   * @default 2 ** 32 (4 GiB)
   */
  maxBytes?: number;
  /** The most seconds this load may take. Keras: none (keras-ts's bound on files from strangers) @default 600 */
  timeoutSeconds?: number;
}

export const SAVE_KEYS = optionKeys<SaveOptions>()('overwrite', 'includeOptimizer');
export const LOAD_WEIGHTS_KEYS = optionKeys<LoadWeightsOptions>()('byName', 'skipMismatch', 'maxBytes', 'timeoutSeconds');
export const LOAD_MODEL_KEYS = optionKeys<LoadModelOptions>()('compile', 'customObjects', 'maxBytes', 'timeoutSeconds');
