/** `npm run gen:ops`: writes native/common/op_table.h from src/backend/op_table.ts. */
import * as fs from 'fs';
import * as path from 'path';
import { renderOpTableHeader } from '../../src/backend/op_table';

const target = path.join(__dirname, 'op_table.h');
fs.writeFileSync(`${target}.tmp`, renderOpTableHeader());
fs.renameSync(`${target}.tmp`, target);
console.log(`gen:ops: wrote ${target}`);
