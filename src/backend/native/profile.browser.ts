/** The browser build's 'native' (scripts/build_browser.js swaps it for profile.ts): its N-API addon is Node-only. */
import { nodeOnlyProfile } from '../../browser/node_only_profile';

export const nativeProfile = nodeOnlyProfile('native', 'native', "keras-ts's native CPU addon (an N-API module)");
