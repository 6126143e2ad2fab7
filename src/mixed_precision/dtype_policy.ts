/**
 * A dtype policy, as Keras 3's keras.dtype_policies.DTypePolicy: a name, the dtype a layer computes
 * in (computeDtype) and the dtype of its weights (variableDtype). 'mixed_float16' and
 * 'mixed_bfloat16' compute in float16 / bfloat16 with float32 variables; any other name is one
 * dtype for both. tfjs-core has no float16, bfloat16 or float64: a policy naming them is kept (its
 * name is what a saved config holds), warns once through k.utils' logger, and layers under it
 * compute in float32 with float32 variables (`tensorDtype`).
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { getLogger } from '../utils/logger';

/** The policy names Keras knows: the mixed ones, and a dtype name (one dtype for both). */
export type PolicyName = 'mixed_float16' | 'mixed_bfloat16' | 'float16' | 'bfloat16' | 'float64' | tfc.DataType;

/** A policy, or its name, wherever a layer takes one. */
export type PolicyIdentifier = PolicyName | DTypePolicy;

const MIXED: Record<string, string> = { mixed_float16: 'float16', mixed_bfloat16: 'bfloat16' };
const TFJS_DTYPES = new Set(['float32', 'int32', 'bool', 'complex64', 'string']);
const FLOATS_TFJS_LACKS = new Set(['float16', 'bfloat16', 'float64']);

let warned = false;

export class DTypePolicy {
  /** The policy's name ('mixed_float16', 'float32', ...), as saved in configs. */
  readonly name: string;
  /** The dtype Keras computes in under this policy. Keras: `compute_dtype` */
  readonly computeDtype: string;
  /** The dtype of the weights Keras creates under this policy. Keras: `variable_dtype` */
  readonly variableDtype: string;

  constructor(name: string) {
    checkPolicyName(name, 'DTypePolicy');
    const mixed = MIXED[name];
    this.name = name;
    this.computeDtype = mixed ?? name;
    this.variableDtype = mixed === undefined ? name : 'float32';
    if (FLOATS_TFJS_LACKS.has(this.computeDtype)) warnOnce(name, this.computeDtype);
  }

  /** The dtype tensors and weights have here: float32 where tfjs-core lacks the policy's float dtype. */
  get tensorDtype(): tfc.DataType {
    return TFJS_DTYPES.has(this.variableDtype) ? (this.variableDtype as tfc.DataType) : 'float32';
  }

  /** Keras's config: `{name}`. */
  getConfig(): { name: string } {
    return { name: this.name };
  }

  static fromConfig(config: { name: string }): DTypePolicy {
    return new DTypePolicy(config.name);
  }

  toString(): string {
    return `<DTypePolicy "${this.name}">`;
  }
}

/** A policy from a name or a policy (`where` names the option, for the message). */
export function toPolicy(value: PolicyIdentifier, where: string): DTypePolicy {
  if (value instanceof DTypePolicy) return value;
  checkPolicyName(value, where);
  return new DTypePolicy(value);
}

function checkPolicyName(name: unknown, where: string): asserts name is string {
  if (typeof name !== 'string') {
    throw new ValueError(`${where}: a dtype policy's name must be a string such as 'mixed_float16', got ${JSON.stringify(name)}. help: pass e.g. 'float32', 'mixed_float16' or new k.mixedPrecision.DTypePolicy('mixed_bfloat16').`);
  }
  if (MIXED[name] === undefined && !TFJS_DTYPES.has(name) && !FLOATS_TFJS_LACKS.has(name)) {
    throw new ValueError(`${where}: cannot make a dtype policy of '${name}'. help: use 'mixed_float16', 'mixed_bfloat16', or a dtype name such as 'float32'.`);
  }
}

function warnOnce(name: string, dtype: string): void {
  if (warned) return;
  warned = true;
  getLogger().warn(
    `WARNING: dtype policy '${name}': tfjs-core has no ${dtype} dtype, so on this backend layers compute in float32 with float32 ` +
      'variables; saved configs keep the policy name. help: nothing to do to run the model; half-precision speed needs a backend with float16.\n',
  );
}

/** For tests: the next policy of a float dtype tfjs-core lacks warns again. */
export function resetPolicyWarning(): void {
  warned = false;
}
