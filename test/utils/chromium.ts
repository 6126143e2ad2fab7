/** Renders a file in headless Debian Chromium to a PNG screenshot, and measures how much of it is drawn. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';

export function screenshot(file: string, png: string, width: number, height: number): void {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  try {
    execFileSync(
      '/usr/bin/chromium',
      [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--hide-scrollbars', `--user-data-dir=${profile}`, `--window-size=${width},${height}`,
        `--screenshot=${png}`, `file://${path.resolve(file)}`,
      ],
      { stdio: 'pipe', timeout: 90_000 },
    );
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** The share of pixels that are not (near) white, and how many distinct colours there are. */
export function inked(pngFile: string): { width: number; height: number; share: number; colours: number } {
  const png = PNG.sync.read(fs.readFileSync(pngFile));
  let dark = 0;
  const colours = new Set<number>();
  for (let i = 0; i < png.width * png.height; i++) {
    const [r, g, b] = [png.data[i * 4], png.data[i * 4 + 1], png.data[i * 4 + 2]];
    if (r + g + b < 3 * 235) dark++;
    colours.add((r << 16) | (g << 8) | b);
  }
  return { width: png.width, height: png.height, share: dark / (png.width * png.height), colours: colours.size };
}

/** The text of every <text> element of an SVG, joined per element (Graphviz and vega split none of a label's words). */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([\s\S]*?)<\/text>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').trim());
}
