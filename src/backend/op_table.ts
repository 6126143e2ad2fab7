/**
 * The one source of the op codes that keras-ts's native addons share with their TypeScript sides:
 * an op's code is its position in its list. native/common/op_table.h is generated from this file
 * (`npm run gen:ops`; a test checks that the committed header matches), the CUDA addon and the native
 * CPU addon include that header, and the TypeScript sides (and the CUDA stand-in used in tests) take
 * their codes from here by kernel name. New ops go at the end of their family, so existing codes
 * keep their values; an addon implements the ops its TypeScript side lists (the CUDA addon's
 * unary kernel knows the ops up to Sign).
 */

/** [tfjs kernel name, C enum name] pairs, in code order. */
export const OP_TABLE = {
  BinaryOp: [
    ['Add', 'ADD'], ['Sub', 'SUB'], ['Multiply', 'MUL'], ['RealDiv', 'DIV'], ['Maximum', 'MAXIMUM'], ['Minimum', 'MINIMUM'],
    ['Pow', 'POW'], ['SquaredDifference', 'SQDIFF'], ['Equal', 'EQUAL'], ['Greater', 'GREATER'], ['GreaterEqual', 'GREATER_EQUAL'],
    ['Less', 'LESS'], ['LessEqual', 'LESS_EQUAL'],
  ],
  UnaryOp: [
    ['Neg', 'NEG'], ['Exp', 'EXP'], ['Log', 'LOG'], ['Sqrt', 'SQRT'], ['Square', 'SQUARE'], ['Abs', 'ABS'], ['Sigmoid', 'SIGMOID'],
    ['Relu', 'RELU'], ['Tanh', 'TANH'], ['Step', 'STEP'], ['Rsqrt', 'RSQRT'], ['Reciprocal', 'RECIPROCAL'], ['Log1p', 'LOG1P'],
    ['Relu6', 'RELU6'], ['Elu', 'ELU'], ['Softplus', 'SOFTPLUS'], ['Sign', 'SIGN'], ['Floor', 'FLOOR'],
  ],
  ReduceOp: [['Sum', 'R_SUM'], ['Max', 'R_MAX'], ['Min', 'R_MIN'], ['Mean', 'R_MEAN'], ['Prod', 'R_PROD']],
  /** Activations fused into a matmul or convolution (tfjs's fused names). */
  Activation: [['linear', 'ACT_LINEAR'], ['relu', 'ACT_RELU'], ['relu6', 'ACT_RELU6'], ['elu', 'ACT_ELU'], ['sigmoid', 'ACT_SIGMOID'], ['leakyrelu', 'ACT_LEAKYRELU']],
  /** How an image transform extends its input beyond the edges (ops/affine_transform.ts's fill modes). */
  FillMode: [['reflect', 'FILL_REFLECT'], ['wrap', 'FILL_WRAP'], ['constant', 'FILL_CONSTANT'], ['nearest', 'FILL_NEAREST']],
} as const;

export type OpFamily = keyof typeof OP_TABLE;

/** The codes of one family by tfjs kernel name: { Add: 0, Sub: 1, ... }. */
export function opCodes(family: OpFamily): Record<string, number> {
  return Object.fromEntries(OP_TABLE[family].map(([name], code) => [name, code]));
}

/** The text of native/common/op_table.h. */
export function renderOpTableHeader(): string {
  const lines = [
    '// Generated from src/backend/op_table.ts by `npm run gen:ops`: do not edit by hand.',
    '// An op\'s code is its position; the TypeScript sides look codes up by kernel name in that file.',
    '#pragma once',
    '',
  ];
  for (const family of Object.keys(OP_TABLE) as OpFamily[]) {
    const entries = OP_TABLE[family].map(([name, c], code) => `  ${c} = ${code},  // ${name}`);
    lines.push(`enum ${family} {`, ...entries, '};', '');
  }
  // X-macros over every family, for code that walks the whole table (the native addon's opTable()),
  // and each family's last code, for range checks.
  for (const family of Object.keys(OP_TABLE) as OpFamily[]) {
    lines.push(`#define OP_TABLE_${family}(X) ${OP_TABLE[family].map(([, c]) => `X(${c})`).join(' ')}`);
    lines.push(`#define ${family}_LAST ${OP_TABLE[family][OP_TABLE[family].length - 1][1]}`);
  }
  lines.push('');
  return lines.join('\n');
}
