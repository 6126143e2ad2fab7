/** Small checks and conversions on shapes that the layer base and shape inference share. */
import { ValueError } from './errors';
import type { Shape } from './symbolic_tensor';

/** The shape with its batch dimension unknown. */
export function batchless(shape: Shape): Shape {
  return [null, ...shape.slice(1)];
}

/** Whether `s` is a list of shapes (a layer with several inputs) rather than one shape. */
export function isShapeList(s: Shape | Shape[]): s is Shape[] {
  return s.length > 0 && Array.isArray(s[0]);
}

/** Whether `given` fits `wanted` on `axes` (negative: from the end); unknown dimensions fit anything. */
export function shapesCompatible(given: Shape, wanted: Shape, axes: number[]): boolean {
  if (given.length !== wanted.length) return false;
  return axes.every((a) => {
    const i = a < 0 ? given.length + a : a;
    return i <= 0 || given[i] === null || wanted[i] === null || given[i] === wanted[i];
  });
}

/** A copy of `shape`, refused unless it is a list of positive integers (or null). */
export function checkShape(shape: Shape, name: string, field: string): Shape {
  const ok = Array.isArray(shape) && shape.every((d) => d === null || (Number.isInteger(d) && d > 0));
  if (!ok) {
    throw new ValueError(
      `${name}: \`${field}\` must be a list of positive integers (or null), got ${JSON.stringify(shape)}. help: pass e.g. {${field}: [784]}.`,
    );
  }
  return [...shape];
}
