import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { keepWarnings, WARNINGS_FILE } from '../../src/cli/reproduce.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const edelear = (args: string[]) => spawnSync(process.execPath, ['bin/edelear.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

// The main job itself (about 80 s) is run by `npm start`, not here: these check its command line.
describe('edelear reproduce (the main job, npm start)', () => {
  it('documents its options, with the defaults npm start uses', () => {
    const r = edelear(['reproduce', '--help']);
    expect(r.status).toBe(0);
    for (const o of ['--out <dir>', '--replications <n>', '--fl-replications <n>', '--fl-rounds <n>', '--no-charts', '--quiet']) expect(r.stdout).toContain(o);
    expect(r.stdout).toContain('results/paper');
  });

  it('refuses a bad flag or an output path through a file with exit 2 and no stack trace, before running anything', () => {
    const zero = edelear(['reproduce', '--fl-rounds', '0']);
    expect(zero.status).toBe(2);
    expect(zero.stderr).toContain('expected a positive whole number (1, 2, …), got "0"');
    const file = join(mkdtempSync(join(tmpdir(), 'edelear-reproduce-')), 'a-file');
    writeFileSync(file, 'x');
    const through = edelear(['reproduce', '--out', join(file, 'paper')]);
    expect(through.status).toBe(2);
    expect(through.stderr).not.toMatch(/\n\s+at /);
  });

  it("keeps a step's warnings in its folder's warnings.txt (the console says how many), and removes a stale one when a step has none", () => {
    const out = mkdtempSync(join(tmpdir(), 'edelear-reproduce-'));
    const step = { name: 'the paper comparison', args: [], out };
    const stderr = 'warning: arm all-local: node dev-2 was saturated: …\nprogress noise\nwarning: arm EDeLeaR: lp placement: no plan …\n';
    expect(keepWarnings({ step, code: 0, seconds: 1, stderr }, true)).toBe(join(out, WARNINGS_FILE));
    expect(readFileSync(join(out, WARNINGS_FILE), 'utf8')).toBe('warning: arm all-local: node dev-2 was saturated: …\nwarning: arm EDeLeaR: lp placement: no plan …\n');
    expect(keepWarnings({ step, code: 0, seconds: 1, stderr: '' }, true)).toBeUndefined();
    expect(existsSync(join(out, WARNINGS_FILE))).toBe(false);
  });
});
