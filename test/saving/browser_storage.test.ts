/**
 * The browser's sources and stores, from Node's side: a .keras file as a Blob loads and predicts
 * the same (no tensor left behind); indexeddb://, localstorage:// and downloads:// are refused
 * outside a page with a help that names what Node uses, and malformed names everywhere. (In a page
 * they are tested by test/browser/page.test.ts.)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as k from '../../src';
import { expectNoLeak } from '../helpers';

let tmp = '';
let model: k.Sequential;

beforeAll(async () => {
  await k.setBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-stores-'));
  model = new k.Sequential([new k.layers.Dense({ units: 3, activation: 'tanh', inputShape: [2] }), new k.layers.Dense({ units: 1 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  await model.save(path.join(tmp, 'm.keras'));
});

afterAll(() => {
  model.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('a .keras file as a Blob (a File in a page) loads and predicts what the saved model predicts, leaving no tensor', async () => {
  const x = k.tf.tensor2d([[0.5, -1], [2, 0.25]]);
  const expected = (model.predict(x) as k.tf.Tensor).arraySync();
  const blob = new Blob([fs.readFileSync(path.join(tmp, 'm.keras'))]);
  await expectNoLeak(async () => {
    const loaded = await k.models.loadModel(blob);
    k.tf.tidy(() => expect((loaded.predict(x) as k.tf.Tensor).arraySync()).toEqual(expected));
    expect(loaded.optimizer).not.toBeNull();
    loaded.dispose();
  });
  x.dispose();
});

test('an empty Blob is refused as neither a .keras archive nor HDF5', async () => {
  await expect(k.models.loadModel(new Blob([]))).rejects.toThrow(/loadModel\(<Blob, 0 bytes>\): the bytes are neither a \.keras archive \(zip\) nor an HDF5 file\. help:/);
});

test.each(['indexeddb://m', 'localstorage://m', 'IndexedDB://m'])('%s outside a page: save and load refuse, naming what Node uses', async (url) => {
  await expect(model.save(url)).rejects.toThrow(/no tfjs handler can save '.*' outside a web page\. help: in Node, save to a file path such as 'model\.keras'/);
  await expect(k.models.loadModel(url)).rejects.toThrow(/no tfjs handler can load '.*' outside a web page\. help: in Node/);
});

test('downloads:// outside a page refuses; a download cannot be read back by its name', async () => {
  await expect(model.save('downloads://m.keras')).rejects.toThrow(/no tfjs handler can save 'downloads:\/\/m\.keras' outside a web page/);
  await expect(model.save('downloads://m')).rejects.toThrow(/no tfjs handler can save 'downloads:\/\/m' outside a web page/);
  await expect(k.models.loadModel('downloads://m')).rejects.toThrow(/a download cannot be read back by its downloads:\/\/ name\. help: load the downloaded file itself/);
});

test('malformed store names are refused before anything is written', async () => {
  await expect(model.save('indexeddb://')).rejects.toThrow(/'indexeddb:\/\/' names no model\. help: e\.g\. 'indexeddb:\/\/my-model'/);
  await expect(model.save('indexeddb://m.keras')).rejects.toThrow(/indexeddb:\/\/ stores tfjs's layers format, not a \.keras file\. help: name it without the extension \('indexeddb:\/\/m'\)/);
});

test('a subclassed model goes to the browser stores only as a .keras download', async () => {
  class Tiny extends k.Model {
    private readonly dense = new k.layers.Dense({ units: 1 });
    override call(x: k.tf.Tensor): k.tf.Tensor {
      return this.dense.apply(x) as k.tf.Tensor;
    }
  }
  const tiny = new Tiny();
  tiny.build([null, 2]);
  await expect(tiny.save('indexeddb://tiny')).rejects.toThrow(/is a subclassed model; the TensorFlow\.js format holds only Functional and Sequential graphs.*help: download it as 'downloads:\/\/model\.keras'/);
  await expect(tiny.save('downloads://tiny.h5')).rejects.toThrow(/the legacy HDF5 format holds only/);
  tiny.dispose();
});
