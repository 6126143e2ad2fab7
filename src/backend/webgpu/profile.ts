/**
 * 'webgpu': tfjs-backend-webgpu (a page whose browser exposes navigator.gpu), as keras-ts's own
 * tfjs backend 'keras-webgpu'. The package is fetched on the first `await setBackend('webgpu')` (a
 * chunk of the browser build). In a page whose browser has navigator.gpu the automatic choice
 * measures it against wasm and WebGL (auto_choice.ts). Where the browser has no WebGPU adapter (Node,
 * most headless browsers) setBackend('webgpu') fails to initialize and says so.
 */
import { avgPool3dGradientByCount, avgPoolGradientByCount } from '../avg_pool_gradient';
import { tfjsPackageProfile } from '../tfjs_package_profile';

export const webgpuProfile = tfjsPackageProfile({
  name: 'webgpu',
  packageBackend: 'webgpu',
  packageName: '@tensorflow/tfjs-backend-webgpu',
  importPackage: () => import('@tensorflow/tfjs-backend-webgpu'),
  // Its average-pooling backprop divides by the whole window at padded edges (avg_pool_gradient.ts).
  profile: {
    autoPriority: 2,
    autoProbe: true,
    available: () => (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu !== undefined,
    gradients: { AvgPool: avgPoolGradientByCount, AvgPool3D: avgPool3dGradientByCount },
  },
});
