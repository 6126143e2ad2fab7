/**
 * Muon, as Keras 3 computes it (keras/src/optimizers/muon.py). Each 2-D variable whose name matches
 * none of `excludeLayers` (nor 'embedding', with excludeEmbeddings) follows the Muon rule:
 *   m += g + m(momentum - 1);  u = g + momentum·m (nesterov) or m;
 *   O = five Newton-Schulz iterations on u / ‖u‖ (X ← aX + (bA + cA²)X, A = XXᵀ, on the wide side);
 *   w -= lr · O · sqrt(max(rows, cols)) · rmsRate,
 * decayed by weightDecay. Every other variable follows AdamW at lr · adamLrRatio, decayed by
 * adamWeightDecay. Both kinds keep `m`; `v` is used by the Adam ones only.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { optionKeys } from '../engine/options';
import { ValueError } from '../engine/errors';
import { checkUnit } from './adam';
import { Optimizer, OPTIMIZER_KEYS, OptimizerArgs, SlotSpec } from './optimizer';

export interface MuonArgs extends OptimizerArgs {
  /** Adam's first-moment decay, for the Adam variables. Keras: `adam_beta_1` @default 0.9 */
  adamBeta1?: number;
  /** Adam's second-moment decay. Keras: `adam_beta_2` @default 0.999 */
  adamBeta2?: number;
  /** The weight decay of the Adam variables. Keras: `adam_weight_decay` @default 0.004 */
  adamWeightDecay?: number;
  /** Adam's epsilon. Keras: `epsilon` @default 1e-7 */
  epsilon?: number;
  /** Regular expressions: variables whose name matches one follow Adam. Keras: `exclude_layers` @default [] */
  excludeLayers?: string[];
  /** Variables whose name holds 'embedding' follow Adam. Keras: `exclude_embeddings` @default true */
  excludeEmbeddings?: boolean;
  /** Newton-Schulz coefficient a. Keras: `muon_a` @default 3.4445 */
  muonA?: number;
  /** Newton-Schulz coefficient b. Keras: `muon_b` @default -4.775 */
  muonB?: number;
  /** Newton-Schulz coefficient c. Keras: `muon_c` @default 2.0315 */
  muonC?: number;
  /** The Adam variables' learning rate over the Muon ones'. Keras: `adam_lr_ratio` @default 1 */
  adamLrRatio?: number;
  /** Keras: `momentum` @default 0.95 */
  momentum?: number;
  /** Newton-Schulz iterations. Keras: `ns_steps` @default 5 */
  nsSteps?: number;
  /** Keras: `nesterov` @default true */
  nesterov?: boolean;
  /** The update's RMS scale (Moonlight's); null leaves the orthogonalized update unscaled. Keras: `rms_rate` @default 0.2 */
  rmsRate?: number | null;
}

export class Muon extends Optimizer {
  static override readonly optionKeys = optionKeys<MuonArgs>()(
    ...OPTIMIZER_KEYS, 'adamBeta1', 'adamBeta2', 'adamWeightDecay', 'epsilon', 'excludeLayers', 'excludeEmbeddings', 'muonA', 'muonB', 'muonC', 'adamLrRatio', 'momentum', 'nsSteps', 'nesterov', 'rmsRate',
  );
  readonly className = 'Muon';
  readonly adamBeta1: number;
  readonly adamBeta2: number;
  readonly adamWeightDecay: number | undefined;
  readonly epsilon: number;
  readonly excludeLayers: string[];
  readonly excludeEmbeddings: boolean;
  readonly muonA: number;
  readonly muonB: number;
  readonly muonC: number;
  readonly adamLrRatio: number;
  readonly momentum: number;
  readonly nsSteps: number;
  readonly nesterov: boolean;
  readonly rmsRate: number | null;
  private readonly patterns: RegExp[];

  constructor(args: MuonArgs = {}) {
    super({ ...args, weightDecay: args.weightDecay === undefined ? 0.004 : args.weightDecay }, 0.001, 'Muon', args);
    this.adamBeta1 = checkUnit(args.adamBeta1 ?? 0.9, 'adamBeta1', this.name);
    this.adamBeta2 = checkUnit(args.adamBeta2 ?? 0.999, 'adamBeta2', this.name);
    this.adamWeightDecay = args.adamWeightDecay === undefined ? 0.004 : (args.adamWeightDecay ?? undefined);
    this.epsilon = args.epsilon ?? 1e-7;
    this.excludeLayers = [...(args.excludeLayers ?? [])];
    this.excludeEmbeddings = args.excludeEmbeddings ?? true;
    this.muonA = args.muonA ?? 3.4445;
    this.muonB = args.muonB ?? -4.775;
    this.muonC = args.muonC ?? 2.0315;
    this.adamLrRatio = args.adamLrRatio ?? 1;
    this.momentum = checkUnit(args.momentum ?? 0.95, 'momentum', this.name);
    this.nsSteps = args.nsSteps ?? 5;
    this.nesterov = args.nesterov ?? true;
    this.rmsRate = args.rmsRate === undefined ? 0.2 : args.rmsRate;
    if (!Number.isInteger(this.nsSteps) || this.nsSteps < 1) throw new ValueError(`${this.name}: \`nsSteps\` must be a positive integer, got ${String(args.nsSteps)}. help: keep the default 5.`);
    this.patterns = this.excludeLayers.map((p) => {
      try {
        return new RegExp(p);
      } catch {
        throw new ValueError(`${this.name}: \`excludeLayers\` holds '${p}', not a regular expression. help: pass layer names or patterns such as 'output_dense'.`);
      }
    });
  }

