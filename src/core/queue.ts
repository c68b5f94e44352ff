/**
 * Future-event list: a binary min-heap over parallel typed arrays, ordered by
 * (time, seq) where seq is the insertion counter. Same-time events therefore pop in
 * insertion order, which makes a run a pure function of (scenario, seed).
 * An event is four numbers: time, seq, kind and subject (an index the handler
 * interprets: a request slot, a node, a workload instance…). No object per event.
 */
export class EventQueue {
  private times: Float64Array;
  private seqs: Float64Array;
  private kinds: Uint8Array;
  private subjects: Int32Array;
  private n = 0;
  private nextSeq = 0;

  constructor(initialCapacity = 1024) {
    const c = Math.max(16, initialCapacity);
    this.times = new Float64Array(c);
    this.seqs = new Float64Array(c);
    this.kinds = new Uint8Array(c);
    this.subjects = new Int32Array(c);
  }

  /** Number of pending events. */
  get size(): number {
    return this.n;
  }

  /** Time of the earliest pending event (Infinity when empty). */
  peekTime(): number {
    return this.n > 0 ? this.times[0] : Infinity;
  }

  /** Kind of the most recently popped event. */
  poppedKind = 0;
  /** Subject of the most recently popped event. */
  poppedSubject = 0;
  /** Time of the most recently popped event. */
  poppedTime = 0;

  /** Schedules an event. */
  push(time: number, kind: number, subject: number): void {
    if (this.n === this.times.length) this.grow();
    const seq = this.nextSeq++;
    const times = this.times;
    const seqs = this.seqs;
    let i = this.n++;
    // Sift up, moving parents down into the hole.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p];
      if (pt < time || (pt === time && seqs[p] < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[p];
      this.kinds[i] = this.kinds[p];
      this.subjects[i] = this.subjects[p];
      i = p;
    }
    times[i] = time;
    seqs[i] = seq;
    this.kinds[i] = kind;
    this.subjects[i] = subject;
  }

  /** Removes the earliest event; its fields are left in poppedTime/Kind/Subject. Returns false when empty. */
  pop(): boolean {
    if (this.n === 0) return false;
    const times = this.times;
    const seqs = this.seqs;
    const kinds = this.kinds;
    const subjects = this.subjects;
    this.poppedTime = times[0];
    this.poppedKind = kinds[0];
    this.poppedSubject = subjects[0];
    const last = --this.n;
    if (last === 0) return true;
    const t = times[last];
    const s = seqs[last];
    const k = kinds[last];
    const sub = subjects[last];
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      let ct = times[c];
      let cs = seqs[c];
      const r = c + 1;
      if (r < last) {
        const rt = times[r];
        if (rt < ct || (rt === ct && seqs[r] < cs)) {
          c = r;
          ct = rt;
          cs = seqs[r];
        }
      }
      if (t < ct || (t === ct && s < cs)) break;
      times[i] = ct;
      seqs[i] = cs;
      kinds[i] = kinds[c];
      subjects[i] = subjects[c];
      i = c;
    }
    times[i] = t;
    seqs[i] = s;
    kinds[i] = k;
    subjects[i] = sub;
    return true;
  }

  private grow(): void {
    const c = this.times.length * 2;
    const t = new Float64Array(c);
    t.set(this.times);
    this.times = t;
    const s = new Float64Array(c);
    s.set(this.seqs);
    this.seqs = s;
    const k = new Uint8Array(c);
    k.set(this.kinds);
    this.kinds = k;
    const sub = new Int32Array(c);
    sub.set(this.subjects);
    this.subjects = sub;
  }
}
