/**
 * Future-event list: a binary min-heap ordered by (time, seq), where seq is the insertion
 * counter, so same-time events pop in insertion order and a run is a pure function of
 * (scenario, seed). An event is 16 bytes in one ArrayBuffer — time (float64), seq (uint32)
 * and kind·2^28 + subject (uint32) — so a heap of a million events is 16 MB and a heap step
 * touches one cache line per entry. No object per event.
 */
const KIND_BITS = 4;
const SUBJECT_BITS = 32 - KIND_BITS;
const SUBJECT_MASK = 2 ** SUBJECT_BITS - 1;
/** Largest event kind the queue can hold. */
export const MAX_EVENT_KIND = 2 ** KIND_BITS - 1;
/** Largest subject index the queue can hold. */
export const MAX_EVENT_SUBJECT = SUBJECT_MASK;
/** Insertion counters are renumbered before they would overflow 32 bits. */
const SEQ_LIMIT = 2 ** 32 - 1;

/** The future-event list. */
export class EventQueue {
  private f: Float64Array; // f[2i] = time of entry i
  private u: Uint32Array; // u[4i + 2] = seq, u[4i + 3] = payload of entry i
  private n = 0;
  private nextSeq = 0;

  /** `seqLimit` is for tests: insertion counters are renumbered when they reach it. */
  constructor(
    initialCapacity = 1024,
    private readonly seqLimit = SEQ_LIMIT,
  ) {
    const buffer = new ArrayBuffer(Math.max(16, initialCapacity) * 16);
    this.f = new Float64Array(buffer);
    this.u = new Uint32Array(buffer);
  }

  /** Number of pending events. */
  get size(): number {
    return this.n;
  }

  /** Time of the earliest pending event (Infinity when empty). */
  peekTime(): number {
    return this.n > 0 ? this.f[0] : Infinity;
  }

  /** Kind of the most recently popped event. */
  poppedKind = 0;
  /** Subject of the most recently popped event. */
  poppedSubject = 0;
  /** Time of the most recently popped event. */
  poppedTime = 0;

  /** Schedules an event; kind ≤ MAX_EVENT_KIND, 0 ≤ subject ≤ MAX_EVENT_SUBJECT. */
  push(time: number, kind: number, subject: number): void {
    if (subject > SUBJECT_MASK || subject < 0 || kind > MAX_EVENT_KIND) {
      throw new RangeError(`event (kind ${kind}, subject ${subject}) does not fit the queue`);
    }
    if (this.n * 2 + 2 > this.f.length) this.grow();
    if (this.nextSeq === this.seqLimit) this.renumber();
    const seq = this.nextSeq++;
    const payload = ((kind << SUBJECT_BITS) | subject) >>> 0;
    const f = this.f;
    const u = this.u;
    let i = this.n++;
    // Sift up, moving parents down into the hole.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = f[2 * p];
      if (pt < time || (pt === time && u[4 * p + 2] < seq)) break;
      f[2 * i] = pt;
      u[4 * i + 2] = u[4 * p + 2];
      u[4 * i + 3] = u[4 * p + 3];
      i = p;
    }
    f[2 * i] = time;
    u[4 * i + 2] = seq;
    u[4 * i + 3] = payload;
  }

  /** Removes the earliest event; its fields are left in poppedTime/Kind/Subject. Returns false when empty. */
  pop(): boolean {
    if (this.n === 0) return false;
    const f = this.f;
    const u = this.u;
    this.poppedTime = f[0];
    const payload = u[3];
    this.poppedKind = payload >>> SUBJECT_BITS;
    this.poppedSubject = payload & SUBJECT_MASK;
    const last = --this.n;
    if (last === 0) return true;
    const t = f[2 * last];
    const s = u[4 * last + 2];
    const pl = u[4 * last + 3];
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      let ct = f[2 * c];
      let cs = u[4 * c + 2];
      const r = c + 1;
      if (r < last) {
        const rt = f[2 * r];
        if (rt < ct || (rt === ct && u[4 * r + 2] < cs)) {
          c = r;
          ct = rt;
          cs = u[4 * r + 2];
        }
      }
      if (t < ct || (t === ct && s < cs)) break;
      f[2 * i] = ct;
      u[4 * i + 2] = cs;
      u[4 * i + 3] = u[4 * c + 3];
      i = c;
    }
    f[2 * i] = t;
    u[4 * i + 2] = s;
    u[4 * i + 3] = pl;
    return true;
  }

  /** Pending events of one kind (a scan: for end-of-run checks, not for the hot path). */
  count(kind: number): number {
    let c = 0;
    for (let i = 0; i < this.n; i++) if (this.u[4 * i + 3] >>> SUBJECT_BITS === kind) c++;
    return c;
  }

  /** Replaces every pending seq by its rank among them, keeping their order (once per 2^32 pushes). */
  private renumber(): void {
    const n = this.n;
    const u = this.u;
    const entries = Array.from({ length: n }, (_, i) => i).sort((a, b) => u[4 * a + 2] - u[4 * b + 2]);
    entries.forEach((entry, rank) => (u[4 * entry + 2] = rank));
    this.nextSeq = n;
    if (n >= this.seqLimit) throw new RangeError(`more than ${this.seqLimit} events pending`);
  }

  private grow(): void {
    const buffer = new ArrayBuffer(this.f.byteLength * 2);
    new Uint8Array(buffer).set(new Uint8Array(this.f.buffer));
    this.f = new Float64Array(buffer);
    this.u = new Uint32Array(buffer);
  }
}
