import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Renders Vega-Lite specs to SVG (vega's headless renderer) and PNG (resvg), all in process:
 * no browser, no canvas package, no system fonts, no network.
 */

/** The bundled fonts (DejaVu Sans, regular and bold; license in data/fonts/LICENSE): resvg draws no text without a font file. */
export const FONT_FILES: readonly string[] = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => fileURLToPath(new URL(`../../data/fonts/${f}`, import.meta.url)));

/** The family of {@link FONT_FILES}, also the fallback for `sans-serif` and any family not bundled. */
export const FONT_FAMILY = 'DejaVu Sans';

/** PNG pixels per SVG pixel: 2 gives a 600 × 300 chart 1200 × 600 pixels, sharp in print at one column. */
const PNG_SCALE = 2;

/**
 * Advance widths of a TrueType font, read from its `cmap` (format 4), `hhea`, `hmtx` and `head`
 * tables: enough to measure a line of text as resvg will lay it out (kerning aside).
 */
interface FontMetrics {
  /** Width of `text` at `size` px. */
  width(text: string, size: number): number;
}

function readFontMetrics(file: string): FontMetrics {
  const b = readFileSync(file);
  const tables = new Map<string, number>();
  for (let i = 0, n = b.readUInt16BE(4); i < n; i++) {
    const rec = 12 + 16 * i;
    tables.set(b.toString('latin1', rec, rec + 4), b.readUInt32BE(rec + 8));
  }
  const table = (tag: string): number => {
    const at = tables.get(tag);
    if (at === undefined) throw new Error(`${file}: no ${tag} table`);
    return at;
  };
  const unitsPerEm = b.readUInt16BE(table('head') + 18);
  const metrics = b.readUInt16BE(table('hhea') + 34);
  const hmtx = table('hmtx');
  const advance = (glyph: number) => b.readUInt16BE(hmtx + 4 * Math.min(glyph, metrics - 1));
  // The Unicode BMP subtable (platform 3, encoding 1), format 4: segments of code points.
  const cmap = table('cmap');
  let sub = -1;
  for (let i = 0, n = b.readUInt16BE(cmap + 2); i < n; i++) {
    const rec = cmap + 4 + 8 * i;
    if (b.readUInt16BE(rec) === 3 && b.readUInt16BE(rec + 2) === 1) sub = cmap + b.readUInt32BE(rec + 4);
  }
  if (sub < 0 || b.readUInt16BE(sub) !== 4) throw new Error(`${file}: no Unicode BMP cmap (format 4)`);
  const segments = b.readUInt16BE(sub + 6) / 2;
  const ends = sub + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  const glyphOf = (c: number): number => {
    for (let i = 0; i < segments; i++) {
      if (c > b.readUInt16BE(ends + 2 * i)) continue;
      const start = b.readUInt16BE(starts + 2 * i);
      if (c < start) return 0;
      const delta = b.readUInt16BE(deltas + 2 * i);
      const ro = b.readUInt16BE(rangeOffsets + 2 * i);
      if (ro === 0) return (c + delta) & 0xffff;
      const g = b.readUInt16BE(rangeOffsets + 2 * i + ro + 2 * (c - start));
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
  const cache = new Map<number, number>();
  const em = (c: number): number => {
    let w = cache.get(c);
    if (w === undefined) {
      w = advance(c > 0xffff ? 0 : glyphOf(c)) / unitsPerEm;
      cache.set(c, w);
    }
    return w;
  };
  return {
    width(text, size) {
      let w = 0;
      for (const ch of text) w += em(ch.codePointAt(0)!);
      return w * size;
    },
  };
}

/** vega's text-measurement hook (exported by vega-scenegraph through vega, untyped). */
interface TextMetrics {
  width: (item: { fontSize?: number | string; fontWeight?: string | number }, text: unknown) => number;
}

let measuring = false;

/**
 * Makes vega measure text with the bundled font's real advance widths. Without a canvas vega
 * estimates 0.8 em per character, well above DejaVu Sans's ~0.6: rotated axis titles then look
 * taller than the plot and push the chart title far above it, and labels are cut too early.
 * vega keeps this hook global (as vl-convert uses it), so it is set once for the process.
 */
function measureWithBundledFont(): void {
  if (measuring) return;
  const [regular, bold] = FONT_FILES.map(readFontMetrics);
  const metrics = (vega as unknown as { textMetrics: TextMetrics }).textMetrics;
  metrics.width = (item, text) => {
    const size = item.fontSize != null ? +item.fontSize || 0 : 11;
    const weight = item.fontWeight;
    const isBold = weight === 'bold' || weight === 'bolder' || (weight != null && Number(weight) >= 600);
    return (isBold ? bold : regular).width(text == null ? '' : String(text).trim(), size);
  };
  measuring = true;
}

/** A chart to write: its file name stem and its spec. */
export interface NamedChart {
  readonly name: string;
  readonly spec: TopLevelSpec;
}

/** Vega-Lite compile messages, collected instead of printed. */
export interface CompileMessages {
  readonly warnings: string[];
  readonly errors: string[];
}

/**
 * A loader that refuses every URL and file and notes what was asked (vega only logs a failed
 * load as a warning): charts carry their data inline, so any load is a bug.
 */
function refusingLoader(attempts: string[]): vega.Loader {
  const loader = vega.loader();
  const refuse = (uri: string) => {
    attempts.push(uri);
    return Promise.reject(new Error(`chart tried to load "${uri}": charts must carry their data inline`));
  };
  loader.load = refuse;
  loader.sanitize = refuse;
  loader.http = refuse;
  loader.file = refuse;
  return loader;
}

/** A logger (the interface vega and vega-lite share) that keeps warnings and errors in `sink` and prints nothing. */
function collectingLogger(sink: CompileMessages) {
  let level = 0;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error: (...args: unknown[]) => (sink.errors.push(args.map(String).join(' ')), logger),
    warn: (...args: unknown[]) => (sink.warnings.push(args.map(String).join(' ')), logger),
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/**
 * Compiles a Vega-Lite spec to a Vega spec. Warnings and errors go to `messages`; without it,
 * warnings are dropped and errors thrown. Nothing is printed.
 */
export function compileSpec(spec: TopLevelSpec, messages?: CompileMessages): vega.Spec {
  const sink: CompileMessages = messages ?? { warnings: [], errors: [] };
  const { spec: vgSpec } = compile(spec, { logger: collectingLogger(sink) as never });
  if (!messages && sink.errors.length > 0) throw new Error(`Vega-Lite: ${sink.errors.join('; ')}`);
  return vgSpec;
}

/**
 * Renders a Vega-Lite spec to an SVG document, text measured with the bundled font (no canvas
 * is used). Compile and runtime warnings (e.g. an empty table's infinite extent) go to
 * `messages` when given and are never printed; errors are thrown.
 */
export async function renderSvg(spec: TopLevelSpec, messages?: CompileMessages): Promise<string> {
  measureWithBundledFont();
  const sink: CompileMessages = messages ?? { warnings: [], errors: [] };
  // vega tags inline data tuples in place (a Symbol id per row): render a copy, keep the caller's spec as it was.
  const vgSpec = compileSpec(structuredClone(spec), sink);
  if (sink.errors.length > 0) throw new Error(`Vega-Lite: ${sink.errors.join('; ')}`);
  const attempts: string[] = [];
  const view = new vega.View(vega.parse(vgSpec), {
    renderer: 'none',
    loader: refusingLoader(attempts),
    logger: collectingLogger(sink) as never,
    logLevel: vega.Warn,
  });
  try {
    const svg = await view.toSVG();
    if (attempts.length > 0) throw new Error(`chart tried to load ${attempts.map((a) => `"${a}"`).join(', ')}: charts must carry their data inline`);
    if (sink.errors.length > 0) throw new Error(`Vega: ${sink.errors.join('; ')}`);
    return svg;
  } finally {
    view.finalize();
  }
}

/** Rasterizes an SVG document to PNG at {@link PNG_SCALE}× with the bundled font only (no system fonts, identical on every machine). */
export function renderPng(svg: string, options: { scale?: number } = {}): Buffer {
  return rasterize(svg, options.scale ?? PNG_SCALE).asPng();
}

/** The resvg rendering of an SVG document (its `pixels` are RGBA; `asPng()` encodes them). */
export function rasterize(svg: string, scale: number = PNG_SCALE): ReturnType<Resvg['render']> {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: {
      fontFiles: [...FONT_FILES],
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
      serifFamily: FONT_FAMILY,
      monospaceFamily: FONT_FAMILY,
    },
    logLevel: 'error',
  });
  return resvg.render();
}

/**
 * Writes each chart as NAME.vl.json (the Vega-Lite spec, data inline), NAME.svg and NAME.png
 * into `outDir` (created if missing); returns the file names written, in order.
 */
export async function writeCharts(outDir: string, charts: readonly NamedChart[]): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  for (const { name, spec } of charts) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) throw new Error(`chart name "${name}" is not a plain file name`);
    const svg = await renderSvg(spec);
    const written: [string, string | Buffer][] = [
      [`${name}.vl.json`, `${JSON.stringify(spec, null, 2)}\n`],
      [`${name}.svg`, svg],
      [`${name}.png`, renderPng(svg)],
    ];
    for (const [file, content] of written) {
      writeFileSync(join(outDir, file), content);
      files.push(file);
    }
  }
  return files;
}
