import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/scenario/errors.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { PLAUSIBLE } from '../../src/scenario/plausibility.ts';

const dir = mkdtempSync(join(tmpdir(), 'edelear-plausible-'));

/** A two-node scenario whose link, edge node and workload take the given YAML values. */
function scenario(values: { bandwidth?: string; delay?: string; maxWait?: string; deadline?: string; fp32?: string; busy?: string; memory?: string; battery?: string; tx?: string }): string {
  const v = {
    bandwidth: '54 Mbit/s',
    delay: '2 ms',
    maxWait: '1 s',
    deadline: '100 ms',
    fp32: '1 TFLOP/s',
    busy: '30 W',
    memory: '8 GiB',
    battery: '10 Wh',
    tx: '283 nJ/bit',
    ...values,
  };
  const text = [
    'name: plausible',
    'duration: 10 s',
    'nodes:',
    `  - { name: cam, kind: device, compute: { fp32: 1 GFLOP/s }, memory: 1 GiB, power: { idle: 1 W, busy: 2 W }, battery: ${v.battery} }`,
    `  - { name: edge, kind: edge, compute: { fp32: ${v.fp32} }, memory: ${v.memory}, power: { idle: 10 W, busy: ${v.busy} } }`,
    'links:',
    `  - { between: [cam, edge], bandwidth: ${v.bandwidth}, delay: ${v.delay}, maxWait: ${v.maxWait}, energy: { tx: ${v.tx} } }`,
    'models:',
    '  - { name: job, input: 1 KiB, layers: [{ name: l, flops: 1 MFLOP, output: 1 KiB }] }',
    'workloads:',
    `  - { on: cam, model: job, arrivals: { poisson: 1/s }, deadline: ${v.deadline}, placement: { fixed: edge } }`,
    '',
  ].join('\n');
  const file = join(dir, `s-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  return file;
}

const warningsOf = (file: string, overrides: string[] = []) => loadScenario(file, overrides).warnings.map((p) => formatProblem(file, p));

describe('plausibility of bare numbers', () => {
  it('warns of `bandwidth: 54` (54 bit/s) at its line and path, with the unit most likely meant', () => {
    const file = scenario({ bandwidth: '54' });
    expect(warningsOf(file)).toEqual([
      `${file}:7: links[0].bandwidth: 54 is 54 bit/s (a bare number is in bit/s): less than 1 kbit/s, slower than any real link; ` +
        'if that is meant, write the unit ("54 bit/s"), else the one meant, e.g. "54 Mbit/s"',
    ]);
    // The value itself is still SI: a warning, not a conversion.
    expect(loadScenario(file).scenario.links[0].bandwidth).toBe(54);
  });

  it('says nothing of the same values written with their units, or of plausible bare numbers', () => {
    expect(warningsOf(scenario({}))).toEqual([]);
    expect(warningsOf(scenario({ bandwidth: '54 bit/s', deadline: '100 s', delay: '40 s' }))).toEqual([]);
    // Plausible SI values written bare: 54 Mbit/s, 2 ms, 100 ms, 1 TFLOP/s, 30 W, 8 GiB, 10 Wh, 283 nJ/bit.
    expect(warningsOf(scenario({ bandwidth: '54e6', delay: '0.002', deadline: '0.1', fp32: '1e12', busy: '30', memory: '8589934592', battery: '36000', tx: '2.83e-7' }))).toEqual([]);
  });

  it('warns of each kind past its bound, bare numbers and numeric strings alike, in document order', () => {
    const file = scenario({ deadline: '100', delay: '"40"', maxWait: '7200', fp32: '1.2', busy: '15000', memory: '4', battery: '10', tx: '283' });
    const w = warningsOf(file);
    expect(w.map((x) => x.split(': ')[0] + ': ' + x.split(': ')[1])).toEqual([
      `${file}:4: nodes[0].battery`,
      `${file}:5: nodes[1].compute.fp32`,
      `${file}:5: nodes[1].memory`,
      `${file}:5: nodes[1].power.busy`,
      `${file}:7: links[0].delay`,
      `${file}:7: links[0].maxWait`,
      `${file}:7: links[0].energy.tx`,
      `${file}:11: workloads[0].deadline`,
    ]);
    expect(w[0]).toContain('10 is 10 J (a bare number is in J): less than 100 J');
    expect(w[0]).toContain('e.g. "10 Wh"');
    expect(w[1]).toContain('1.2 is 1.2 FLOP/s (a bare number is in FLOP/s): less than 1 MFLOP/s');
    expect(w[3]).toContain('15000 is 15000 W (a bare number is in W): more than 10 kW');
    expect(w[4]).toContain('40 is 40 s (a bare number is in s): more than 10 s');
    expect(w[4]).toContain('e.g. "40 ms"');
    expect(w[7]).toContain('100 is 100 s (a bare number is in s): more than a minute');
  });

  it('holds its bounds in one table, each right at its edge', () => {
    expect(PLAUSIBLE.bandwidth.min).toBe(1e3);
    expect(warningsOf(scenario({ bandwidth: '1000' }))).toEqual([]);
    expect(warningsOf(scenario({ bandwidth: '999' }))).toHaveLength(1);
    expect(warningsOf(scenario({ deadline: String(PLAUSIBLE.deadline.max) }))).toEqual([]);
    expect(warningsOf(scenario({ deadline: '3601' }))).toHaveLength(1);
    expect(warningsOf(scenario({ busy: '10000' }))).toEqual([]);
    expect(warningsOf(scenario({ busy: '10001' }))).toHaveLength(1);
  });

  it('warns of a bare MTBF under a minute, most likely hours (helper-84), and not of one written with a unit', () => {
    const file = scenario({});
    const w = warningsOf(file, ['nodes[0].failures={ mtbf: 2, mttr: 300 }']);
    expect(w).toEqual([`${file}: nodes[0].failures.mtbf: 2 is 2 s (a bare number is in s): less than a minute between failures, far more often than any node fails; if that is meant, write the unit ("2 s"), else the one meant, e.g. "2 h" (from --set)`]);
    expect(warningsOf(file, ['nodes[0].failures={ mtbf: 2 s, mttr: 300 }'])).toEqual([]);
    expect(warningsOf(file, ['nodes[0].failures={ mtbf: 60, mttr: 300 }'])).toEqual([]);
  });

  it("warns of a bare batching delay or cache lookup over a second, most likely milliseconds (helper-86: 5 s and 2 s passed silently)", () => {
    const file = scenario({});
    const w = warningsOf(file, ['nodes[1].scheduler={ batching: { max: 8, delay: 5 } }', 'nodes[1].cache={ capacity: 500, lookup: 2 }']);
    expect(w.map((x) => x.split(': ').slice(0, 2).join(': '))).toEqual([`${file}: nodes[1].scheduler.batching.delay`, `${file}: nodes[1].cache.lookup`]);
    expect(w[0]).toContain('5 is 5 s (a bare number is in s): more than a second for a batch to fill');
    expect(w[1]).toContain('e.g. "2 ms"');
    expect(warningsOf(file, ['nodes[1].scheduler={ batching: { max: 8, delay: 5 ms } }', 'nodes[1].cache={ capacity: 500, lookup: 0.001 }'])).toEqual([]);
  });

  it('marks a value given by --set as such, without a line', () => {
    const file = scenario({});
    expect(warningsOf(file, ['links[0].bandwidth=54'])).toEqual([
      `${file}: links[0].bandwidth: 54 is 54 bit/s (a bare number is in bit/s): less than 1 kbit/s, slower than any real link; ` +
        'if that is meant, write the unit ("54 bit/s"), else the one meant, e.g. "54 Mbit/s" (from --set)',
    ]);
  });
});
