/**
 * The global dtype policy: the policy of every layer created without `dtype` / `dtypePolicy`, as
 * Keras's keras.config.set_dtype_policy / keras.mixed_precision.set_global_policy. It starts as
 * 'float32'; setGlobalPolicy(null) restores that.
 */
import { ValueError } from '../engine/errors';
import { DTypePolicy, PolicyIdentifier, toPolicy } from './dtype_policy';

let current: DTypePolicy | undefined;

/** Sets the policy of layers created from now on without a dtype of their own. Keras: `set_global_policy` */
export function setGlobalPolicy(policy: PolicyIdentifier | null): void {
  current = policy === null ? undefined : toPolicy(policy, 'setGlobalPolicy');
}

/** The policy of layers created without a dtype of their own ('float32' unless set). Keras: `global_policy` */
export function globalPolicy(): DTypePolicy {
  current ??= new DTypePolicy('float32');
  return current;
}

/** A layer's policy: its `dtype` or `dtypePolicy` option (one of them, or both naming the same), else the global policy. */
export function layerPolicy(dtype: PolicyIdentifier | undefined, dtypePolicy: PolicyIdentifier | undefined, where: string): DTypePolicy {
  if (dtype !== undefined && dtypePolicy !== undefined) {
    const a = toPolicy(dtype, `${where}: dtype`).name;
    const b = toPolicy(dtypePolicy, `${where}: dtypePolicy`).name;
    if (a !== b) throw new ValueError(`${where}: dtype '${a}' and dtypePolicy '${b}' disagree. help: give one of them.`);
  }
  const given = dtypePolicy ?? dtype;
  return given === undefined ? globalPolicy() : toPolicy(given, `${where}: ${dtypePolicy !== undefined ? 'dtypePolicy' : 'dtype'}`);
}
