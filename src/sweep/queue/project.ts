import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The project folder of a queued sweep: the nearest folder from `from` upwards that holds a
 * `package.json` (the checkout of the project), else undefined. The submitter names the base
 * scenario relative to it and a worker resolves that name in its own, so neither depends on the
 * subfolder it was started in (helper-83: a sweep submitted from `scenarios/`, or a worker started
 * in /tmp, failed every run it touched).
 */
export function projectFolder(from = process.cwd()): string | undefined {
  let folder = resolve(from);
  for (;;) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    const up = dirname(folder);
    if (up === folder) return undefined;
    folder = up;
  }
}
