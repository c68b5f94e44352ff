import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
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
    const child = spawn(process.execPath, ['bin/edelear.js', 'sweep', file, '--out', out, '--workers', '1', '--no-charts', '--quiet'], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    // Interrupted once a run is done (its folder renamed into runs/).
    const runs = join(out, 'runs');
    const deadline = Date.now() + 60_000;
    while (!(existsSync(runs) && readdirSync(runs).some((f) => /^[0-9a-f]{16}$/.test(f))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(new RegExp(`edelear sweep: interrupted; the \\d+ runs? finished in this command (is|are) kept in ${out.replaceAll('.', '\\.')}/runs/ with those done before \\(summary\\.csv is not written\\): \`edelear sweep ${file.replaceAll('.', '\\.')} --out ${out.replaceAll('.', '\\.')}\` resumes`));
    expect(existsSync(join(out, 'summary.csv'))).toBe(false);
  }, 90_000);
});
