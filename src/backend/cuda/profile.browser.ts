/** The browser build's 'cuda' (scripts/build_browser.js swaps it for profile.ts): its CUDA addon is Node-only. */
import { nodeOnlyProfile } from '../../browser/node_only_profile';

export const cudaProfile = { ...nodeOnlyProfile('cuda', 'cuda', "keras-ts's CUDA addon (an N-API module)"), deviceType: 'GPU' as const };
