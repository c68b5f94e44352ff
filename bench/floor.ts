/**
 * A floor for issue 7's loop rate: scenarios/bench/scale.yaml's model simulated by a loop written
 * for it alone — none of edelear's generality (no scenario, plans, policies, meters, caches,
 * failures, read-ahead; a binary heap of all pending events, one random stream, a count and a sum
 * for statistics) — alternated with the real CLI on the same model at the same size. It says what
 * "1,000,000 completed requests per loop second at 10^4 devices" asks of this host: the floor's
 * own rate is about what any JavaScript loop of this model can reach here, and edelear's rate
 * over the floor's is what its generality costs.
 *
 * The model, as scale.yaml writes it: N devices, device i on access point i mod N/100 (100 Mbit/s,
 * 2 ms), access point k to edge server k (1 Gbit/s, 1 ms; 4 slots of 1 GFLOP/s), every edge server
 * to one cloud (1 Gbit/s, 20 ms; 64 slots of 15.625 GFLOP/s). Per device, `detect` (Poisson
 * 0.1/s; 20 kB in, 0.24 GFLOP with exponential compute time, 1 kB out; at its edge server) and
 * `archive` (Poisson 0.0005/s; 0.5 GFLOP; at the cloud). Links are FIFO (Lindley), slots FCFS, and
 * a result's last hop home is booked without an event, as edelear books it: 5 events a request.
 * The floor is checked against the CLI's run in each round — completed requests within four
 * standard deviations of their difference (independent draws: √(a + b)), events per completed
 * request within 1 % — so that a change to scale.yaml cannot leave it measuring another model.
 *
 *   npx tsx bench/floor.ts [--devices N] [--minutes M] [--rounds R]   (default 10,000 devices, 30 minutes, 3 rounds)
 *
 * Needs a fresh build (`npm run build`), as bench/scale.ts.
 */
import { fileURLToPath } from 'node:url';
import { benchFlags, median } from './measure.ts';
import { runScale } from './scale.ts';
import { assertFreshBuild } from './startup.ts';
import { HomewardResults } from '../src/world/homeward.ts';

/** One run of the floor: requests and events, the mean latency after the 1-minute warm-up, and the loop's wall seconds. */
export interface FloorRun {
  readonly generated: number;
  /** Completed requests, all of them and those born after the warm-up (edelear's requests.csv counts the latter). */
  readonly completed: number;
  readonly measured: number;
  readonly events: number;
  readonly meanLatency: number;
  readonly loopSeconds: number;
}

