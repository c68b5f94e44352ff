/**
 * A floor for issue 7's loop rate: scenarios/bench/scale.yaml's model simulated by a loop written
 * for it alone — none of edelear's generality (no scenario, plans, policies, meters, caches,
 * failures, read-ahead; a binary heap of all pending events, one random stream (one a part when
 * split over threads), a count and a sum for statistics) — alternated with the real CLI on the same model at the same size. It says what
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
 * `--kernel both` also runs, each round, the floor on edelear's kernel instead of its own heap
 * (core/simulator.ts's Simulator: its EventQueue, scheduleAt's checks, the fused pop and the dispatch,
 * as the world runs on them; the same events in the same order, tested), each floor in a process
 * of its own: the floor's rate on each splits edelear's gap to the floor into the kernel's share and
 * the world's.
 *
 * `--parts P` also runs the floor split over P threads ({@link floorRunParallel}: P parts of the
 * access points, in windows of the WAN's delay), so the rounds say what a second core gives a loop
 * of this model on this host.
 *
 *   npx tsx bench/floor.ts [--devices N] [--minutes M] [--rounds R] [--parts P] [--kernel heap|simulator|both]
 *                                      (default 10,000 devices, 30 minutes, 3 rounds, 1 part, its own heap)
 *   npx tsx bench/floor.ts --once [--devices N] [--minutes M] [--parts P] [--kernel heap|simulator]
 *                                      (the floor alone, one run: its figures as JSON; bench/instructions.ts's `floor` case counts it)
 *
 * Needs a fresh build (`npm run build`), as bench/scale.ts.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { benchFlags, fmt, median } from './measure.ts';
import { runScale, type ScaleRow } from './scale.ts';
import { assertFreshBuild } from './startup.ts';
import { HomewardResults } from '../src/world/homeward.ts';
import { Simulator } from '../src/core/simulator.ts';

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

/**
 * One part of a run split over threads ({@link floorRunParallel}): part `index` of `count` simulates
 * the access points k with k mod count = index, their devices and edge servers; part 0 also the
 * cloud. The parts advance in windows of {@link WAN_DELAY} simulated seconds, the least time
 * anything sent from one part takes to reach another (the WAN's propagation delay), so what one
 * part sends in a window arrives in a later one: after each window every part posts what it sent
 * into `mail`, marks the window done in `sync` and waits until every other part has (conservative
 * synchronization: Chandy and Misra, IEEE TSE 1979; here as synchronous windows).
 */
export interface FloorPart {
  readonly index: number;
  readonly count: number;
  /** Int32: windows each part has finished, then the parts ready to start, then 1 once a part has failed. */
  readonly sync: SharedArrayBuffer;
  /** Float64: a box per (sender, receiver, window parity): a count, then MAIL_CAPACITY messages of 4 numbers. */
  readonly mail: SharedArrayBuffer;
}

/** The WAN's propagation delay (every edge server to the cloud), s: also the lookahead of a split run, the least time a request takes from one part to another. */
const WAN_DELAY = 0.02;
/** scale.yaml's warm-up, s: statistics count requests born after it. */
export const FLOOR_WARMUP = 60;
/** Hops out of an `archive` request (device, access point, edge server, cloud): the only requests that cross between parts, over the WAN — their hop `ARCHIVE_HOPS` − 1 out and, after the compute, hop `ARCHIVE_HOPS` + 1 back. */
const ARCHIVE_HOPS = 3;
/** Messages a part can send another in one window (≈ 0.1 on average at 10^4 devices). */
const MAIL_CAPACITY = 4096;
const MAIL_BOX = 1 + 4 * MAIL_CAPACITY;

/** The pending events of one part of a split run: a push that `crosses` (a hop into another part, posted there) is not kept. */
class CrossingHeap extends HomewardResults {
  constructor(private readonly crosses: (time: number, code: number) => boolean) {
    super();
  }

  override push(time: number, code: number): void {
    if (!this.crosses(time, code)) super.push(time, code);
  }
}

