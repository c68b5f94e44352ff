import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { makeOutputFolder } from '../../src/cli/run.ts';
import { Warnings, warnOutcome } from '../../src/cli/warnings.ts';
import { simulate } from '../../src/metrics/simulate.ts';
import { node, spec, workload } from '../world/fixtures.ts';
import { burstOverrides, BURST_SATURATED } from '../fixtures/burst.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'edelear-warnings-'));

const edelear = (args: string[]) => spawnSync(process.execPath, ['bin/edelear.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

// `bandwidth: 54` meant 54 Mbit/s: at 54 bit/s a 1 KiB input takes 152 s to send, so with
// maxWait 10 ms every transfer but the first is dropped as link-congested, and none completes.
const SLIP = join(dir, 'slip.yaml');
writeFileSync(
  SLIP,
  `name: slip
duration: 60 s
nodes:
  - { name: cam, kind: device, compute: { fp32: 1 GFLOP/s }, memory: 1 GiB, power: { idle: 1 W, busy: 2 W } }
  - { name: edge, kind: edge, compute: { fp32: 10 GFLOP/s }, memory: 1 GiB, power: { idle: 10 W, busy: 20 W } }
links:
  - { between: [cam, edge], bandwidth: 54, delay: 2 ms, maxWait: 10 ms }
models:
  - { name: job, input: 1 KiB, layers: [{ name: job, flops: 1 GFLOP, output: 1 KiB }] }
workloads:
  - { on: cam, model: job, arrivals: { periodic: 1 s }, placement: { fixed: edge } }
`,
);

describe('warnings', () => {
  it('a bare bandwidth of 54 is warned of at file:line and path, the run goes on, and a run where nothing completed says so plainly', () => {
    const out = join(dir, 'slip-out');
    const r = edelear(['run', SLIP, '--out', out, '--no-charts']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`warning: ${SLIP}:7: links[0].bandwidth: 54 is 54 bit/s (a bare number is in bit/s): less than 1 kbit/s`);
    // ρ = 1/s × 1024 B × 8 / 54 bit/s.
    expect(r.stderr).toContain(`warning: link cam→edge is offered more than its bandwidth: ρ = ${((1024 * 8) / 54).toFixed(3)} ≥ 1`);
    // 60 requests (t = 0, 1, …, 59 s: none is born at the end, 60 s, where it could not be served):
    // the first is still on the link at the end, the other 59 were dropped.
    expect(r.stderr).toContain('warning: no request completed: of 60 generated, 59 dropped (link-congested 59) and 1 still in flight at the end; latency and energy per completed request are blank');
    expect(r.stdout).not.toContain('NaN');
    const requests = parse(readFileSync(join(out, 'requests.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(requests[0].completed).toBe('0');
    expect(requests[0].latency_mean_s).toBe('');
  });

  it('a link overloaded only if every request crossed it whole, under model partitioning, says so (the split sends less)', () => {
    // test/fixtures/good/partitioning.yaml at 4/s: the 1 MB input whole is 32 Mbit/s on 10 Mbit/s
    // (ρ = 3.2), but the start splits after b (100 kB: ρ = 0.32; test/world/partitioning.test.ts).
    const r = edelear(['run', 'test/fixtures/good/partitioning.yaml', '--set', 'nodes[0].compute={ fp32: 10 GFLOP/s }', '--set', 'workloads[0].arrivals={ periodic: 0.25 s }', '--out', join(dir, 'split-out'), '--no-charts', '--quiet']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('warning: link cam→edge would be offered more than its bandwidth if every request crossed it whole: ρ = 3.200 ≥ 1 (counting the requests model partitioning may split as sent whole');
    expect(r.stderr).not.toContain('was saturated'); // k = 2 sends 100 kB: the link at ρ 0.32
    const all = parse(readFileSync(join(dir, 'split-out', 'partitioning.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(all[0].k_mean).toBe('2');
    const remote = edelear(['run', 'test/fixtures/good/partitioning.yaml', '--set', 'nodes[0].compute={ fp32: 10 GFLOP/s }', '--set', 'workloads[0].arrivals={ periodic: 0.25 s }', '--set', 'policies.partitioning=all-remote', '--out', join(dir, 'remote-out'), '--no-charts', '--quiet']);
    expect(remote.stderr).toContain('warning: link cam→edge is offered more than its bandwidth: ρ = 3.200 ≥ 1; its queue grows without bound');
    // …and the run finds it so: busy all the window (10 s), 8 s of transmission queued at the end —
    // 40 inputs of 0.8 s offered, 12.5 sent (helper-73's measurement of what all-local meant here).
    expect(remote.stderr).toMatch(/warning: link cam→edge was saturated: busy 100\.0 % of the measurement window, with [\d.]+ s of transmission still queued at the end/);
  });

  it('--strict and a warning the run meets (devices saturated after the warm-up): exit 2, and the previous results are left whole', () => {
    // test/fixtures/burst.ts: the cameras computing locally saturate after the warm-up, their declared load light (nothing warned of before the run).
    const set = burstOverrides(dir).flatMap((o) => ['--set', o]);
    const out = join(dir, 'met-out');
    const args = (seed: string) => ['run', 'test/fixtures/good/compare.yaml', '--seed', seed, ...set, '--out', out, '--no-charts', '--quiet'];
    const first = edelear(args('1'));
    expect(first.status).toBe(0);
    expect(first.stderr).toContain(`warning: ${BURST_SATURATED}`);
    const strict = edelear([...args('2'), '--strict']);
    expect(strict.status).toBe(2);
    expect(strict.stderr).toContain(`note: under --strict the run's results are not written (${out}/ is left as it was)`);
    expect(strict.stderr).toMatch(/^error: test\/fixtures\/good\/compare\.yaml: node cam-1 was saturated: .*\(an error under --strict\)$/m);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).seed).toBe(1);
    // A run that stops early says so first, exit 3 with its results written and marked incomplete;
    // what it warned of stays a warning (helper-76: --strict made it exit 2 naming only a warning).
    // (At 90 requests in flight, t ≈ 89.3 s: 30 at each camera, grown by ≈ 29 while it served 58 — saturated still.)
    const stopped = edelear([...args('1'), '--set', 'limits.requestsInFlight=90', '--strict']);
    expect(stopped.status).toBe(3);
    expect(stopped.stderr).toMatch(/^error: the run stopped early: more than 90 requests in flight at t = [\d.]+ s/);
    expect(stopped.stderr).toContain('warning: node cam-1 was saturated');
    expect(stopped.stderr).not.toContain('(an error under --strict)');
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).incomplete).toMatch(/more than 90 requests in flight/);
  });

  it('what an lp program relaxed inside the warm-up is a note, kept in warnings.txt, not an error under --strict; after the warm-up, an error (the paper scenario exited 2 under --strict for a solve at t = 10 s of its 30 s warm-up)', () => {
    // Four cameras (40/s each at 4 GFLOP/s, 0.1 GFLOP a request) and an edge (100/s): at the 0.8
    // cap they take 208/s. Each camera's trace sends 100/s for 10 s, then 10/s (17.5/s declared):
    // the solve at 5 s (measured 100/s each, 400/s) cannot fit even at 0.99, and the backlog keeps
    // later solves above the cap until ≈ 25 s; after the 40 s warm-up every solve fits.
    const trace = join(dir, 'burst-trace.csv');
    const times = [...Array.from({ length: 1000 }, (_, i) => i * 0.01), ...Array.from({ length: 1100 }, (_, i) => 10 + i * 0.1)];
    writeFileSync(trace, `t\n${times.map((t) => t.toFixed(3)).join('\n')}\n`);
    const file = join(dir, 'warmup-burst.yaml');
    writeFileSync(
      file,
      `name: warmup-burst
duration: 2 min
warmup: 40 s
nodes:
  - { name: cam, kind: device, count: 4, compute: { fp32: 4 GFLOP/s }, memory: 1 GiB, power: { idle: 1 W, busy: 3 W } }
  - { name: edge, kind: edge, compute: { fp32: 10 GFLOP/s }, memory: 8 GiB, power: { idle: 10 W, busy: 30 W } }
links:
  - { between: [cam-*, edge], bandwidth: 100 Mbit/s, delay: 1 ms }
models:
  - { name: job, input: 10 kB, layers: [{ name: l, flops: 0.1 GFLOP, output: 400 B }] }
workloads:
  - { name: classify, on: cam-*, model: job, arrivals: { trace: { file: burst-trace.csv } } }
policies:
  interval: 5 s
  placement: { lp: { tier: [device, edge] } }
`,
    );
    const out = join(dir, 'warmup-out');
    const r = edelear(['run', file, '--strict', '--no-charts', '--quiet', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain('warning:');
    const noted = /^note: inside the warm-up \(the first 40 s, which the figures exclude; .*\): lp placement: no plan at t = 5\.000 s fits: /m;
    expect(r.stderr).toMatch(noted);
    expect(readFileSync(join(out, 'warnings.txt'), 'utf8')).toMatch(noted);
    // The same run with a 5 s warm-up: the solve at 5 s is in the window, an error.
    const late = edelear(['run', file, '--strict', '--no-charts', '--quiet', '--out', join(dir, 'warmup-late'), '--set', 'warmup=5 s']);
    expect(late.status).toBe(2);
    expect(late.stderr).toMatch(/^error: .*warmup-burst\.yaml: lp placement: no plan at t = 5\.000 s fits: .*\(an error under --strict\)$/m);
    expect(late.stderr).not.toContain('inside the warm-up');
  });

  it('--strict makes the warnings errors: exit 2 before the run, every warning named, nothing written', () => {
    const out = join(dir, 'strict-out');
    const r = edelear(['run', SLIP, '--out', out, '--strict', '--quiet']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: ${SLIP.replace(/[.]/g, '\\.')}:7: links\\[0\\]\\.bandwidth: 54 is 54 bit/s .*\\(an error under --strict\\)$`, 'm'));
    expect(r.stderr).toContain(`${SLIP}: link cam→edge is offered more than its bandwidth`);
    expect(r.stderr).not.toContain('warning:');
    expect(r.stderr).not.toMatch(/^\s{4}at /m);
    expect(existsSync(out)).toBe(false);
  });

  it('validate --strict: an overloaded node is an error naming the node and its ρ (test/cli/limits.test.ts: a warning without it)', () => {
    const strict = edelear(['validate', 'test/fixtures/good/overloaded.yaml', '--strict']);
    expect(strict.status).toBe(2);
    // ρ = λ × x / slots = 2/s × 1 s (test/fixtures/good/overloaded.yaml).
    expect(strict.stderr).toBe(
      'error: test/fixtures/good/overloaded.yaml: node server is offered more work than it can do: ρ = 2.000 ≥ 1; its queue grows without bound (an error under --strict)\n',
    );
  });
});

describe('a run in which every request was dropped', () => {
  it('says so, with the count and the reason, instead of blank figures', () => {
    // 4,000 B of weights resident in 4,500 B: no 1,000 B input fits, so every request is dropped memory-full.
    const s = spec({ nodes: [node('d', { memory: 4500 })], workloads: [workload(0, { kind: 'periodic', period: 1, offset: 0 })], targets: Int32Array.of(0), duration: 9 });
    const lines: string[] = [];
    const sink = { write: (t: string) => lines.push(t) } as unknown as NodeJS.WritableStream;
    warnOutcome(simulate(s), new Warnings('x.yaml', false, sink));
    // Births at t = 0, 1, …, 8 s (none at the end, 9 s).
    expect(lines).toEqual(['warning: every request was dropped: 9 dropped (memory-full 9) of 9 generated; latency and energy per completed request are blank\n']);
    // Under --strict the same is an error, with the file named.
    const strict = new Warnings('x.yaml', true, sink);
    warnOutcome(simulate(s), strict);
    expect(() => strict.settle()).toThrow('x.yaml: every request was dropped: 9 dropped (memory-full 9) of 9 generated; latency and energy per completed request are blank (an error under --strict)');
    expect(lines).toHaveLength(1);
  });
});

describe('a run in which no request was generated', () => {
  it('says so, and what to check, rather than printing blank figures in silence', () => {
    // A trace whose only arrival (100 s) lies beyond the 9 s duration.
    const s = spec({ nodes: [node('d')], workloads: [workload(0, { kind: 'trace', times: Float64Array.of(100) })], targets: Int32Array.of(0), duration: 9 });
    const lines: string[] = [];
    const sink = { write: (t: string) => lines.push(t) } as unknown as NodeJS.WritableStream;
    warnOutcome(simulate(s), new Warnings('x.yaml', false, sink));
    expect(lines).toEqual([
      "warning: no request was generated in the measurement window (before the end at 9 s): every per-request figure is blank; check the workloads' arrivals (a trace whose timestamps all lie beyond the duration, a rate too low for the duration)\n",
    ]);
  });
});

describe('a run whose devices\' batteries ran out before the window', () => {
  it('names the batteries as the likely cause of no request generated, not only the arrivals', () => {
    // default.yaml's six cameras (nodes[0], count 6) with 1 J each, computing locally: each runs out within its first second, long before the 10 s warm-up ends.
    const r = edelear(['run', 'scenarios/default.yaml', '--set', 'duration=30 s', '--set', 'nodes[0].battery=1 J', '--set', 'policies.placement=local', '--out', join(dir, 'battery-out'), '--quiet', '--no-charts']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^warning: no request was generated in the measurement window \(after the 10 s warm-up, before the end at 30 s\): every per-request figure is blank; the batteries of 6 issuing devices ran out, the first at [0-9.]+ s \(battery_empty_at_s in nodes.csv\), and a device whose battery is empty generates no requests; else check the workloads' arrivals/);
    const nodes = parse(readFileSync(join(dir, 'battery-out', 'nodes.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const emptied = nodes.filter((n) => n.battery_empty_at_s !== '').map((n) => Number(n.battery_empty_at_s));
    expect(emptied).toHaveLength(6);
    expect(r.stderr).toContain(`the first at ${Number(Math.min(...emptied).toPrecision(3))} s`);
  });

  it('batteries that run out inside the window are noted, named with their times (helper-79: nothing was said, and the summary looked whole)', () => {
    // 100 J each: the cameras run out at ≈ 22–24 s of 60, after the 10 s warm-up.
    const out = join(dir, 'battery-mid');
    const r = edelear(['run', 'scenarios/default.yaml', '--set', 'duration=60 s', '--set', 'nodes[0].battery=100 J', '--set', 'policies.placement=local', '--out', out, '--quiet', '--no-charts', '--strict']);
    expect(r.status).toBe(0); // a note, not an error: a battery study may mean it
    const nodes = parse(readFileSync(join(out, 'nodes.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const emptied = nodes.filter((n) => n.battery_empty_at_s !== '').sort((a, b) => Number(a.battery_empty_at_s) - Number(b.battery_empty_at_s));
    expect(emptied).toHaveLength(6);
    expect(Number(emptied[0].battery_empty_at_s)).toBeGreaterThan(10);
    const first = emptied.slice(0, 3).map((n) => `${n.node} at ${Number(Number(n.battery_empty_at_s).toPrecision(4))} s`).join(', ');
    const note = `note: the batteries of 6 of the 6 issuing devices ran out before the end (${first}, and 3 more): a device whose battery is empty issues no more requests`;
    expect(r.stderr).toContain(note);
    expect(readFileSync(join(out, 'warnings.txt'), 'utf8')).toContain(note);
    // A node that issues nothing (the gateway, nodes[1]) is named too (helper-84: only issuing devices were).
    const gw = edelear(['run', 'scenarios/default.yaml', '--set', 'duration=60 s', '--set', 'nodes[1].battery=100 J', '--out', join(dir, 'battery-gw'), '--quiet', '--no-charts']);
    expect(gw.stderr).toMatch(/^note: the batteries of 1 node that issues no requests ran out before the end \(gw at [\d.]+ s\): a node whose battery is empty is down, and what is sent to it or through it is dropped/m);
  });
});

describe('the console\'s deadline column', () => {
  it('shows – for a workload without a deadline (its share met is only its share completed), and the share for one with a deadline', () => {
    const none = edelear(['run', 'test/fixtures/good/overloaded.yaml', '--set', 'duration=100 s', '--set', 'workloads[0].arrivals.poisson=0.5/s', '--no-charts', '--out', join(dir, 'no-deadline')]);
    expect(none.status).toBe(0);
    const row = none.stdout.split('\n').find((l) => l.trimStart().startsWith('unit-job'))!;
    expect(row.trim().split(/\s{2,}/)[7]).toBe('–');
    const met = parse(readFileSync(join(dir, 'no-deadline', 'requests.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(met[0].deadline_met_of_completed).toBe('1'); // every completion meets no deadline
    // With a deadline the column is the CSV's share, as a percentage.
    const some = edelear(['run', 'test/fixtures/good/overloaded.yaml', '--set', 'duration=100 s', '--set', 'workloads[0].arrivals.poisson=0.5/s', '--set', 'workloads[0].deadline=2 s', '--no-charts', '--out', join(dir, 'deadline')]);
    const share = Number((parse(readFileSync(join(dir, 'deadline', 'requests.csv'), 'utf8'), { columns: true }) as Record<string, string>[])[0].deadline_met_of_generated);
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThan(1);
    expect(some.stdout.split('\n').find((l) => l.trimStart().startsWith('unit-job'))!.trim().split(/\s{2,}/)[7]).toBe(`${(share * 100).toFixed(1)}%`);
  });
});

describe('a run too large to finish', () => {
  // The run's size is Σ mean arrival rate × duration; the warning comes when, even at 10^6 requests
  // a wall second (FASTER_THAN_MEASURED), it would take an hour (LONG_RUN_SECONDS): 3.6×10^9 requests.
  const warned = (duration: string) => {
    const r = edelear(['validate', SLIP, '--set', `duration=${duration}`]);
    expect(r.status).toBe(0);
    return r.stderr.split('\n').filter((l) => l.includes('the workloads offer about'));
  };

  it('is warned of with its size, the time it would take at least and what to check (a duration 1e300 s looked like a hung run)', () => {
    // SLIP: one periodic workload at 1/s, so 3.6e9 s offers 3.6e9 requests: 3,600 s at 10^6 a second, 1.0 hours.
    expect(warned('3.6e9')).toEqual([
      `warning: the workloads offer about 3.6e+9 requests over the duration (3600000000 s; Σ mean arrival rate × duration), each simulated one by one: even at 1,000,000 requests a wall second, faster than the event loop has been measured, the run would take 1.0 hours; check duration and the arrival rates (a bare number is in seconds, a bare rate per second)`,
    ]);
    // 1e300 s: 1e294 s at 10^6 a second, 3.2e+286 years.
    expect(warned('1e300')[0]).toContain('about 1.0e+300 requests over the duration (1e+300 s;');
    expect(warned('1e300')[0]).toContain('the run would take 3.2e+286 years;');
  });

  it('is not warned of just below an hour at 10^6 a second (3.59e9 requests)', () => {
    expect(warned('3.59e9')).toEqual([]);
  });

  it('in a sweep, is warned of for the point that is that large, before any run (exit 2 under --strict)', () => {
    // minimal.yaml: two cameras at 5 frames/s, 10 requests a second. Points 10 s (100 requests) and
    // 3.6e8 s (3.6e9 requests: 1.0 hours at 10^6 a second); only the second is warned of.
    const minimal = join(ROOT, 'test/fixtures/good/minimal.yaml');
    const sweep = join(dir, 'long-point.yaml');
    writeFileSync(sweep, `scenario: ${minimal}\nreplications: 1\nparameters:\n  duration: [10 s, 3.6e8 s]\n`);
    const r = edelear(['sweep', sweep, '--strict', '--out', join(dir, 'long-point')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `error: ${sweep}: point 2 of 2 (duration="3.6e8 s"): the workloads offer about 3.6e+9 requests over the duration (360000000 s; Σ mean arrival rate × duration), each simulated one by one: even at 1,000,000 requests a wall second, faster than the event loop has been measured, the run would take 1.0 hours; check duration and the arrival rates (a bare number is in seconds, a bare rate per second) (an error under --strict)\n`,
    );
    expect(existsSync(join(dir, 'long-point'))).toBe(false);
  });
});

describe('a sweep whose arms do not fit it', () => {
  it('an arm that applies at no point is refused at it, exit 2, with the reason (it was 4 runs failed and the reason in failures.csv only)', () => {
    const sweep = join(dir, 'nowhere.yaml');
    writeFileSync(sweep, `scenario: ${join(ROOT, 'scenarios/default.yaml')}\nreplications: 1\npolicies: [allocation-equal]\nparameters:\n  duration: [20 s]\n`);
    const r = edelear(['sweep', sweep, '--out', join(dir, 'nowhere')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: ${sweep}:3: policies[0]: expected an arm that applies at some point, but "allocation-equal" applies at none (no node has a partitioned scheduler: there are no shares to allocate)\n`);
  });

  it('a base scenario that cannot be read is said at the sweep file’s scenario: key, exit 2 (it named only the scenario’s path)', () => {
    const sweep = join(dir, 'no-base.yaml');
    writeFileSync(sweep, 'scenario: nonexist.yaml\nreplications: 1\n');
    const r = edelear(['sweep', sweep, '--out', join(dir, 'no-base')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: ${sweep}:1: scenario: cannot read ${join(dir, 'nonexist.yaml')} (ENOENT: no such file); expected a YAML or JSON file (relative to the sweep file's folder)\n`);
  });

  it('an arm that sets a swept path is warned of: its rows run its own value at every point', () => {
    const sweep = join(dir, 'clash.yaml');
    writeFileSync(sweep, `scenario: ${join(ROOT, 'scenarios/default.yaml')}\nreplications: 1\npolicies: [all-cloud]\nparameters:\n  policies.placement: [local]\n  duration: [20 s]\n`);
    const r = edelear(['sweep', sweep, '--out', join(dir, 'clash'), '--no-charts', '--quiet']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("warning: arm all-cloud sets policies.placement, which the sweep varies (policies.placement): its rows run the arm's value at every point, whatever the parameter column says");
  });
});

describe('--out', () => {
  it('naming a file is refused: "is a file, not a directory", exit 2', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const r = edelear(['run', 'test/fixtures/good/minimal.yaml', '--out', file, '--quiet', '--no-charts']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: --out ${file}: ${file} is a file, not a directory; expected a folder for the results (or a path where one can be made)\n`);
    // A path through the file names the file.
    expect(() => makeOutputFolder(join(file, 'sub', 'dir'))).toThrow(`--out ${join(file, 'sub', 'dir')}: ${file} is a file, not a directory`);
    // An empty path would write into the current folder: refused.
    expect(() => makeOutputFolder('')).toThrow('--out : expected a folder for the results, got an empty path');
    // Missing parents are made, one level at a time.
    makeOutputFolder(join(dir, 'new', 'deeper'));
    expect(statSync(join(dir, 'new', 'deeper')).isDirectory()).toBe(true);
  });

  it('under a path where no folder can be made (/proc/x: Node 20 recursive mkdir never returns) fails at once with exit 2', () => {
    const r = edelear(['run', 'test/fixtures/good/minimal.yaml', '--out', '/proc/edelear-x/y', '--quiet', '--no-charts']);
    expect(r.error).toBeUndefined(); // not killed by the timeout
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'error: --out /proc/edelear-x/y: cannot make the folder /proc/edelear-x (ENOENT: the file system makes no folders there); expected a folder for the results, or a path where one can be made\n',
    );
  });
});
