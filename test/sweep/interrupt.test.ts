import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

describe('a local sweep interrupted with Ctrl-C', () => {
  it('says how many runs it kept and how to resume, exit 130 (it exited without a word)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edelear-interrupt-'));
    const file = join(dir, 's.yaml');
    writeFileSync(file, `scenario: ${JSON.stringify(join(ROOT, 'scenarios/default.yaml'))}\nreplications: 8\nparameters:\n  duration: [2 min]\nmetrics: [latency_mean_s]\n`);
    const out = join(dir, 'out');
    // The folder holds another sweep's finished tables: the interrupt says they are not this one's (helper-80: they stayed, unsaid).
    const other = join(dir, 'other.yaml');
    writeFileSync(other, `scenario: ${JSON.stringify(join(ROOT, 'scenarios/default.yaml'))}\nreplications: 1\nparameters:\n  duration: [20 s]\nmetrics: [latency_mean_s]\n`);
    expect(spawnSync(process.execPath, ['bin/edelear.js', 'sweep', other, '--out', out, '--workers', '1', '--no-charts', '--quiet'], { cwd: ROOT }).status).toBe(0);
    const previous = readFileSync(join(out, 'summary.csv'), 'utf8');
    const child = spawn(process.execPath, ['bin/edelear.js', 'sweep', file, '--out', out, '--workers', '1', '--no-charts', '--quiet'], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    // Interrupted once a run of its own is done (its folder renamed into runs/, beside the other sweep's).
    const runs = join(out, 'runs');
    const done = () => (existsSync(runs) ? readdirSync(runs).filter((f) => /^[0-9a-f]{16}$/.test(f)).length : 0);
    const before = done();
    const deadline = Date.now() + 60_000;
    while (done() === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(new RegExp(`edelear sweep: interrupted; the \\d+ runs? finished in this command (is|are) kept in ${out.replaceAll('.', '\\.')}/runs/ with those done before \\(summary\\.csv is not written; the tables there, summary\\.csv and the others its manifest\\.json lists, are a previous sweep's \\(${other.replaceAll('.', '\\.')}\\), not this one's\\): \`edelear sweep ${file.replaceAll('.', '\\.')} --out ${out.replaceAll('.', '\\.')}\` resumes`));
    expect(readFileSync(join(out, 'summary.csv'), 'utf8')).toBe(previous); // left as it was, and said to be the other sweep's
    expect(existsSync(join(out, '.edelear-sweep.lock'))).toBe(false); // the folder is free for the sweep that resumes
  }, 90_000);
});