/**
 * What holds the floor's pending events: `heap`, its own binary heap (world/homeward.ts's); or
 * `simulator`, edelear's kernel — core/simulator.ts's Simulator, its EventQueue and dispatch, as
 * the world runs on it — so that the floor's rate on each says how much of edelear's gap to the floor
 * is the kernel's and how much the world's.
 */
export type FloorKernel = 'heap' | 'simulator';
export const FLOOR_KERNELS: readonly FloorKernel[] = ['heap', 'simulator'];

/** scale.yaml's model at `devices` devices (a multiple of 100) for `seconds` simulated seconds (all of it, or one part of it). */
export function floorRun(devices: number, seconds: number, seed = 12345, part?: FloorPart, kernel: FloorKernel = 'heap'): FloorRun {
  if (kernel === 'simulator' && part !== undefined) throw new Error('the floor runs on edelear\'s kernel in one thread only');
  const N = devices;
  const APS = N / 100;
  const self = part?.index ?? 0;
  const parts = part?.count ?? 1;
  const sync = part && new Int32Array(part.sync);
  const mail = part && new Float64Array(part.mail);
  const box = (from: number, to: number, parity: number): number => ((from * parts + to) * 2 + parity) * MAIL_BOX;
  const RATE = [0.1, 0.0005]; // detect, archive: requests a second per device
  const WORK = [0.24, 0.5 / 15.625]; // mean compute seconds on one slot
  const IN = 20e3;
  const OUT = 1e3;
  // mulberry32 (Tommy Ettinger, public domain): one stream for every draw (of this part, in a split run).
  let state = (seed + 7919 * self) | 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const exponential = (mean: number): number => -mean * Math.log(1 - uniform());

  // The pending events: a binary min-heap of (time, code), code = kind · 2^26 + subject — the one
  // edelear keeps its results booked home in (world/homeward.ts), nothing of its event queue.
  // A split run's heap checks each push for a hop that ends in another part (`crossing`, which posts it there instead).
  // On edelear's kernel instead (`kernel` 'simulator'), they are its Simulator's, pushed through
  // scheduleAt's checks and handled through its dispatch, as the world's are.
  const heap = part === undefined ? new HomewardResults() : new CrossingHeap((t, code) => crossing(t, code));
  const sim = kernel === 'simulator' ? new Simulator(4096) : undefined;
  const push =
    sim === undefined ? (t: number, code: number): void => heap.push(t, code) : (t: number, code: number): void => sim.scheduleAt(t, code >>> 26, code & 0x3ffffff);
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
    delay[d] = WAN_DELAY;
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
  // Part 0's stand-in for a request another part sent to the cloud: that part, and the request's slot there (−1: a request of this part).
  let origin = new Int32Array(capacity).fill(-1);
  let originSlot = new Int32Array(capacity);
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
      originSlot = widen(originSlot, 1);
      const o = new Int32Array(capacity).fill(-1);
      o.set(origin);
      origin = o;
    }
    return made++;
  };

  let generated = 0;
  let completed = 0;
  let measured = 0;
  let latencySum = 0;
  const complete = (r: number, t: number): void => {
    completed++;
    if (born[r] >= FLOOR_WARMUP) {
      measured++;
      latencySum += t - born[r];
    }
    released.push(r);
  };
  // Windows of a split run: what this part sends to each other part in the current one.
  let window = 0;
  const post = (to: number, time: number, slot: number, inst: number, birth: number): void => {
    const b = box(self, to, window & 1);
    const n = mail![b];
    if (n === MAIL_CAPACITY) throw new Error(`floor part ${self}: more than ${MAIL_CAPACITY} messages to part ${to} in one window`);
    const o = b + 1 + 4 * n;
    mail![o] = time;
    mail![o + 1] = slot;
    mail![o + 2] = inst;
    mail![o + 3] = birth;
    mail![b] = n + 1;
  };
  const WAN = 2 * N + 2 * APS; // the first WAN link: edge server k to the cloud WAN + 2k, back WAN + 2k + 1
  const send = (r: number, d: number, bytes: number, now: number, home: boolean): void => {
    const f = free[d];
    const end = (f > now ? f : now) + (bytes * 8) / bandwidth[d];
    free[d] = end;
    const arrival = end + delay[d];
    if (home) complete(r, arrival);
    else push(arrival, (HOP << 26) | r);
  };
  /**
   * In a split run, whether the event (time, code) being pushed is a hop into another part — an
   * `archive` request's hop out over the WAN (its third; the cloud is part 0's), or a stand-in's
   * result back over it to its request's part — which is then posted there instead.
   */
  function crossing(time: number, code: number): boolean {
    if (code >>> 26 !== HOP) return false;
    const r = code & 0x3ffffff;
    if ((instance[r] & 1) === 0) return false;
    if (self !== 0 && hops[r] === ARCHIVE_HOPS - 1) post(0, time, r, instance[r], born[r]); // to the cloud
    else if (self === 0 && hops[r] === ARCHIVE_HOPS + 1 && origin[r] >= 0) {
      post(origin[r], time, originSlot[r], 0, 0);
      origin[r] = -1;
      released.push(r);
    } else return false;
    return true;
  }
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
    route[3 * r + 2] = WAN + 2 * ap;
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

  // The messages the other parts sent in window j: requests reaching the cloud (at part 0), results back from it.
  const receive = (j: number): void => {
    for (let from = 0; from < parts; from++) {
      if (from === self) continue;
      const b = box(from, self, j & 1);
      for (let m = 0, n = mail![b]; m < n; m++) {
        const o = b + 1 + 4 * m;
        const time = mail![o];
        const slot = mail![o + 1];
        if (self === 0) {
          // A stand-in at its last hop out, with the route's WAN link back.
          const r = acquire();
          const i = mail![o + 2];
          born[r] = mail![o + 3];
          instance[r] = i;
          hops[r] = ARCHIVE_HOPS - 1;
          route[3 * r + 2] = WAN + 2 * ((i >> 1) % APS);
          origin[r] = from;
          originSlot[r] = slot;
          push(time, (HOP << 26) | r);
        } else {
          hops[slot] = ARCHIVE_HOPS + 1; // as after its compute: the next hop is the second back
          push(time, (HOP << 26) | slot);
        }
      }
      mail![b] = 0;
    }
  };

  for (let i = 0; i < 2 * N; i++) {
    if (((i >> 1) % APS) % parts !== self) continue;
    const t = exponential(1 / RATE[i & 1]);
    if (t <= seconds) push(t, (ARRIVAL << 26) | i);
  }
  // Spins until sync[k] reaches `target` (the other parts run on the other cores); a part that failed raises the flag at parts + 1, and a minute is an error.
  const waitFor = (k: number, target: number): void => {
    const deadline = performance.now() + 60e3;
    while (Atomics.load(sync!, k) < target) {
      if (Atomics.load(sync!, parts + 1) === 1) throw new Error(`floor part ${self}: another part failed`);
      if (performance.now() > deadline) throw new Error(`floor part ${self}: ${k === parts ? 'the other parts did not start' : `part ${k} did not finish window ${target - 1}`} within a minute`);
    }
  };
  if (sync !== undefined) {
    // Every part ready before any starts its clock.
    Atomics.add(sync, parts, 1);
    waitFor(parts, parts);
  }
  // The split run's loop: windows of the lookahead, each ended by the barrier and the mail (events handled returned).
  const windows = (): number => {
    let handled = 0;
    let clock = 0;
    try {
      for (;;) {
        const end = (window + 1) * WAN_DELAY;
        while (heap.nextTime < end && heap.nextTime <= seconds) {
          const now = heap.nextTime;
          // A message that arrived for a time this part had passed (a window longer than the lookahead) breaks the model.
          if (now < clock) throw new Error(`floor part ${self}: an event at ${now} s after one at ${clock} s`);
          clock = now;
          const code = heap.pop();
          handled++;
          const kind = code >>> 26;
          const subject = code & 0x3ffffff;
          if (kind === ARRIVAL) onArrival(subject, now);
          else if (kind === HOP) onHop(subject, now);
          else onDone(subject, now);
        }
        if (end > seconds) return handled;
        // This window is done: wait for every other part's, then take what they sent.
        Atomics.store(sync!, self, window + 1);
        for (let w = 0; w < parts; w++) if (w !== self) waitFor(w, window + 1);
        receive(window);
        window++;
      }
    } catch (e) {
      Atomics.store(sync!, parts + 1, 1); // the other parts stop waiting for this one
      throw e;
    }
  };

  const t0 = performance.now();
  let events = 0;
  // One thread: the loop as the floor has always run it (the split run's checks kept out of it, so its figure stays comparable).
  if (sim !== undefined) {
    sim.dispatch = (kind: number, subject: number, now: number): void => {
      if (kind === ARRIVAL) onArrival(subject, now);
      else if (kind === HOP) onHop(subject, now);
      else onDone(subject, now);
    };
    sim.run({ until: seconds });
    events = sim.eventsProcessed;
  } else if (sync === undefined) {
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
  } else events = windows();
  const loopSeconds = (performance.now() - t0) / 1000;
  return { generated, completed, measured, events, meanLatency: latencySum / measured, loopSeconds };
}

