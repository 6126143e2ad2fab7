/** Without the gradients bundle (a checkout where `npm run build` never ran) the first use says so and how to fix it. */
import * as k from '../../src';

jest.mock('../../src/backend/tfjs_gradients.generated', () => {
  throw Object.assign(new Error("Cannot find module './tfjs_gradients.generated' from 'src/backend/gradients.ts'"), { code: 'MODULE_NOT_FOUND' });
});

test('the first backend use names the missing bundle and `npm run build`', async () => {
  await expect(k.setBackend('cpu')).rejects.toThrow(/tfjs_gradients\.generated\.js is missing.*help: run `npm run build`/);
  expect(() => new k.layers.Dense({ units: 1 })).toThrow(/help: run `npm run build`/); // and again: nothing half-installed
});
