// Whether dist/ holds a build of the current sources: used by bin/edelear.js (run the build or the
// sources), by the sweep pool (sweep/pool.ts: compiled worker threads) and by the benchmarks
// (refuse to time a stale build). A build is tsc's dist/ (one file per source) and the bundle that
// scripts/bundle.mjs makes of the sources for the CLI (dist/bundle/); both come from `npm run build`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The compiled CLI's entry point: the bundle, which bin/edelear.js runs. */
export const BUILT_MAIN = `${root}dist/bundle/main.js`;

/** tsc's entry point of the CLI (dist/, which the sweep threads and tests may use). */
const TSC_MAIN = `${root}dist/cli/main.js`;

/** Why dist/ cannot be run as the current sources ('no build', or the first newer source file), or undefined when it can. */
export function staleBuild() {
  for (const [file, what] of [[TSC_MAIN, 'no build in dist/'], [BUILT_MAIN, 'no bundle in dist/bundle/ (`npm run build` makes it)']]) {
    if (!existsSync(file)) return what;
  }
  // The older of the two outputs: a source newer than it is missing from at least one of them.
  const time = Math.min(statSync(TSC_MAIN).mtimeMs, statSync(BUILT_MAIN).mtimeMs);
  const src = `${root}src`;
  if (!existsSync(src)) return undefined;
  const newer = readdirSync(src, { recursive: true }).find((f) => String(f).endsWith('.ts') && statSync(`${src}/${f}`).mtimeMs > time);
  return newer === undefined ? undefined : `src/${String(newer)} is newer than dist/`;
}
