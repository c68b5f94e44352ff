// Whether dist/ holds a build of the current sources: used by bin/edelear.js (run the build or the
// sources) and by the benchmarks (refuse to time a stale build).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The compiled CLI's entry point. */
export const BUILT_MAIN = `${root}dist/cli/main.js`;

/** Why dist/ cannot be run as the current sources ('no build', or the first newer source file), or undefined when it can. */
export function staleBuild() {
  if (!existsSync(BUILT_MAIN)) return 'no build in dist/';
  const time = statSync(BUILT_MAIN).mtimeMs;
  const src = `${root}src`;
  if (!existsSync(src)) return undefined;
  const newer = readdirSync(src, { recursive: true }).find((f) => String(f).endsWith('.ts') && statSync(`${src}/${f}`).mtimeMs > time);
  return newer === undefined ? undefined : `src/${String(newer)} is newer than dist/`;
}
