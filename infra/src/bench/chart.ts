import fs from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';

/**
 * Writes a benchmark's chart as `<dir>/<name>.svg` and `.png`, the PNG rendered by resvg (no
 * browser needed; DejaVu Sans is the font Debian ships). Returns the PNG's path.
 */
export function writeChart(svg: string, dir: string, name: string): string {
  const png = new Resvg(svg, { font: { loadSystemFonts: true } }).render().asPng();
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.svg`), svg);
  const file = path.join(dir, `${name}.png`);
  fs.writeFileSync(file, png);
  return file;
}
