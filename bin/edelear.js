#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm run build`, which `npm ci` runs through `prepare`).
// In a checkout where src/ changed after the last build, it runs the TypeScript sources through
// tsx instead (saying so on a terminal), so a stale build is never run by mistake.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = `${root}dist/cli/main.js`;

/** Whether some file under src/ is newer than the build. */
function sourcesNewerThan(time) {
  const src = `${root}src`;
  if (!existsSync(src)) return false;
  return readdirSync(src, { recursive: true }).some((f) => String(f).endsWith('.ts') && statSync(`${src}/${f}`).mtimeMs > time);
}

if (existsSync(built) && !sourcesNewerThan(statSync(built).mtimeMs)) {
  await import(built);
} else {
  if (process.stderr.isTTY) process.stderr.write(`edelear: ${existsSync(built) ? 'src/ is newer than dist/' : 'no build in dist/'}: running the TypeScript sources (slower start; \`npm run build\` compiles them)\n`);
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
