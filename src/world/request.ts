/**
 * The jobs alive in a run — requests, and the compute jobs of processes — as a struct of
 * arrays with a free list: a job is a slot index; slots are recycled, so steady-state runs
 * allocate nothing per request. Schedulers keep their per-job state here too (their lists,
 * pending event, remaining work), so every job has one identity across the world.
 */
export class RequestPool {
  /** Time the request was born on its device, s. */
  born = new Float64Array(0);
  /** Workload instance that issued it; −1 for a process job. */
  instance = new Int32Array(0);
  /** Node executing its (last) compute stage; −1 before it has one. */
  node = new Int32Array(0);
  /** Input key (rank in the workload's catalog), −1 when inputs are all distinct. */
  key = new Int32Array(0);
  /** Node whose result cache served it (a hit); −1 when its result is computed. */
  servedFrom = new Int32Array(0);
  /**
   * Factor of its compute times around their mean (the workload's computeTime law), drawn at
   * birth from its instance's `service` stream, so arms compared on one seed give each request
   * the same factor whatever they drop or reorder (common random numbers); 1 without a law.
   */
  serviceFactor = new Float64Array(0);
  /** Current stage (index into the stage program) and hops done on its route. */
  stage = new Int32Array(0);
  hop = new Int32Array(0);
  /** First stage of its plan (the backward walk ends there). */
  planStart = new Int32Array(0);
  /** 0 while the plan runs forward, 1 while the result travels back. */
  phase = new Uint8Array(0);
  /** Directed link it is on or waiting for, and the failure epoch of that link's sender when it was queued. */
  link = new Int32Array(0);
  senderEpoch = new Int32Array(0);
  /** Memory reserved at the computing node, bytes. */
  memory = new Float64Array(0);
  /** Time it entered its node's scheduler, s. */
  computeAt = new Float64Array(0);
  /** Time waiting for a compute slot, waiting for links, on links (transmission + propagation), computing, s. */
  nodeWait = new Float64Array(0);
  linkWait = new Float64Array(0);
  transfer = new Float64Array(0);
  compute = new Float64Array(0);
  /** Energy charged to this request: dynamic compute energy plus radio energy on both ends, J. */
  energy = new Float64Array(0);
  /** Scheduler state: work in slot-seconds, work left, tenant, pending event handle, neighbours in a node's list. */
  work = new Float64Array(0);
  remaining = new Float64Array(0);
  tenant = new Int32Array(0);
  handle = new Float64Array(0);
  next = new Int32Array(0);
  prev = new Int32Array(0);

  private free = new Int32Array(0);
  private freeCount = 0;
  /** Slots handed out and not yet released. */
  active = 0;
  private capacity = 0;

  constructor(initialCapacity = 1024) {
    this.grow(initialCapacity);
  }

  /** Slots that can be handed out before the arrays grow. */
  get size(): number {
    return this.capacity;
  }

  /** Takes a slot for a request (instance ≥ 0) or a process job (instance −1), with its fields reset. */
  acquire(born: number, instance: number): number {
    if (this.freeCount === 0) this.grow(this.capacity * 2);
    const r = this.free[--this.freeCount];
    this.active++;
    this.born[r] = born;
    this.instance[r] = instance;
    this.node[r] = -1;
    this.key[r] = -1;
    this.servedFrom[r] = -1;
    this.hop[r] = 0;
    this.phase[r] = 0;
    this.memory[r] = 0;
    this.nodeWait[r] = 0;
    this.linkWait[r] = 0;
    this.transfer[r] = 0;
    this.compute[r] = 0;
    this.energy[r] = 0;
    return r;
  }

  /** Returns a slot to the free list. */
  release(r: number): void {
    this.free[this.freeCount++] = r;
    this.active--;
  }

  private grow(capacity: number): void {
    const old = this.capacity;
    for (const [name, value] of Object.entries(this) as [string, unknown][]) {
      if (name === 'free' || !ArrayBuffer.isView(value)) continue;
      const a = value as Float64Array | Int32Array | Uint8Array;
      const b = new (a.constructor as Float64ArrayConstructor)(capacity);
      b.set(a as Float64Array);
      (this as unknown as Record<string, unknown>)[name] = b;
    }
    const free = new Int32Array(capacity);
    free.set(this.free.subarray(0, this.freeCount));
    // New slots go below the existing free ones, highest index first, so low indices are reused first.
    for (let s = capacity - 1; s >= old; s--) free[this.freeCount++] = s;
    this.free = free;
    this.capacity = capacity;
  }
}
