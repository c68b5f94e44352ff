import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { versions } from './manifest.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The data folders whose files enter a simulation's figures: the model zoo, device profiles and
 * measured accuracies (data/fonts only draws charts).
 */
const DATA = ['data/models', 'data/devices', 'data/accuracy'];

/** Hex digits kept: 64 bits, as a run id. */
const HEX = 16;

let cached: string | undefined;

/**
 * What code made a result: the first 16 hex digits of sha256 over edelear's version, the installed
 * versions of its runtime dependencies, and the path and content of every file of its source
 * (src/, or dist/ where no src/ is shipped) and of its data (data/models, data/devices,
 * data/accuracy). A sweep keeps a finished run only when it was made by the same code
 * (sweep/store.ts): a change to the simulator, a model file or a dependency runs it again
 * rather than mixing figures of two builds in one table. Computed once per process (≈ 4 MB read).
 */
export function codeIdentity(): string {
  if (cached !== undefined) return cached;
  const hash = createHash('sha256');
  const { version, dependencies } = versions();
  hash.update(JSON.stringify({ version, dependencies }));
  const code = existsSync(join(ROOT, 'src')) ? 'src' : 'dist';
  for (const folder of [code, ...DATA]) {
    for (const file of filesUnder(join(ROOT, folder))) {
      hash.update(`\0${relative(ROOT, file).replaceAll('\\', '/')}\0`);
      hash.update(readFileSync(file));
    }
  }
  cached = hash.digest('hex').slice(0, HEX);
  return cached;
}

/** Every file under `folder`, in a fixed order (paths sorted); none when it does not exist. */
function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name));
  }
  return out.sort();
}
