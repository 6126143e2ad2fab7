/**
 * An optimizer's per-variable slots (Adam's m and v, the EMA's average, the gradient accumulator):
 * made on a variable's first step from the optimizer's slot specs, kept by variable, freed by
 * dispose. The specs are read when first needed, not at construction: a subclass's slotNames()
 * may depend on fields its constructor sets after the base's.
 */
import * as tfc from '@tensorflow/tfjs-core';

/**
 * A slot's name, the value it starts from ('variable': a copy of the variable, as ScheduleFreeAdamW's), and its shape from the variable's (the variable's own
 * shape unless `shape` says otherwise: Adafactor's factored moments).
 */
export type SlotSpec = string | { name: string; initial?: number | 'variable'; shape?: (variableShape: number[]) => number[] };

export class OptimizerSlots {
  private readonly byVariable = new Map<tfc.Variable, Record<string, tfc.Variable>>();

  /** `specs` gives every slot of a variable, in saving order. */
  constructor(private readonly specs: () => SlotSpec[]) {}

  /** How many slots each variable has. */
  get perVariable(): number {
    return this.specs().length;
  }

  /** The shapes of the slots of a variable of shape `variableShape`, in saving order. */
  shapes(variableShape: number[]): number[][] {
    return this.specs().map((spec) => (typeof spec === 'string' || spec.shape === undefined ? [...variableShape] : spec.shape([...variableShape])));
  }

  /** Whether `variable` has its slots yet. */
  has(variable: tfc.Variable): boolean {
    return this.byVariable.has(variable);
  }

  /** The slots of `variable`, or undefined before its first step. */
  get(variable: tfc.Variable): Record<string, tfc.Variable> | undefined {
    return this.byVariable.get(variable);
  }

  /** The slots of `variable`, made (from their initial values) on first use. Call in a tidy scope. */
  of(variable: tfc.Variable): Record<string, tfc.Variable> {
    let slots = this.byVariable.get(variable);
    if (slots === undefined) {
      const made: Record<string, tfc.Variable> = {};
      const shapes = this.shapes(variable.shape);
      this.specs().forEach((spec, i) => {
        const { name, initial = 0 } = typeof spec === 'string' ? { name: spec } : spec;
        made[name] = tfc.keep(tfc.variable(initial === 'variable' ? tfc.clone(variable) : tfc.fill(shapes[i], initial), false));
      });
      this.byVariable.set(variable, made);
      slots = made;
    }
    return slots;
  }

  /** Frees every slot; slots are made again on the next step. */
  dispose(): void {
    for (const slots of this.byVariable.values()) Object.values(slots).forEach((v) => v.dispose());
    this.byVariable.clear();
  }
}