/**
 * A worker thread's entry: registers tsx's loader (a worker does not take it from `--import tsx` in
 * its execArgv on Node 20) and imports this file, whose last lines run the worker's part.
 */
const workerBoot = (): URL => new URL(`data:text/javascript,${encodeURIComponent(`import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(import.meta.url)});`)}`);

/**
 * The floor split over `parts` threads ({@link FloorPart}): this thread runs part 0 and a worker
 * thread each other part. The figures are the parts' together; the loop's seconds are the slowest
 * part's (all start together, after every part is built).
 */
export async function floorRunParallel(devices: number, seconds: number, parts: number, seed = 12345): Promise<FloorRun> {
  if (parts === 1) return floorRun(devices, seconds, seed);
  const sync = new SharedArrayBuffer(4 * (parts + 2));
  const mail = new SharedArrayBuffer(8 * parts * parts * 2 * MAIL_BOX);
  const workers = Array.from({ length: parts - 1 }, (_, w) => {
    const worker = new Worker(workerBoot(), { workerData: { floorPart: { devices, seconds, seed, index: w + 1, count: parts, sync, mail } } });
    return new Promise<FloorRun>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  });
  let own: FloorRun;
  try {
    own = floorRun(devices, seconds, seed, { index: 0, count: parts, sync, mail });
  } catch (e) {
    await Promise.allSettled(workers); // they stop on the failed flag
    throw e;
  }
  const runs = [own, ...(await Promise.all(workers))];
  const sum = (of: (r: FloorRun) => number) => runs.reduce((s, r) => s + of(r), 0);
  const measured = sum((r) => r.measured);
  return {
    generated: sum((r) => r.generated),
    completed: sum((r) => r.completed),
    measured,
    events: sum((r) => r.events),
    meanLatency: sum((r) => r.meanLatency * r.measured) / measured,
    loopSeconds: Math.max(...runs.map((r) => r.loopSeconds)),
  };
}

