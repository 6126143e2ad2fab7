/**
 * 'webgl': tfjs-backend-webgl (WebGL 2 in a page; SwiftShader's software GPU where there is none,
 * as in headless Chromium), as keras-ts's own tfjs backend 'keras-webgl'. The package is fetched
 * on the first `await setBackend('webgl')` (a chunk of the browser build). Chosen only by name:
 * the automatic choice stays wasm (a small model's steps are dominated by WebGL's per-op cost).
 * Node has no WebGL: there setBackend('webgl') fails to initialize and says so.
 */
import { tfjsPackageProfile } from '../tfjs_package_profile';

export const webglProfile = tfjsPackageProfile({
  name: 'webgl',
  packageBackend: 'webgl',
  packageName: '@tensorflow/tfjs-backend-webgl',
  importPackage: () => import('@tensorflow/tfjs-backend-webgl'),
});
