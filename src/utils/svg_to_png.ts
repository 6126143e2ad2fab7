/**
 * SVG to PNG with resvg (Rust, shipped as a prebuilt Node addon in npm packages for Linux, macOS
 * and Windows; no native canvas, no system library). Text is drawn with the system's fonts; where
 * none is found the PNG would lose its text, so that is refused with the fix.
 */
import { ValueError } from '../engine/errors';

type ResvgModule = typeof import('@resvg/resvg-js');

/** The system's fonts; the drawings name their families in full (Helvetica, Arial, Liberation Sans, DejaVu Sans). */
const FONT = { loadSystemFonts: true };
let fontsChecked = false;

function resvg(where: string): ResvgModule {
  try {
    return require('@resvg/resvg-js') as ResvgModule;
  } catch (e) {
    throw new ValueError(
      `${where}: PNG output needs @resvg/resvg-js, whose prebuilt binary did not load (${(e as Error).message.split('\n')[0]}). ` +
        'help: write .svg instead, or reinstall with optional dependencies (npm install --include=optional).',
    );
  }
}

/** Renders `svg` to PNG bytes, `scale` pixels per CSS pixel (resvg reads Graphviz's points as 96/72 px, so dpi / 96 gives dpi / 72 pixels per point). */
export function svgToPng(svg: string, scale: number, where: string): Uint8Array {
  const { Resvg } = resvg(where);
  if (!fontsChecked) {
    const probe = new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><text x="1" y="15" font-family="sans-serif">Ag</text></svg>', { font: FONT, logLevel: 'off' });
    if (probe.getBBox() === undefined) {
      throw new ValueError(`${where}: no font was found to draw the text into a PNG. help: install one (Debian: apt-get install fonts-dejavu-core), or write .svg.`);
    }
    fontsChecked = true;
  }
  const r = new Resvg(svg, { font: FONT, fitTo: { mode: 'zoom', value: scale }, background: 'white', logLevel: 'off' });
  return r.render().asPng();
}