/** A worker thread of {@link floorRunParallel}: runs its part and posts its figures. */
if (!isMainThread && (workerData as { floorPart?: unknown } | null)?.floorPart !== undefined) {
  const p = (workerData as { floorPart: FloorPart & { devices: number; seconds: number; seed: number } }).floorPart;
  parentPort!.postMessage(floorRun(p.devices, p.seconds, p.seed, p));
}

/** Throws when a floor run and the CLI's run of scale.yaml did not simulate the same model. */
function checkSameModel(fl: FloorRun, cli: ScaleRow, label: string): void {
  // The completed counts (independent draws, nearly Poisson) within 4 standard deviations of their
  // difference, √(a + b); events per request within 1 %.
  const countsAgree = Math.abs(fl.measured - cli.completed) <= 4 * Math.sqrt(fl.measured + cli.completed);
  const floorPerRequest = fl.events / fl.completed;
  const cliPerRequest = cli.events / cli.completedTotal;
  if (!(countsAgree && Math.abs(floorPerRequest - cliPerRequest) / cliPerRequest < 0.01)) {
    throw new Error(`the floor${label} no longer simulates scale.yaml's model: ${fl.measured} completed after the warm-up and ${floorPerRequest.toFixed(3)} events a request, against the CLI's ${cli.completed} and ${cliPerRequest.toFixed(3)}`);
  }
}

