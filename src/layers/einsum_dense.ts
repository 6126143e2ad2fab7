/**
 * EinsumDense: a dense layer written as an einsum of the input with a kernel, `equation` like
 * 'ab,bc->ac' (Dense), 'abc,cde->abde' (a projection to heads) or '...b,bc->...c'; the kernel's
 * shape follows from the equation, the input shape and `outputShape` (the output without the batch
 * axis; null entries are taken from the input), and `biasAxes` names the output letters a bias
 * spans, as Keras 3. Keras's LoRA and quantization options are not supported.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { getActivation } from '../activations/activations';
import { ValueError } from '../engine/errors';
import { LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { formatShape, Shape } from '../engine/symbolic_tensor';
import { Weight } from '../engine/weight';
import { contract } from '../ops/contract';
import { KERNEL_LAYER_KEYS, KernelLayer, KernelLayerArgs } from './kernel_layer';

export interface EinsumDenseArgs extends Omit<KernelLayerArgs, 'useBias'> {
  /** The einsum of input and kernel, e.g. 'ab,bc->ac'; '...' may stand for leading or trailing axes. Keras: `equation` */
  equation: string;
  /** The output's shape without the batch axis; null entries are taken from the input. Keras: `output_shape` */
  outputShape: number | Array<number | null>;
  /** The output letters the bias spans (e.g. 'c'); none means no bias. Keras: `bias_axes` @default undefined (no bias) */
  biasAxes?: string | null;
}

interface Plan {
  input: string;
  kernel: string;
  output: string;
  kernelShape: number[];
  biasShape: number[] | null;
  outputShape: Shape;
}

const FRESH = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export class EinsumDense extends KernelLayer {
  static override readonly optionKeys = optionKeys<EinsumDenseArgs>()(...KERNEL_LAYER_KEYS.filter((key) => key !== 'useBias'), 'equation', 'outputShape', 'biasAxes');
  readonly className = 'EinsumDense';
  readonly equation: string;
  readonly partialOutputShape: Array<number | null>;
  readonly biasAxes: string | null;
  private plan: Plan | null = null;

  static override readonly positional = ['equation', 'outputShape'];

  constructor(equation: string, outputShape: number | Array<number | null>, options?: Omit<EinsumDenseArgs, 'equation' | 'outputShape'>);
  constructor(args: EinsumDenseArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<EinsumDenseArgs>(new.target, given);
    super({ ...args, useBias: typeof args?.biasAxes === 'string' } as KernelLayerArgs, args);
    const owner = `EinsumDense '${this.name}'`;
    if (typeof args?.equation !== 'string' || !/^(\.\.\.)?[a-zA-Z]+(\.\.\.)?,[a-zA-Z]+->(\.\.\.)?[a-zA-Z]+(\.\.\.)?$/.test(args.equation)) {
      throw new ValueError(`${owner}: \`equation\` must read like 'ab,bc->ac' or '...b,bc->...c', got ${JSON.stringify(args?.equation)}. help: e.g. {equation: 'ab,bc->ac', outputShape: 64}.`);
    }
    if (args.outputShape === undefined) throw new ValueError(`${owner}: \`outputShape\` is required. help: e.g. {outputShape: 64}.`);
    this.equation = args.equation;
    this.partialOutputShape = typeof args.outputShape === 'number' ? [args.outputShape] : [...args.outputShape];
    this.biasAxes = args.biasAxes ?? null;
  }

  /** The equation with '...' spelled out for an input of rank `rank`, and the shapes it implies. */
  private analyze(inputShape: Shape): Plan {
    const fail = (why: string): never => {
      throw new ValueError(`${this.name} (EinsumDense): ${why} (equation '${this.equation}', input ${formatShape(inputShape)}). help: check the equation and outputShape.`);
    };
    const [lhs, output0] = this.equation.split('->');
    const [input0, kernel] = lhs.split(',');
    const elided = inputShape.length - input0.replace('...', '').length;
    if (elided < 0 || (elided > 0 && !input0.includes('...'))) fail(`the input has rank ${inputShape.length}`);
    const fresh = FRESH.split('').filter((c) => !this.equation.includes(c)).slice(0, elided).join('');
    const input = input0.replace('...', fresh);
    const output = output0.replace('...', fresh);
    const leftElided = input0.startsWith('...');
    const outputShape: Shape = [inputShape[0], ...this.partialOutputShape];
    if (elided > 0 && leftElided) outputShape.splice(1, 0, ...inputShape.slice(1, elided));
    if (elided > 0 && !leftElided) outputShape.push(...inputShape.slice(inputShape.length - elided));
    if (outputShape.length !== output.length) fail(`outputShape ${JSON.stringify(this.partialOutputShape)} does not match the output '${output0}'`);
    [...input].forEach((c, i) => {
      const o = output.indexOf(c);
      if (o < 0) return;
      if (outputShape[o] === null) outputShape[o] = inputShape[i];
      else if (inputShape[i] !== null && outputShape[o] !== inputShape[i]) fail(`axis '${c}' is ${inputShape[i]} in the input but ${outputShape[o]} in outputShape`);
    });
    const kernelShape = [...kernel].map((c) => {
      const d = output.includes(c) ? outputShape[output.indexOf(c)] : input.includes(c) ? inputShape[input.indexOf(c)] : fail(`the kernel's axis '${c}' is in neither the input nor the output`);
      return d ?? fail(`the kernel's axis '${c}' has no known size`);
    });
    let biasShape: number[] | null = null;
    if (this.biasAxes !== null) {
      const axes = this.biasAxes;
      if ([...axes].some((c) => !output.includes(c))) fail(`biasAxes '${axes}' names letters not in the output`);
      const first = Math.min(...[...axes].map((c) => output.indexOf(c)));
      biasShape = [...output.slice(first)].map((c) => (axes.includes(c) ? (outputShape[output.indexOf(c)] as number) : 1));
    }
    return { input, kernel, output, kernelShape, biasShape, outputShape };
  }

  override build(inputShape: Shape | Shape[]): void {
    this.plan = this.analyze(inputShape as Shape);
    this.kernel = this.addWeight({
      name: 'kernel', shape: this.plan.kernelShape, initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint,
    });
    if (this.plan.biasShape) {
      this.bias = this.addWeight({
        name: 'bias', shape: this.plan.biasShape, initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint,
      });
    }
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return this.analyze(inputShape as Shape).outputShape;
  }

  call(x: tfc.Tensor): tfc.Tensor {
    const plan = this.plan ?? this.analyze(x.shape);
    const y = contract(x, plan.input, (this.kernel as Weight).value, plan.kernel, plan.output);
    const biased = this.bias ? tfc.add(y, this.bias.value) : y;
    return getActivation(this.activation, this.name)(biased);
  }

  override getConfig(): LayerConfig {
    const { useBias, ...rest } = super.getConfig();
    void useBias;
    return { ...rest, equation: this.equation, outputShape: this.partialOutputShape, biasAxes: this.biasAxes };
  }
}
