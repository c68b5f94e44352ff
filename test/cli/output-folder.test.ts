import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const edelear = (args: string[]) => spawnSync(process.execPath, ['bin/edelear.js', ...args], { cwd: ROOT, encoding: 'utf8' });

describe('a results folder written again', () => {
  it("holds the new command's files alone: those the previous manifest lists and the new one does not write are gone; other files stay", () => {
    const out = mkdtempSync(join(tmpdir(), 'edelear-out-'));
    const first = edelear(['run', 'scenarios/default.yaml', '--set', 'duration=20 s', '--set', 'warmup=2 s', '--trace', '--quiet', '--out', out]);
    expect(first.status).toBe(0);
    expect(readdirSync(out)).toContain('trace.csv');
    expect(readdirSync(out)).toContain('latency.svg');
    writeFileSync(join(out, 'notes.txt'), 'mine');
    // A report of the first results: it would show seed 1's figures beside the new ones.
    expect(edelear(['report', out, '--quiet']).status).toBe(0);
    expect(readdirSync(out)).toContain('report.html');
    // Staging folders: one of a command killed while writing (no such process) is removed; one of a process still running (this test's) is left.
    // Named by host and pid: another host's (or container's) is never looked up as ours.
    const host = hostname().replace(/[^A-Za-z0-9.-]/g, '_');
    mkdirSync(join(out, `.edelear-writing-${host}-2147483647`));
    mkdirSync(join(out, `.edelear-writing-${host}-${process.pid}`));
    mkdirSync(join(out, '.edelear-writing-elsewhere-2147483647'));
    const second = edelear(['run', 'scenarios/default.yaml', '--set', 'duration=20 s', '--set', 'warmup=2 s', '--seed', '5', '--no-charts', '--quiet', '--out', out]);
    expect(second.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual([`.edelear-writing-${hostname().replace(/[^A-Za-z0-9.-]/g, '_')}-${process.pid}`, '.edelear-writing-elsewhere-2147483647', 'latency.csv', 'links.csv', 'manifest.json', 'nodes.csv', 'notes.txt', 'requests.csv', 'run.csv', 'utilization.csv'].sort());
  });

  it("keeps a report.html of another folder written into --out (only a page of this folder's own results is stale)", () => {
    const out = mkdtempSync(join(tmpdir(), 'edelear-out-'));
    const other = mkdtempSync(join(tmpdir(), 'edelear-other-'));
    expect(edelear(['run', 'scenarios/default.yaml', '--set', 'duration=20 s', '--set', 'warmup=2 s', '--no-charts', '--quiet', '--out', other]).status).toBe(0);
    expect(edelear(['report', other, '--out', join(out, 'report.html'), '--quiet']).status).toBe(0);
    const page = readFileSync(join(out, 'report.html'), 'utf8');
    expect(edelear(['run', 'scenarios/default.yaml', '--set', 'duration=20 s', '--set', 'warmup=2 s', '--no-charts', '--quiet', '--out', out]).status).toBe(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toBe(page);
  });

  it("says when the removed report.html is a part linked from the parent folder's report (as npm start's federated/ is)", () => {
    const parent = mkdtempSync(join(tmpdir(), 'edelear-parent-'));
    const part = join(parent, 'part');
    const run = (out: string, quiet: boolean) => edelear(['run', 'scenarios/default.yaml', '--set', 'duration=20 s', '--set', 'warmup=2 s', '--no-charts', ...(quiet ? ['--quiet'] : []), '--out', out]);
    expect(run(parent, true).status).toBe(0);
    expect(run(part, true).status).toBe(0);
    expect(edelear(['report', part, '--quiet']).status).toBe(0);
    expect(edelear(['report', parent, '--quiet']).status).toBe(0);
    expect(readFileSync(join(parent, 'report.html'), 'utf8')).toContain('href="part/report.html"');
    const again = run(part, false);
    expect(again.status).toBe(0);
    expect(again.stderr).toBe(`note: ${join(parent, 'report.html')} links ${join(part, 'report.html')}, which was removed with the results it showed: \`edelear report ${part}\` writes it anew\n`);
    expect(readdirSync(part)).not.toContain('report.html');
    // Without a part's page to remove, nothing to say.
    expect(run(part, false).stderr).toBe('');
  });

  it('a write that fails leaves the previous results whole: a folder where a new file goes is refused, exit 2, nothing of the new run written', () => {
    const out = mkdtempSync(join(tmpdir(), 'edelear-out-'));
    expect(edelear(['run', 'scenarios/default.yaml', '--set', 'duration=20 s', '--set', 'warmup=2 s', '--no-charts', '--quiet', '--out', out]).status).toBe(0);
    const before = readdirSync(out).sort();
    const requests = readFileSync(join(out, 'requests.csv'), 'utf8');
    const manifest = readFileSync(join(out, 'manifest.json'), 'utf8');
    mkdirSync(join(out, 'latency.svg')); // the second run draws charts: latency.svg would be written there
    const r = edelear(['run', 'scenarios/default.yaml', '--set', 'duration=20 s', '--set', 'warmup=2 s', '--seed', '5', '--quiet', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: --out ${out}: latency.svg is a folder there, where the results write a file by that name; nothing was written (the folder's previous results are as they were)\n`);
    // Before, requests.csv and the others were already the new run's, beside the old manifest.
    expect(readdirSync(out).sort()).toEqual([...before, 'latency.svg'].sort());
    expect(readFileSync(join(out, 'requests.csv'), 'utf8')).toBe(requests);
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(manifest);
  });

  it('report --out must name an .html file: --out requests.csv would have written the page over the results, exit 2, nothing written', () => {
    const out = mkdtempSync(join(tmpdir(), 'edelear-out-'));
    expect(edelear(['run', 'scenarios/default.yaml', '--set', 'duration=20 s', '--set', 'warmup=2 s', '--no-charts', '--quiet', '--out', out]).status).toBe(0);
    const before = readFileSync(join(out, 'requests.csv'), 'utf8');
    const r = edelear(['report', out, '--out', join(out, 'requests.csv')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: --out ${join(out, 'requests.csv')}: expected a file name ending in .html for the page, got "requests.csv" (an existing file of that name would be overwritten with HTML)\n`);
    expect(readFileSync(join(out, 'requests.csv'), 'utf8')).toBe(before);
  });
});
