import { describe, expect, it } from 'vitest';
import { sampleShares } from '../../bench/profile.ts';
import { median, pairedRounds, targetText, targetVerdict, timeFigures } from '../../bench/measure.ts';

describe('pairedRounds', () => {
  it('alternates the arms round by round, warms the base first, and pairs each run with the base of its round', () => {
    const arms = [{ name: 'none' }, { name: 'a' }, { name: 'b' }];
    const calls: string[] = [];
    // Rates by call: the machine "slows down" over time (each call 10 % slower than the last), and
    // arm a does half the base's work per second, b a quarter — within a round.
    let t = 0;
    const work: Record<string, number> = { none: 1, a: 0.5, b: 0.25 };
    const p = pairedRounds(
      arms,
      (arm) => {
        calls.push(arm.name);
        return { rate: work[arm.name] / 1.1 ** t++ };
      },
      { rounds: 3, rate: (x) => x.rate, warm: true },
    );
    // Hand-listed: the warm-up run, then declared, reversed, declared order.
    expect(calls).toEqual(['none', 'none', 'a', 'b', 'b', 'a', 'none', 'none', 'a', 'b']);
    // Round 1 (calls 1–3): a's rate / none's = (0.5 / 1.1^2) / (1 / 1.1^1) = 0.5 / 1.1.
    expect(p.ratios.get('a')![0]).toBeCloseTo(0.5 / 1.1, 12);
    // Round 2 (calls 4–6, reversed: b, a, none): a / none = (0.5 / 1.1^5) / (1 / 1.1^6) = 0.55.
    expect(p.ratios.get('a')![1]).toBeCloseTo(0.55, 12);
    expect(p.ratios.get('none')).toEqual([1, 1, 1]);
    // The median of a's three ratios: rounds 1 and 3 give 0.5 / 1.1, round 2 0.55.
    expect(p.ratio('a')).toBeCloseTo(0.5 / 1.1, 12);
    expect(p.median('b', (x) => x.rate)).toBe(median(p.runs.get('b')!.map((x) => x.rate)));
    expect(p.runs.get('b')!.length).toBe(3);
  });

  it('refuses an unknown base arm and zero rounds', () => {
    expect(() => pairedRounds([{ name: 'x' }], () => 1, { rounds: 1, rate: (x) => x, base: 'y' })).toThrow(/no arm named y/);
    expect(() => pairedRounds([{ name: 'x' }], () => 1, { rounds: 0, rate: (x) => x })).toThrow(/at least one round/);
  });
});

describe('sampleShares', () => {
  it('counts each loop sample once per group whose frame is on its stack', () => {
    const frame = (id: number, functionName: string, file: string, children: number[] = []) => ({ id, callFrame: { functionName, url: `file:///r${file}` }, children });
    // root(1) → run@world(2) → forward(3) → lookup@caches(4) → lookup@edelear(5)
    //                                     → submit@batching(6) → lookup@caches(7) (a nested match)
    //        → build(8) (outside the loop)
    const nodes = [
      frame(1, '(root)', '', [2, 8]),
      frame(2, 'run', '/src/world/world.ts', [3]),
      frame(3, 'forward', '/src/world/lifecycle.ts', [4, 6]),
      frame(4, 'lookup', '/src/world/caches.ts', [5]),
      frame(5, 'lookup', '/src/policies/caching/edelear.ts'),
      frame(6, 'submit', '/src/world/schedulers/batching.ts', [7]),
      frame(7, 'lookup', '/src/world/caches.ts'),
      frame(8, 'build', '/src/scenario/build.ts'),
    ];
    const samples = [2, 3, 4, 5, 5, 6, 7, 8, 8, 8];
    const { loopSamples, shares } = sampleShares({ nodes, samples }, [
      { name: 'cache', frames: [{ file: '/src/world/caches.ts', functions: ['lookup', 'insert'] }] },
      { name: 'admission', frames: [{ file: '/src/world/schedulers/batching.ts', functions: ['submit'] }] },
    ], { file: '/src/world/world.ts', functions: ['run'] });
    // Hand count: 7 samples under run (the 3 in build are not); cache: nodes 4, 5, 5, 7 = 4; admission: 6, 7 = 2.
    expect(loopSamples).toBe(7);
    expect(shares.get('cache')).toBeCloseTo(4 / 7, 12);
    expect(shares.get('admission')).toBeCloseTo(2 / 7, 12);
  });
});

describe('timeFigures', () => {
  it("reads /usr/bin/time -f '%M %S %R' from the last line of stderr, after the command's own", () => {
    // A line as /usr/bin/time printed it for a node process touching 6 × 256 MiB (2026-11-28).
    const f = timeFigures('warning: something the command said\n1617652 3.18 395663\n');
    expect(f.rssMiB).toBeCloseTo(1617652 / 1024, 9);
    expect(f.systemSeconds).toBe(3.18);
    expect(f.minorFaults).toBe(395663);
  });

  it('refuses a last line that is not three numbers', () => {
    expect(() => timeFigures('Command exited with non-zero status 1\n')).toThrow(/expected "peak-KiB system-s faults"/);
  });
});

describe('targetVerdict', () => {
  // Rounds 1, 2, 3: mean 2, sample sd 1, t(0.975, 2 df) = 4.302652729749464 (tables: 4.303), so the
  // 95 % interval is 2 ± 4.302652729749464 / √3 = 2 ± 2.484138…: −0.484 to 4.484.
  const rounds = [1, 2, 3];
  it('gives the mean and the Student-t interval of the rounds', () => {
    const { estimate } = targetVerdict(rounds, 0, 'at least');
    expect(estimate.mean).toBe(2);
    expect(estimate.halfWidth).toBeCloseTo(4.302652729749464 / Math.sqrt(3), 9);
    expect(estimate.n).toBe(3);
  });

  it("holds only when the whole interval is on the target's side, and does not hold only when the whole is beyond it", () => {
    expect(targetVerdict(rounds, -0.5, 'at least').verdict).toBe('holds'); // −0.484 ≥ −0.5
    expect(targetVerdict(rounds, 4, 'at least').verdict).toBe('inconclusive'); // 4 inside the interval
    expect(targetVerdict(rounds, 4.5, 'at least').verdict).toBe('does not hold'); // 4.484 < 4.5
    expect(targetVerdict(rounds, 4.5, 'at most').verdict).toBe('holds');
    expect(targetVerdict(rounds, 0, 'at most').verdict).toBe('inconclusive');
    expect(targetVerdict(rounds, -0.5, 'at most').verdict).toBe('does not hold');
  });

  it('decides nothing from one round, however far from the bound', () => {
    expect(targetVerdict([0.1], 0.5, 'at least').verdict).toBe('inconclusive');
    expect(targetVerdict([100], 12, 'at most').verdict).toBe('inconclusive');
    expect(targetText([0.47], 0.5, 'at least', 2)).toBe('0.47 (one round, no interval: --rounds 2 or more to judge; target ≥ 0.50: inconclusive)');
  });

  it('prints the mean, the interval, the rounds and the verdict', () => {
    expect(targetText(rounds, 4.5, 'at least', 2)).toBe('2.00 (95 % CI -0.48 to 4.48 over 3 rounds; target ≥ 4.50: does not hold)');
    expect(targetText([640000, 650000, 660000], 1e6, 'at least', 0)).toBe('650,000 (95 % CI 625,159 to 674,841 over 3 rounds; target ≥ 1,000,000: does not hold)');
  });
});
