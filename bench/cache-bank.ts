/**
 * Many small caches: a bank (one set of typed arrays, a row per cache: policies/caching/lru-bank.ts,
 * lfu-bank.ts) against a store object each (lru.ts, lfu.ts, edelear.ts), paired in this process
 * (bench/measure.ts `pairedRounds`: the arms alternate, `--rounds` times; medians). The world's
 * pattern at 10^4 device caches: each call picks a cache at random (a request's device), looks up
 * a key drawn from Zipf(0.8) over 10,000 and, on a miss, offers the result; every cache is made
 * and warmed by one pass first. Reported: ns per call (a lookup with its insert on a miss), the
 * hit ratio (the same in both arms: they behave alike, `test/policies/caching-bank.test.ts`), and
 * the bank's rate ÷ the objects' (the median of the per-round ratios).
 *
 *   npx tsx bench/cache-bank.ts [--caches N] [--capacity C] [--policy edelear|lru|lfu] [--calls K] [--rounds R]
 */
import { fileURLToPath } from 'node:url';
import { zipf } from '../src/core/distributions.ts';
import { RandomStreams } from '../src/core/random.ts';
import { cacheBank, cachePolicy, type CachingName } from '../src/policies/caching/registry.ts';
import { benchFlags, pairedRounds } from './measure.ts';

interface Run {
  readonly seconds: number;
  readonly calls: number;
  readonly hits: number;
}

/** The draws of one round (made before timing): cache, key. */
function trace(caches: number, calls: number, seed: number): { cache: Int32Array; key: Float64Array } {
  const rng = new RandomStreams(seed).stream('inputs', 'cache-bank');
  const d = zipf(0.8, 10_000);
  const cache = new Int32Array(calls);
  const key = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    cache[i] = Math.floor(rng() * caches);
    key[i] = d.sample(rng);
  }
  return { cache, key };
}

export function main(caches = 10_000, capacity = 50, policy: CachingName = 'edelear', calls = 2_000_000, rounds = 7): void {
  const warm = trace(caches, caches * capacity * 2, 1);
  const t = trace(caches, calls, 2);
  const arms = [
    {
      name: 'objects',
      run: (): Run => {
        const stores = Array.from({ length: caches }, () => cachePolicy(policy, { capacity, entriesHint: capacity }));
        const go = (cache: Int32Array, key: Float64Array) => {
          let hits = 0;
          for (let i = 0; i < cache.length; i++) {
            const s = stores[cache[i]];
            if (s.lookup(key[i])) hits++;
            else s.insert(key[i], 1);
          }
          return hits;
        };
        go(warm.cache, warm.key);
        const t0 = performance.now();
        const hits = go(t.cache, t.key);
        return { seconds: (performance.now() - t0) / 1000, calls, hits };
      },
    },
    {
      name: 'bank',
      run: (): Run => {
        const bank = cacheBank(policy, capacity, caches);
        const go = (cache: Int32Array, key: Float64Array) => {
          let hits = 0;
          for (let i = 0; i < cache.length; i++) {
            const r = cache[i];
            if (bank.lookup(r, key[i])) hits++;
            else bank.insert(r, key[i], 1);
          }
          return hits;
        };
        go(warm.cache, warm.key);
        const t0 = performance.now();
        const hits = go(t.cache, t.key);
        return { seconds: (performance.now() - t0) / 1000, calls, hits };
      },
    },
  ];
  const paired = pairedRounds(arms, (arm) => arm.run(), { rounds, rate: (x) => x.calls / x.seconds, warm: true });
  console.log(`${caches.toLocaleString('en-US')} ${policy} caches of ${capacity} entries, ${calls.toLocaleString('en-US')} calls a round (Zipf(0.8) over 10,000, a random cache each), ${rounds} alternating rounds, medians`);
  for (const arm of arms) {
    const ns = paired.median(arm.name, (x) => (1e9 * x.seconds) / x.calls);
    const hit = paired.median(arm.name, (x) => x.hits / x.calls);
    const ratios = paired.ratios.get(arm.name)!;
    console.log(`  ${arm.name.padEnd(8)}  ${ns.toFixed(0).padStart(6)} ns a call  hit ratio ${hit.toFixed(4)}  rate ×objects ${paired.ratio(arm.name).toFixed(2)} (rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: npx tsx bench/cache-bank.ts [--caches N] [--capacity C] [--policy edelear|lru|lfu] [--calls K] [--rounds R]   (defaults 10000 caches of 50 entries, edelear, 2000000 calls, 7 rounds)';
  const a = benchFlags('bench/cache-bank.ts', usage, ['--caches', '--capacity', '--policy', '--calls', '--rounds']);
  main(a.whole('--caches'), a.whole('--capacity', 1, 32767), a.oneOf<CachingName>('--policy', ['edelear', 'lru', 'lfu']), a.whole('--calls'), a.whole('--rounds'));
}
