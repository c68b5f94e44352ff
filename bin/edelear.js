#!/usr/bin/env node
// Runs the compiled CLI (dist/bundle/main.js, the sources bundled by scripts/bundle.mjs beside tsc's
// dist/, both made by `npm run build`, which `npm ci` runs through `prepare`).
// In a checkout where src/ changed after the last build, it runs the TypeScript sources through
// tsx instead (saying so on a terminal), so a stale build is never run by mistake.
import { BUILT_MAIN, staleBuild } from './build-state.js';

const stale = staleBuild();
if (stale === undefined) {
  await import(BUILT_MAIN);
} else {
  if (process.stderr.isTTY && !process.argv.includes('--quiet') && !process.argv.includes('-q')) process.stderr.write(`edelear: ${stale}: running the TypeScript sources (slower start; \`npm run build\` compiles them)\n`);
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
