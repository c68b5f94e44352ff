import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const edelear = (args: string[]) => spawnSync(process.execPath, ['bin/edelear.js', ...args], { cwd: ROOT, encoding: 'utf8' });

describe('usage errors', () => {
  it('edelear with no command prints its usage and exits 2, as an unknown command does; --help exits 0', () => {
    const none = edelear([]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^Usage: edelear \[options\] \[command\]/);
    expect(edelear(['frob']).status).toBe(2);
    expect(edelear(['--help']).status).toBe(0);
  });
  it('schema --out "" is refused (it wrote to standard output), exit 2', () => {
    const r = edelear(['schema', '--out', '']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: --out: expected a file name for the schema, got an empty name (without --out it goes to standard output)\n');
  });
});