/** scale.yaml's model at `devices` devices (a multiple of 100) for `seconds` simulated seconds. */
export function floorRun(devices: number, seconds: number, seed = 12345): FloorRun {
  const N = devices;
  const APS = N / 100;
  const WARMUP = 60;
  const RATE = [0.1, 0.0005]; // detect, archive: requests a second per device
  const WORK = [0.24, 0.5 / 15.625]; // mean compute seconds on one slot
  const IN = 20e3;
  const OUT = 1e3;
  // mulberry32 (Tommy Ettinger, public domain): one stream for every draw.
  let state = seed | 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const exponential = (mean: number): number => -mean * Math.log(1 - uniform());

  // The pending events: a binary min-heap of (time, code), code = kind · 2^26 + subject — the one
  // edelear keeps its results booked home in (world/homeward.ts), nothing of its event queue.
  const heap = new HomewardResults();
  const push = (t: number, code: number): void => heap.push(t, code);
  const ARRIVAL = 0;
  const HOP = 1;
  const DONE = 2;

  // Directed links: device i up 2i, down 2i + 1; access point k to its edge server 2N + 2k (back
  // + 1); edge server k to the cloud 2N + 2·APS + 2k (back + 1).
  const links = 2 * N + 4 * APS;
  const free = new Float64Array(links);
  const bandwidth = new Float64Array(links);
  const delay = new Float64Array(links);
  for (let d = 0; d < 2 * N; d++) {
    bandwidth[d] = 100e6;
    delay[d] = 0.002;
  }
  for (let d = 2 * N; d < 2 * N + 2 * APS; d++) {
    bandwidth[d] = 1e9;
    delay[d] = 0.001;
  }
  for (let d = 2 * N + 2 * APS; d < links; d++) {
    bandwidth[d] = 1e9;
    delay[d] = 0.02;
  }
  // Nodes: edge server k is k, the cloud APS. FCFS: busy slots and a FIFO of waiting requests.
  const slots = new Int32Array(APS + 1).fill(4);
  slots[APS] = 64;
  const busy = new Int32Array(APS + 1);
  const head = new Int32Array(APS + 1).fill(-1);
  const tail = new Int32Array(APS + 1).fill(-1);

  // Requests: born, instance (device · 2 + workload), hops so far, FIFO link, the route's links out.
  let capacity = 1 << 16;
  let born = new Float64Array(capacity);
  let instance = new Int32Array(capacity);
  let hops = new Int32Array(capacity);
  let next = new Int32Array(capacity);
  let route = new Int32Array(3 * capacity);
  const released: number[] = [];
  let made = 0;
  const acquire = (): number => {
    if (released.length > 0) return released.pop()!;
    if (made === capacity) {
      capacity *= 2;
      const b = new Float64Array(capacity);
      b.set(born);
      born = b;
      const widen = (a: Int32Array, m: number) => {
        const w = new Int32Array(m * capacity);
        w.set(a);
        return w;
      };
      instance = widen(instance, 1);
      hops = widen(hops, 1);
      next = widen(next, 1);
      route = widen(route, 3);
    }
    return made++;
  };

  let generated = 0;
  let completed = 0;
  let measured = 0;
  let latencySum = 0;
  const complete = (r: number, t: number): void => {
    completed++;
    if (born[r] >= WARMUP) {
      measured++;
      latencySum += t - born[r];
    }
    released.push(r);
  };
  const send = (r: number, d: number, bytes: number, now: number, home: boolean): void => {
    const f = free[d];
    const end = (f > now ? f : now) + (bytes * 8) / bandwidth[d];
    free[d] = end;
    const arrival = end + delay[d];
    if (home) complete(r, arrival);
    else push(arrival, (HOP << 26) | r);
  };
  const nodeOf = (i: number): number => ((i & 1) === 1 ? APS : (i >> 1) % APS);
  const compute = (r: number, now: number): void => {
    const k = nodeOf(instance[r]);
    if (busy[k] < slots[k]) {
      busy[k]++;
      push(now + exponential(WORK[instance[r] & 1]), (DONE << 26) | r);
      return;
    }
    next[r] = -1;
    if (tail[k] >= 0) next[tail[k]] = r;
    else head[k] = r;
    tail[k] = r;
  };
  const onArrival = (i: number, now: number): void => {
    const t = now + exponential(1 / RATE[i & 1]);
    if (t <= seconds) push(t, (ARRIVAL << 26) | i);
    const r = acquire();
    generated++;
    born[r] = now;
    instance[r] = i;
    hops[r] = 0;
    const device = i >> 1;
    const ap = device % APS;
    route[3 * r] = 2 * device;
    route[3 * r + 1] = 2 * N + 2 * ap;
    route[3 * r + 2] = 2 * N + 2 * APS + 2 * ap;
    send(r, 2 * device, IN, now, false);
  };
  // Hops out: 2 to an edge server, 3 to the cloud; then the compute; then as many back.
  const onHop = (r: number, now: number): void => {
    const h = ++hops[r];
    const out = 2 + (instance[r] & 1);
    if (h < out) return send(r, route[3 * r + h], IN, now, false);
    if (h === out) return compute(r, now);
    const back = 2 * out - h;
    send(r, route[3 * r + back] ^ 1, OUT, now, back === 0);
  };
  const onDone = (r: number, now: number): void => {
    const k = nodeOf(instance[r]);
    const q = head[k];
    if (q >= 0) {
      head[k] = next[q];
      if (head[k] < 0) tail[k] = -1;
      push(now + exponential(WORK[instance[q] & 1]), (DONE << 26) | q);
    } else busy[k]--;
    const out = 2 + (instance[r] & 1);
    hops[r] = out + 1;
    send(r, route[3 * r + out - 1] ^ 1, OUT, now, false); // the first hop back is never the last
  };

  for (let i = 0; i < 2 * N; i++) {
    const t = exponential(1 / RATE[i & 1]);
    if (t <= seconds) push(t, (ARRIVAL << 26) | i);
  }
  const t0 = performance.now();
  let events = 0;
  while (heap.nextTime <= seconds) {
    const now = heap.nextTime;
    const code = heap.pop();
    events++;
    const kind = code >>> 26;
    const subject = code & 0x3ffffff;
    if (kind === ARRIVAL) onArrival(subject, now);
    else if (kind === HOP) onHop(subject, now);
    else onDone(subject, now);
  }
  const loopSeconds = (performance.now() - t0) / 1000;
  return { generated, completed, measured, events, meanLatency: latencySum / measured, loopSeconds };
}