/**
 * One run of the floor alone in a Node process of its own (`--once`), so that neither kernel's run
 * executes code the other's made polymorphic (floorRun's closures are shared by every run in a process).
 */
function floorInChild(devices: number, minutes: number, kernel: FloorKernel): FloorRun {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), '--once', '--kernel', kernel, '--devices', String(devices), '--minutes', String(minutes)];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`bench/floor.ts --once --kernel ${kernel} failed (${r.status}): ${r.stderr.slice(-800)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as FloorRun;
}

async function main(devices: number, minutes: number, rounds: number, parts: number, kernel: FloorKernel | 'both'): Promise<void> {
  assertFreshBuild();
  const split = parts > 1;
  const both = kernel === 'both';
  const floorLabel = kernel === 'simulator' ? " (the floor on edelear's kernel)" : '';
  console.log(`Floor: scale.yaml's model by a loop written for it alone, alternated with the CLI (${fmt(devices)} devices, ${minutes} simulated minutes, ${rounds} rounds${split ? `; and the floor split over ${parts} threads` : ''}${both ? "; and the floor on edelear's kernel, each floor in a process of its own" : floorLabel})`);
  console.log(
    `  round  edelear completed/s loop  floor completed/s loop  edelear ÷ floor${both ? '  floor on kernel  ÷ floor  edelear ÷ it' : ''}${split ? `  floor in ${parts} parts  ÷ floor` : ''}  (edelear: completed, events/request; floor: the same)`,
  );
  const ratios: number[] = [];
  const floors: number[] = [];
  const edelears: number[] = [];
  const speedups: number[] = [];
  const splits: number[] = [];
  const onKernel: number[] = [];
  const kernelRatios: number[] = [];
  const worldRatios: number[] = [];
  const seconds = minutes * 60;
  for (let k = 0; k < rounds; k++) {
    // Each contender goes first in turn, as in the other paired benches.
    const order = ['floor', ...(both ? ['kernel'] : []), 'cli', ...(split ? ['parts'] : [])];
    let cli: ScaleRow | undefined;
    let fl: FloorRun | undefined;
    let fk: FloorRun | undefined;
    let fp: FloorRun | undefined;
    for (let j = 0; j < order.length; j++) {
      const which = order[(j + k) % order.length];
      if (which === 'cli') cli = runScale(devices, minutes);
      else if (which === 'floor') fl = both ? floorInChild(devices, minutes, 'heap') : floorRun(devices, seconds, undefined, undefined, kernel);
      else if (which === 'kernel') fk = floorInChild(devices, minutes, 'simulator');
      else fp = await floorRunParallel(devices, seconds, parts);
    }
    checkSameModel(fl!, cli!, floorLabel);
    if (fk !== undefined) checkSameModel(fk, cli!, " on edelear's kernel");
    if (fp !== undefined) checkSameModel(fp, cli!, ` in ${parts} parts`);
    // Rates as bench/scale.ts counts them: requests completed after the warm-up, over the loop's seconds.
    const floorRate = fl!.measured / fl!.loopSeconds;
    ratios.push(cli!.loopRate / floorRate);
    floors.push(floorRate);
    edelears.push(cli!.loopRate);
    let kernelColumns = '';
    if (fk !== undefined) {
      const rate = fk.measured / fk.loopSeconds;
      onKernel.push(rate);
      kernelRatios.push(rate / floorRate);
      worldRatios.push(cli!.loopRate / rate);
      kernelColumns = `  ${fmt(rate).padStart(15)}  ${fmt(rate / floorRate, 2).padStart(7)}  ${fmt(cli!.loopRate / rate, 2).padStart(12)}`;
    }
    let partsColumns = '';
    if (fp !== undefined) {
      const rate = fp.measured / fp.loopSeconds;
      splits.push(rate);
      speedups.push(rate / floorRate);
      partsColumns = `  ${fmt(rate).padStart(15)}  ${fmt(rate / floorRate, 2).padStart(7)}`;
    }
    console.log(
      `  ${String(k + 1).padStart(5)}  ${fmt(cli!.loopRate).padStart(24)}  ${fmt(floorRate).padStart(22)}  ${fmt(cli!.loopRate / floorRate, 2).padStart(15)}${kernelColumns}${partsColumns}  (${fmt(cli!.completed)}, ${fmt(cli!.events / cli!.completedTotal, 2)}; ${fmt(fl!.measured)}, ${fmt(fl!.events / fl!.completed, 2)})`,
    );
  }
  console.log(`  medians: edelear ${fmt(median(edelears))}, floor ${fmt(median(floors))} completed per loop second; edelear ÷ floor ${fmt(median(ratios), 2)} (median of the rounds' ratios)`);
  console.log(`  issue 7's target, 1,000,000 per loop second, is ${fmt(1e6 / median(floors), 2)}× the floor's rate on this host`);
  if (both) {
    console.log(
      `  the floor on edelear's kernel: ${fmt(median(onKernel))} completed per loop second, × ${fmt(median(kernelRatios), 2)} the floor on its own heap — the kernel's share of the gap; edelear ÷ it ${fmt(median(worldRatios), 2)} — the world's (medians of the rounds' ratios)`,
    );
  }
  if (split) {
    console.log(`  the floor in ${parts} parts: ${fmt(median(splits))} completed per loop second, × ${fmt(median(speedups), 2)} the floor in one (median of the rounds' ratios; windows of ${WAN_DELAY * 1000} ms simulated)`);
  }
}

