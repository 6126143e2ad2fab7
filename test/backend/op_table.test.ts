/** The one op table: the committed C header is generated from it, and codes are unique and dense. */
import * as fs from 'fs';
import * as path from 'path';
import { OP_TABLE, opCodes, renderOpTableHeader } from '../../src/backend/op_table';

test('native/common/op_table.h is what src/backend/op_table.ts generates (npm run gen:ops)', () => {
  const header = fs.readFileSync(path.join(__dirname, '..', '..', 'native', 'common', 'op_table.h'), 'utf8');
  expect(header).toBe(renderOpTableHeader());
});

test('each family has unique kernel and C names, and codes are positions', () => {
  for (const family of Object.values(OP_TABLE)) {
    expect(new Set(family.map(([name]) => name)).size).toBe(family.length);
    expect(new Set(family.map(([, c]) => c)).size).toBe(family.length);
  }
  expect(opCodes('BinaryOp')).toMatchObject({ Add: 0, Sub: 1, Multiply: 2, LessEqual: 12 });
  expect(opCodes('UnaryOp').Sign).toBe(16); // the CUDA addon's kernels know the codes up to Sign
  // every C name appears once across families (one C scope)
  const all = Object.values(OP_TABLE).flatMap((f) => f.map(([, c]) => c));
  expect(new Set(all).size).toBe(all.length);
});

test('the CUDA addon includes the generated header instead of its own enums', () => {
  const cu = fs.readFileSync(path.join(__dirname, '..', '..', 'native', 'cuda', 'addon.cu'), 'utf8');
  expect(cu).toMatch(/#include "\.\.\/common\/op_table\.h"/);
  expect(cu).not.toMatch(/enum (BinaryOp|UnaryOp|ReduceOp)\s*\{/);
});
