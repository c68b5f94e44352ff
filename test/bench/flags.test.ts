import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('../fixtures/bench-flags.ts', import.meta.url));

/** Runs the fixture (bench/measure.ts `benchFlags` and its getters) with `args`. */
function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', FIXTURE, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('benchFlags (every bench script reads its arguments with it)', () => {
  it('reads valued flags and switches, and leaves absent ones undefined', () => {
    const r = run('--devices', '10000', '--minutes', '2.5', '--rounds', '5', '--case', 'two', '--fast');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ devices: 10000, minutes: 2.5, rounds: 5, case: 'two', share: null, fast: true, tags: [] });
    expect(JSON.parse(run().stdout)).toEqual({ devices: null, minutes: null, rounds: null, case: null, share: null, fast: false, tags: [] });
  });

  it('keeps every value of a repeatable flag in order, a value that begins with "--" but is no flag among them', () => {
    const r = run('--tag', 'a', '--fast', '--tag', '--no-opt', '--tag', 'c');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ fast: true, tags: ['a', '--no-opt', 'c'] });
  });

  it('prints the usage and exits 0 for --help', () => {
    const r = run('--rounds', '3', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: flags\.ts/);
  });

  it.each([
    [['--bogus', '1'], 'unknown argument "--bogus"'],
    [['--rounds'], '--rounds expects a value'],
    [['--rounds', '--fast'], '--rounds expects a value'],
    [['--rounds', '2', '--rounds', '3'], '--rounds given twice'],
    [['--rounds', 'abc'], '--rounds expects a whole number from 1 to 100, got "abc"'],
    [['--rounds', '0'], '--rounds expects a whole number from 1 to 100, got "0"'],
    [['--rounds', '1.5'], '--rounds expects a whole number from 1 to 100, got "1.5"'],
    [['--rounds', '101'], '--rounds expects a whole number from 1 to 100, got "101"'],
    [['--devices', '150'], '--devices expects a multiple of 100 (100 devices to an access point) from 200 to 1,000,000, got "150"'],
    // One access point would be named `ap`, which the scale scenarios' `ap-*` does not match.
    [['--devices', '100'], '--devices expects a multiple of 100 (100 devices to an access point) from 200 to 1,000,000, got "100"'],
    [['--devices', '1000100'], '--devices expects a multiple of 100 (100 devices to an access point) from 200 to 1,000,000, got "1000100"'],
    [['--minutes', 'Infinity'], '--minutes expects a number above 1 (the scale scenarios warm up for 1 minute), got "Infinity"'],
    [['--minutes', '1'], '--minutes expects a number above 1 (the scale scenarios warm up for 1 minute), got "1"'],
    [['--share', ''], '--share expects a number above 0, got ""'],
    [['--case', 'three'], '--case expects one of one, two, got "three"'],
  ])('refuses %j with exit 2, the message and the usage, and no stack trace', (args, message) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`flags.ts: ${message}\nusage: flags.ts [--devices N] [--minutes M] [--rounds R] [--case one|two] [--share S] [--tag T …] [--fast]\n`);
    expect(r.stdout).toBe('');
  });
});
