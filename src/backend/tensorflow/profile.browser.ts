/** The browser build's 'tensorflow' (scripts/build_browser.js swaps it for profile.ts): tfjs-node-gpu is Node-only. */
import { nodeOnlyProfile } from '../../browser/node_only_profile';

export const tensorflowProfile = { ...nodeOnlyProfile('tensorflow', 'tensorflow', '@tensorflow/tfjs-node-gpu (libtensorflow)'), deviceType: 'GPU' as const };
