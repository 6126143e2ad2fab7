/**
 * The draws the mixing layers need beyond uniforms, from one call's uniform source (so a seeded layer
 * stays reproducible on every backend): Gamma (Marsaglia and Tsang; shapes below 1 boosted by
 * U^(1/alpha)), Beta as X / (X + Y) of two Gammas, Dirichlet as normalised Gammas, and a uniform
 * permutation (Fisher-Yates).
 */
import type { Draw } from './random_image_layer';

/** A standard normal draw (Box-Muller). */
function normal(draw: Draw): number {
  return Math.sqrt(-2 * Math.log(1 - draw())) * Math.cos(2 * Math.PI * draw());
}

/** A Gamma(alpha, 1) draw, alpha > 0. */
export function gamma(draw: Draw, alpha: number): number {
  if (alpha < 1) return gamma(draw, alpha + 1) * Math.pow(1 - draw(), 1 / alpha);
  const d = alpha - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(draw);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = draw();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(a, b) draw. Shapes so small that both Gammas underflow give 0 or 1 with Beta's odds of each. */
export function beta(draw: Draw, a: number, b: number): number {
  const x = gamma(draw, a);
  const y = gamma(draw, b);
  if (x + y > 0) return x / (x + y);
  return draw() < a / (a + b) ? 1 : 0;
}

/** `k` weights from Dirichlet(alpha, ..., alpha): non-negative, summing to 1. */
export function dirichlet(draw: Draw, alpha: number, k: number): number[] {
  const g = Array.from({ length: k }, () => gamma(draw, alpha));
  const total = g.reduce((s, v) => s + v, 0);
  return total > 0 ? g.map((v) => v / total) : g.map((_, i) => (i === Math.floor(draw() * k) ? 1 : 0));
}

/** A uniform permutation of 0 .. n - 1. */
export function permutation(draw: Draw, n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(draw() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