function main(devices: number, minutes: number, rounds: number): void {
  assertFreshBuild();
  const f = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  console.log(`Floor: scale.yaml's model by a loop written for it alone, alternated with the CLI (${f(devices)} devices, ${minutes} simulated minutes, ${rounds} rounds)`);
  console.log('  round  edelear completed/s loop  floor completed/s loop  edelear ÷ floor  (edelear: completed, events/request; floor: the same)');
  const ratios: number[] = [];
  const floors: number[] = [];
  const edelears: number[] = [];
  for (let k = 0; k < rounds; k++) {
    // Alternate which goes first, as the other paired benches do.
    const first = k % 2 === 0;
    const floorFirst = first ? floorRun(devices, minutes * 60) : undefined;
    const cli = runScale(devices, minutes);
    const fl = floorFirst ?? floorRun(devices, minutes * 60);
    // Rates as bench/scale.ts counts them: requests completed after the warm-up, over the loop's seconds.
    const floorRate = fl.measured / fl.loopSeconds;
    const cliPerRequest = cli.events / cli.completedTotal;
    const floorPerRequest = fl.events / fl.completed;
    // The same model: the completed counts (independent draws, nearly Poisson) within 4 standard
    // deviations of their difference, √(a + b); events per request within 1 %.
    const countsAgree = Math.abs(fl.measured - cli.completed) <= 4 * Math.sqrt(fl.measured + cli.completed);
    const eventsGap = Math.abs(floorPerRequest - cliPerRequest) / cliPerRequest;
    if (!(countsAgree && eventsGap < 0.01)) {
      throw new Error(`the floor no longer simulates scale.yaml's model: ${fl.measured} completed after the warm-up and ${f(floorPerRequest, 3)} events a request, against the CLI's ${cli.completed} and ${f(cliPerRequest, 3)}`);
    }
    ratios.push(cli.loopRate / floorRate);
    floors.push(floorRate);
    edelears.push(cli.loopRate);
    console.log(
      `  ${String(k + 1).padStart(5)}  ${f(cli.loopRate).padStart(24)}  ${f(floorRate).padStart(22)}  ${f(cli.loopRate / floorRate, 2).padStart(15)}  (${f(cli.completed)}, ${f(cliPerRequest, 2)}; ${f(fl.measured)}, ${f(floorPerRequest, 2)})`,
    );
  }
  console.log(`  medians: edelear ${f(median(edelears))}, floor ${f(median(floors))} completed per loop second; edelear ÷ floor ${f(median(ratios), 2)} (median of the rounds' ratios)`);
  console.log(`  issue 7's target, 1,000,000 per loop second, is ${f(1e6 / median(floors), 2)}× the floor's rate on this host`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: npx tsx bench/floor.ts [--devices N] [--minutes M] [--rounds R]   (N a positive multiple of 100, M > 1, R ≥ 1; default 10000, 30, 3)';
  const { given, fail } = benchFlags('bench/floor.ts', usage, ['--devices', '--minutes', '--rounds']);
  const n = Number(given.get('--devices') ?? 10000);
  if (!(Number.isInteger(n) && n > 0 && n % 100 === 0)) fail(`--devices expects a positive multiple of 100, got "${given.get('--devices')}"`);
  const m = Number(given.get('--minutes') ?? 30);
  // scale.yaml warms up for 1 minute: a run must be longer.
  if (!(m > 1)) fail(`--minutes expects a number above 1 (scale.yaml's warm-up is 1 minute), got "${given.get('--minutes')}"`);
  const r = Number(given.get('--rounds') ?? 3);
  if (!(Number.isInteger(r) && r >= 1)) fail(`--rounds expects a positive integer, got "${given.get('--rounds')}"`);
  main(n, m, r);
}
