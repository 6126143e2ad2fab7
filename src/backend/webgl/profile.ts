/**
 * 'webgl': tfjs-backend-webgl (WebGL 2 in a page; SwiftShader's software GPU where there is none,
 * as in headless Chromium), as keras-ts's own tfjs backend 'keras-webgl' (KERAS_WEBGL). The package is fetched
 * on the first `await setBackend('webgl')` (a chunk of the browser build). In a page with
 * WebGL 2 the automatic choice measures it against wasm and WebGPU (auto_choice.ts): on SwiftShader,
 * or for a small model whose steps are dominated by WebGL's cost per kernel, wasm wins.
 * Kernels that lose NaN are replaced (nan_kernels.ts); keras-ts's optimizer steps, activation
 * gradients (train_kernels.ts) and cross-entropy (loss_kernels.ts) run as WebGL programs of its own. Node has no WebGL: there setBackend('webgl')
 * fails to initialize.
 */
import { avgPool3dGradientByCount, avgPoolGradientByCount } from '../avg_pool_gradient';
import { tfjsPackageProfile } from '../tfjs_package_profile';
import { NAN_SAFE_KERNELS } from './nan_kernels';
import { WEBGL_LOSS_KERNELS } from './loss_kernels';
import { WEBGL_TRAIN_KERNELS } from './train_kernels';

export const webglProfile = tfjsPackageProfile({
  name: 'webgl',
  packageBackend: 'webgl',
  packageName: '@tensorflow/tfjs-backend-webgl',
  importPackage: () => import('@tensorflow/tfjs-backend-webgl'),
  replace: NAN_SAFE_KERNELS,
  kernels: { ...WEBGL_TRAIN_KERNELS, ...WEBGL_LOSS_KERNELS },
  // Its average-pooling backprop shaders divide by the whole window at padded edges (avg_pool_gradient.ts).
  profile: {
    autoPriority: 2,
    autoProbe: true,
    available: () => 'WebGL2RenderingContext' in globalThis,
    // A bias's gradient as a product with ones: Sum over axis 0 transposes first (SwiftShader: 0.45 against 0.21 ms for 32×64).
    capabilities: { slowFirstAxisSum: true },
    gradients: { AvgPool: avgPoolGradientByCount, AvgPool3D: avgPool3dGradientByCount },
  },
});
