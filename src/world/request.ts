/**
 * The requests alive in a run, as a struct of arrays with a free list: a request is a
 * slot index; slots are recycled, so steady-state runs allocate nothing per request.
 */
export class RequestPool {
  /** Time the request was born on its device, s. */
  born = new Float64Array(0);
  /** Workload instance that issued it. */
  instance = new Int32Array(0);
  /** Position on its route (hops done) and phase (0 = input going out, 1 = result coming back). */
  hop = new Int32Array(0);
  phase = new Uint8Array(0);
  /** Input key (rank in the workload's catalog), −1 when inputs are all distinct. */
  key = new Int32Array(0);
  /** Failure epoch of the executing node when the request arrived there. */
  epoch = new Int32Array(0);
  /** Memory reserved at the executing node, bytes. */
  memory = new Float64Array(0);
  /** Time waiting for a compute slot, waiting for links, on links (transmission + propagation), computing, s. */
  nodeWait = new Float64Array(0);
  linkWait = new Float64Array(0);
  transfer = new Float64Array(0);
  compute = new Float64Array(0);
  /** Energy charged to this request: dynamic compute energy plus radio energy on both ends, J. */
  energy = new Float64Array(0);
  /** Failure epoch of the node sending the request's payload on its current link. */
  senderEpoch = new Int32Array(0);
  /** Neighbours in the list of requests at the executing node (−1 at the ends). */
  next = new Int32Array(0);
  prev = new Int32Array(0);
  /** 1 once the request was dropped with its node while a completion event for it is still pending. */
  zombie = new Uint8Array(0);

  private free = new Int32Array(0);
  private freeCount = 0;
  /** Slots handed out and not yet released. */
  active = 0;
  private capacity = 0;

  constructor(initialCapacity = 1024) {
    this.grow(initialCapacity);
  }

  /** Takes a slot, with its fields reset. */
  acquire(born: number, instance: number): number {
    if (this.freeCount === 0) this.grow(this.capacity * 2);
    const r = this.free[--this.freeCount];
    this.active++;
    this.born[r] = born;
    this.instance[r] = instance;
    this.hop[r] = 0;
    this.phase[r] = 0;
    this.key[r] = -1;
    this.memory[r] = 0;
    this.nodeWait[r] = 0;
    this.linkWait[r] = 0;
    this.transfer[r] = 0;
    this.compute[r] = 0;
    this.energy[r] = 0;
    this.zombie[r] = 0;
    return r;
  }

  /** Returns a slot to the free list. */
  release(r: number): void {
    this.free[this.freeCount++] = r;
    this.active--;
  }

  private grow(capacity: number): void {
    const old = this.capacity;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    this.born = f64(this.born);
    this.instance = i32(this.instance);
    this.hop = i32(this.hop);
    const phase = new Uint8Array(capacity);
    phase.set(this.phase);
    this.phase = phase;
    this.key = i32(this.key);
    this.epoch = i32(this.epoch);
    this.memory = f64(this.memory);
    this.nodeWait = f64(this.nodeWait);
    this.linkWait = f64(this.linkWait);
    this.transfer = f64(this.transfer);
    this.compute = f64(this.compute);
    this.energy = f64(this.energy);
    this.senderEpoch = i32(this.senderEpoch);
    this.next = i32(this.next);
    this.prev = i32(this.prev);
    const zombie = new Uint8Array(capacity);
    zombie.set(this.zombie);
    this.zombie = zombie;
    const free = new Int32Array(capacity);
    free.set(this.free.subarray(0, this.freeCount));
    // New slots go below the existing free ones, highest index first, so low indices are reused first.
    for (let s = capacity - 1; s >= old; s--) free[this.freeCount++] = s;
    this.free = free;
    this.capacity = capacity;
  }
}
