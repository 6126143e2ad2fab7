/**
 * Keras 3's `rearrange(tensor, pattern, axesLengths)` (einops' rearrange): a pattern such as
 * 'b (h w) c -> b h w c' names each axis, or a parenthesized group of axes merged into one, on
 * both sides; the op splits the input's groups (sizes from the input and `axesLengths`), permutes
 * the named axes and merges the output's groups: one reshape, one transpose, one reshape.
 * Ellipsis ('...') and anonymous axes ('1') are not supported and are refused.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { run, toTensor, type TensorInput } from './tensor_input';

function parseSide(op: string, side: string): string[][] {
  const groups: string[][] = [];
  const re = /\(([^)]*)\)|(\S+)/g;
  for (const m of side.matchAll(re)) {
    const names = (m[1] !== undefined ? m[1].trim().split(/\s+/).filter((s) => s !== '') : [m[2]]);
    if (names.some((n) => !/^[A-Za-z_]\w*$/.test(n))) throw new ValueError(`ops.${op}: '${m[0]}' in '${side}' is not an axis name or a group of names (no '...' or '1' here). help: name every axis, e.g. 'b (h w) c -> b h w c'.`);
    groups.push(names);
  }
  return groups;
}

export function rearrange(tensor: TensorInput, pattern: string, axesLengths: Record<string, number> = {}): tfc.Tensor {
  return run(() => {
    const x = toTensor(tensor);
    const sides = pattern.split('->');
    if (sides.length !== 2) throw new ValueError(`ops.rearrange: pattern '${pattern}' needs one '->'. help: e.g. 'b h w c -> b c h w'.`);
    const [left, right] = sides.map((s) => parseSide('rearrange', s));
    if (left.length !== x.rank) throw new ValueError(`ops.rearrange: the pattern's left side has ${left.length} axes but the tensor has rank ${x.rank} (shape [${x.shape}]). help: name one axis or group per dimension.`);
    const size: Record<string, number> = { ...axesLengths };
    left.forEach((group, d) => {
      const unknown = group.filter((n) => size[n] === undefined);
      const known = group.filter((n) => size[n] !== undefined).reduce((p, n) => p * size[n], 1);
      if (unknown.length > 1) throw new ValueError(`ops.rearrange: group (${group.join(' ')}) has more than one unknown size. help: pass the sizes in axesLengths, e.g. {${unknown[0]}: 2}.`);
      if (unknown.length === 1) size[unknown[0]] = x.shape[d] / known;
      const total = group.reduce((p, n) => p * size[n], 1);
      if (!Number.isInteger(size[unknown[0] ?? group[0]]) || total !== x.shape[d]) throw new ValueError(`ops.rearrange: group (${group.join(' ')}) does not match axis ${d} of size ${x.shape[d]}. help: check axesLengths.`);
    });
    const [inNames, outNames] = [left.flat(), right.flat()];
    if (inNames.length !== outNames.length || !outNames.every((n) => inNames.includes(n)) || new Set(inNames).size !== inNames.length) {
      throw new ValueError(`ops.rearrange: both sides of '${pattern}' must name the same axes once each. help: e.g. 'b (h w) c -> b h w c'.`);
    }
    const split = tfc.reshape(x, inNames.map((n) => size[n]));
    const moved = tfc.transpose(split, outNames.map((n) => inNames.indexOf(n)));
    return tfc.reshape(moved, right.map((g) => g.reduce((p, n) => p * size[n], 1)));
  });
}
