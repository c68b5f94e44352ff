import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
    const second = edelear(['run', 'scenarios/default.yaml', '--set', 'duration=20 s', '--set', 'warmup=2 s', '--seed', '5', '--no-charts', '--quiet', '--out', out]);
    expect(second.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['latency.csv', 'links.csv', 'manifest.json', 'nodes.csv', 'notes.txt', 'requests.csv', 'run.csv', 'utilization.csv']);
  });
});