  /** Whether `variable` follows AdamW rather than Muon: not 2-D, an embedding, or excluded by name. */
  usesAdam(variable: tfc.Variable): boolean {
    if (variable.shape.length !== 2) return true;
    const name = variable.name.replace(/#\d+$/, '');
    if (this.excludeEmbeddings && name.toLowerCase().includes('embedding')) return true;
    return this.patterns.some((p) => p.test(name));
  }

  protected slotNames(): SlotSpec[] {
    return ['m', 'v'];
  }

  protected override decayFor(variable: tfc.Variable): number | undefined {
    return this.usesAdam(variable) ? this.adamWeightDecay : this.weightDecay;
  }

  protected updateStep(grad: tfc.Tensor, w: tfc.Tensor, slots: Record<string, tfc.Variable>, lr: number, step: number, variable: tfc.Variable): tfc.Tensor {
    if (this.usesAdam(variable)) return this.adamStep(grad, w, slots, lr * this.adamLrRatio, step);
    const m = tfc.add(slots.m, tfc.add(grad, tfc.mul(slots.m, this.constant(this.momentum - 1))));
    slots.m.assign(m);
    const u = this.nesterov ? tfc.add(grad, tfc.mul(m, this.constant(this.momentum))) : m;
    let update = tfc.mul(newtonSchulz(u, this.nsSteps, [this.muonA, this.muonB, this.muonC]), this.constant(lr));
    if (this.rmsRate !== null) update = tfc.mul(update, this.constant(Math.sqrt(Math.max(...w.shape)) * this.rmsRate));
    return tfc.sub(w, update);
  }

  private adamStep(grad: tfc.Tensor, w: tfc.Tensor, slots: Record<string, tfc.Variable>, lr: number, step: number): tfc.Tensor {
    const alpha = this.constant((lr * Math.sqrt(1 - this.adamBeta2 ** step)) / (1 - this.adamBeta1 ** step));
    const m = tfc.add(slots.m, tfc.mul(tfc.sub(grad, slots.m), this.constant(1 - this.adamBeta1)));
    const v = tfc.add(slots.v, tfc.mul(tfc.sub(tfc.square(grad), slots.v), this.constant(1 - this.adamBeta2)));
    slots.m.assign(m);
    slots.v.assign(v);
    return tfc.sub(w, tfc.div(tfc.mul(m, alpha), tfc.add(tfc.sqrt(v), this.constant(this.epsilon))));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), adamBeta1: this.adamBeta1, adamBeta2: this.adamBeta2, epsilon: this.epsilon, excludeLayers: [...this.excludeLayers],
      muonA: this.muonA, muonB: this.muonB, muonC: this.muonC, adamLrRatio: this.adamLrRatio, momentum: this.momentum, nsSteps: this.nsSteps,
      nesterov: this.nesterov, excludeEmbeddings: this.excludeEmbeddings, adamWeightDecay: this.adamWeightDecay ?? null, rmsRate: this.rmsRate,
    };
  }
}

/** Keras's zeropower_via_newtonschulz5 on a matrix: X = G/(‖G‖+1e-7), then X ← aX + (bA + cA²)X with A = XXᵀ, on the wide orientation. */
function newtonSchulz(g: tfc.Tensor, steps: number, [a, b, c]: number[]): tfc.Tensor {
  const [rows, cols] = g.shape as [number, number];
  const tall = rows > cols;
  let x = tall ? tfc.transpose(g) : g;
  x = tfc.div(x, tfc.add(tfc.norm(x), 1e-7));
  for (let i = 0; i < steps; i++) {
    const A = tfc.matMul(x, x, false, true);
    const B = tfc.add(tfc.mul(A, b), tfc.mul(tfc.matMul(A, A), c));
    x = tfc.add(tfc.mul(x, a), tfc.matMul(B, x));
  }
  return tall ? tfc.transpose(x) : x;
}
