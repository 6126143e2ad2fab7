/** The browser build's native_codec.ts (scripts/build_browser.js swaps it in): a page has no native addon, so no native decoder. */
export type { NativeImageCodec } from './native_codec';

export function nativeImageCodec(): null {
  return null;
}

export function nativeDecodes(format: string): boolean {
  void format;
  return false;
}