if (isMainThread && process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage =
    "usage: npx tsx bench/floor.ts [--once] [--devices N] [--minutes M] [--rounds R] [--parts P] [--kernel heap|simulator|both]   (N a multiple of 100 from 200 to 10^6, M > 1, R ≥ 1, 1 ≤ P ≤ N/100; default 10000, 30, 3, 1, heap; --once: the floor alone, one run, its figures as JSON; --parts: the floor also split over P threads; --kernel: the floor's events in its own binary heap, in edelear's kernel (core/simulator.ts), or, in rounds, both, each floor in a process of its own)";
  const once = process.argv.indexOf('--once');
  if (once >= 0) process.argv.splice(once, 1);
  const a = benchFlags('bench/floor.ts', usage, ['--devices', '--minutes', '--rounds', '--parts', '--kernel']);
  const { given, fail } = a;
  if (once >= 0 && given.has('--rounds')) fail('--rounds does not go with --once (one run of the floor alone)');
  const n = a.devices() ?? 10000;
  const m = a.minutes() ?? 30;
  const r = a.whole('--rounds') ?? 3;
  // Each part has at least one access point (there are N/100).
  const p = a.whole('--parts', 1, n / 100) ?? 1;
  const kernel = given.get('--kernel') ?? 'heap';
  if (!(FLOOR_KERNELS as readonly string[]).includes(kernel) && !(kernel === 'both' && once < 0)) fail(`--kernel expects ${once >= 0 ? 'heap or simulator (one run)' : 'heap, simulator or both'}, got "${kernel}"`);
  if (kernel !== 'heap' && p > 1) fail("--kernel simulator and both run the floor in one thread only; they do not go with --parts");
  if (once >= 0) console.log(JSON.stringify(kernel === 'heap' ? await floorRunParallel(n, m * 60, p) : floorRun(n, m * 60, undefined, undefined, 'simulator')));
  else await main(n, m, r, p, kernel as FloorKernel | 'both');
}
