// Bundles the CLI for a fast start: `npm run build` runs tsc (dist/, one file per source: the
// tests' compiled sweep threads and anything that imports a module by path) and then this script,
// which writes dist/bundle/: main.js (the CLI, run by bin/edelear.js), worker.js (a sweep's worker
// thread) and the chunks they share or load lazily. Start-up was mostly ESM module loading —
// opening, resolving and compiling some 300 small files of dist/, zod and yaml — so the bundle
// holds the CLI's own code and the small pure-JavaScript packages every command loads, in a few
// files. `splitting` keeps each `await import()` a chunk of its own, loaded only when used
// (learning, chart rendering, the queue, the LP solvers); the other packages stay external,
// loaded from node_modules as before: native and WebAssembly ones (@resvg/resvg-js, highs),
// those only a lazily loaded part uses (vega, vega-lite, bullmq, …) and those the sources load
// with createRequire (mathjs, cli-progress, …).
//
// The bundle sits two folders below the root, like src/cli/main.ts, so the sources' paths from
// import.meta.url ('../../package.json', '../../data/…', '../../bin/build-state.js') hold in it.
//
//   node scripts/bundle.mjs [--outdir DIR]
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Packages bundled into the CLI (every command loads them at start); all others stay external. */
export const BUNDLED_PACKAGES = ['zod', 'yaml', 'commander', 'csv-parse'];

const i = process.argv.indexOf('--outdir');
const outdir = i > 0 ? resolve(process.argv[i + 1]) : `${ROOT}dist/bundle`;

/** Bare imports (packages) are external unless listed in BUNDLED_PACKAGES; relative ones are bundled, bin/ excepted. */
const externals = {
  name: 'edelear-externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      return BUNDLED_PACKAGES.includes(name) ? undefined : { path: args.path, external: true };
    });
    // bin/build-state.js locates dist/ from its own place: it is loaded from bin/, not copied in.
    b.onResolve({ filter: /\/bin\/build-state\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/**
 * `import { z } from 'zod'` (zod's namespace object as a value) keeps all of zod in the bundle,
 * its 62 locales included (≈ 580 kB minified); `import * as z from 'zod'` names the same
 * functions (zod's index re-exports them all beside `z`) and lets esbuild keep only those used
 * (≈ 150 kB). The sources are read with the one form rewritten to the other.
 */
const ZOD_IMPORT = /^import \{ z \} from 'zod';$/m;
const zodNamespace = {
  name: 'edelear-zod-namespace',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (!args.path.startsWith(`${ROOT}src/`)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      return ZOD_IMPORT.test(text) ? { contents: text.replace(ZOD_IMPORT, "import * as z from 'zod';"), loader: 'ts' } : undefined;
    });
  },
};

const { metafile, outputFiles } = await build({
  absWorkingDir: ROOT,
  entryPoints: { main: 'src/cli/main.ts', worker: 'src/sweep/worker.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS packages in the bundle (commander) call require() for Node's modules.
  banner: { js: "import { createRequire as __edelearCreateRequire } from 'node:module'; const require = __edelearCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  sourcesContent: false,
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [externals, zodNamespace],
  logLevel: 'warning',
  metafile: true,
  write: false,
});

// A CLI started from the previous build may still import one of its chunks (charts at the end of a
// long run): the chunks are written first, the entry points last, and an earlier build's files
// (other content hashes) are removed only when a day old.
const ENTRIES = new Set(['main.js', 'worker.js', 'main.js.map', 'worker.js.map'].map((f) => join(outdir, f)));
mkdirSync(outdir, { recursive: true });
for (const f of [...outputFiles].sort((a, b) => Number(ENTRIES.has(a.path)) - Number(ENTRIES.has(b.path)))) writeFileSync(f.path, f.contents);
const written = new Set(outputFiles.map((f) => f.path));
const DAY_MS = 24 * 3600 * 1000;
for (const f of readdirSync(outdir).map((n) => join(outdir, n))) {
  if (!written.has(f) && Date.now() - statSync(f).mtimeMs > DAY_MS) rmSync(f, { force: true });
}
// zod's locales other than English come in only through the namespace object (see zodNamespace).
const bundled = Object.values(metafile.outputs).flatMap((o) => Object.entries(o.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([f]) => f));
const locales = bundled.filter((f) => /node_modules\/zod\/v4\/locales\/(?!en\.js|index\.js)/.test(f));
if (locales.length > 0) console.warn(`scripts/bundle.mjs: ${locales.length} of zod's locales are in the bundle (a source imports zod in a form other than \`import { z } from 'zod';\`): it works, but starts slower`);
