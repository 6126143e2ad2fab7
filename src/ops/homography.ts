/**
 * The projective transform that takes four points to four others, as Keras's
 * `ops.image.compute_homography_matrix`: `homography(start, end)` is the row
 * [a0, a1, a2, b0, b1, b2, c0, c1] of affine_transform.ts that maps each end point to its start
 * point, so that affineTransform with it moves the image's start points to the end points (what
 * Keras's `perspective_transform` does). Solved as Keras does, an 8 x 8 linear system, here by
 * Gaussian elimination with partial pivoting in float64.
 */
import { ValueError } from '../engine/errors';

/** Four [x, y] points. */
export type Quad = [[number, number], [number, number], [number, number], [number, number]];

/** The 8 numbers of the transform mapping end[i] to start[i]; throws when the points are degenerate. */
export function homography(start: Quad, end: Quad): number[] {
  const rows: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [sx, sy] = start[i];
    const [ex, ey] = end[i];
    rows.push([ex, ey, 1, 0, 0, 0, -sx * ex, -sx * ey, sx]);
    rows.push([0, 0, 0, ex, ey, 1, -sy * ex, -sy * ey, sy]);
  }
  return solve(rows, `homography(${JSON.stringify(start)}, ${JSON.stringify(end)})`);
}

/** x with A x = b, for the augmented rows [A | b] (8 x 9), by elimination with partial pivoting. */
function solve(m: number[][], owner: string): number[] {
  const n = m.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    if (Math.abs(m[pivot][col]) < 1e-12) {
      throw new ValueError(`${owner}: the points are degenerate (three on a line, or two equal). help: give four points, no three on a line.`);
    }
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r][col] / m[col][col];
      for (let k = col; k <= n; k++) m[r][k] -= f * m[col][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}
