/**
 * The JavaScript the report page runs, read from the installed packages (never a CDN): vega,
 * vega-lite and vega-embed's browser builds (UMD, defining the globals `vega`, `vegaLite` and
 * `vegaEmbed`), with their versions for the page to state.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** One library inlined in the page. */
export interface BrowserLibrary {
  readonly name: string;
  readonly version: string;
  /** The minified browser build's JavaScript. */
  readonly source: string;
}

/** The browser builds the page needs, in load order (vega-lite and vega-embed read the globals before them). */
const BUILDS = [
  ['vega', 'build/vega.min.js'],
  ['vega-lite', 'build/vega-lite.min.js'],
  ['vega-embed', 'build/vega-embed.min.js'],
] as const;

const require = createRequire(import.meta.url);

/**
 * The folder of an installed package: its `exports` hide package.json and build/ from
 * require.resolve, so the package's entry is resolved and the folders above it searched for the
 * package.json that names it.
 */
function packageFolder(name: string): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === name) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of the installed package ${name}`);
    dir = up;
  }
}

let cached: readonly BrowserLibrary[] | undefined;

/** vega, vega-lite and vega-embed's browser builds from node_modules (read once per process). */
export function browserLibraries(): readonly BrowserLibrary[] {
  cached ??= BUILDS.map(([name, build]) => {
    const dir = packageFolder(name);
    const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
    return { name, version, source: readFileSync(join(dir, build), 'utf8') };
  });
  return cached;
}
