import { staleBuild } from '../../bin/build-state.js';

/**
 * Vitest's global setup: says so, before any test file runs, when dist/ is missing or older than a
 * source file. The tests spawn `bin/edelear.js` about seventy times; with a stale build each start
 * runs the TypeScript sources through tsx, about 1 CPU-second more than the compiled CLI
 * (docs/design.md, "Habits"). It does not build: dist/ is shared with whatever else runs at the
 * same time (a CLI started by another test run, a benchmark), and a build rewrites it file by file.
 */
export default function warnWhenStale(): void {
  const stale = staleBuild();
  if (stale !== undefined) console.warn(`test setup: ${stale}: the spawned CLIs run the sources through tsx (slower); \`npm run build\` first for a quicker run`);
}
