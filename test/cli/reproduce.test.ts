import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stepWarnings } from '../../src/cli/reproduce.ts';
import { WARNINGS_FILE } from '../../src/report/warnings-file.ts';

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

  it("points at the warnings.txt a step's command kept in its folder (listed in its manifest), counting them; nothing when the step did not warn", () => {
    const out = mkdtempSync(join(tmpdir(), 'edelear-reproduce-'));
    const step = { name: 'the paper comparison', args: [], out };
    const stderr = 'warning: arm all-local: node dev-2 was saturated: …\nprogress noise\nwarning: arm EDeLeaR: lp placement: no plan …\n';
    expect(stepWarnings({ step, code: 0, seconds: 1, stderr }, true)).toBeUndefined(); // no file: the command wrote none
    writeFileSync(join(out, WARNINGS_FILE), 'warning lines\n');
    expect(stepWarnings({ step, code: 0, seconds: 1, stderr }, true)).toBe(join(out, WARNINGS_FILE));
    expect(stepWarnings({ step, code: 0, seconds: 1, stderr: '' }, true)).toBeUndefined();
    // Notes are kept in the file, not counted as warnings: a step with only notes still points at it.
    writeFileSync(join(out, WARNINGS_FILE), 'note: inside the warm-up (…): lp placement: …\n');
    expect(stepWarnings({ step, code: 0, seconds: 1, stderr: 'note: inside the warm-up (…): lp placement: …\n' }, true)).toBe(join(out, WARNINGS_FILE));
  });

  it('a run keeps its warnings in warnings.txt, listed in its manifest, and a run without warnings into the same folder removes it', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'edelear-warned-')), 'r');
    const warned = edelear(['run', 'test/fixtures/good/partitioning.yaml', '--set', 'nodes[0].compute={ fp32: 10 GFLOP/s }', '--set', 'workloads[0].arrivals={ periodic: 0.25 s }', '--out', out, '--no-charts', '--quiet']);
    expect(warned.status).toBe(0);
    const kept = readFileSync(join(out, WARNINGS_FILE), 'utf8');
    expect(kept).toMatch(/^link cam→edge would be offered more than its bandwidth if every request crossed it whole/);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).files).toContain(WARNINGS_FILE);
    expect(edelear(['run', 'test/fixtures/good/partitioning.yaml', '--out', out, '--no-charts', '--quiet']).status).toBe(0);
    expect(existsSync(join(out, WARNINGS_FILE))).toBe(false);
    // One its manifest does not list (an npm start before stop 45 wrote it so) goes too (helper-78).
    writeFileSync(join(out, WARNINGS_FILE), 'warning: old\n');
    expect(edelear(['run', 'test/fixtures/good/partitioning.yaml', '--out', out, '--no-charts', '--quiet']).status).toBe(0);
    expect(existsSync(join(out, WARNINGS_FILE))).toBe(false);
  });
});
