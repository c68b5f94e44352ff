/**
 * Future-event list: a binary min-heap ordered by (time, seq), where seq is the insertion
 * counter, so same-time events pop in insertion order and a run is a pure function of
 * (scenario, seed). An event is 16 bytes in one ArrayBuffer — time (float64), seq word
 * (uint32) and payload (uint32) — so a heap of a million events is 16 MB and a heap step
 * touches one cache line per entry. No object per event.
 *
 * The seq word is counter·2 + c, where c = 1 marks a cancellable event: the heap still
 * orders by the whole word (the counter dominates), and all 32 payload bits stay free for
 * kind·2^26 + subject, so every one of the 64 kinds is usable. A cancellable event's payload
 * is instead a token: an index into a side table holding its kind, subject, generation and
 * whether it is still live. Cancelling clears the live flag; the heap entry stays (lazy
 * deletion) and is dropped when it reaches the top, which frees the token.
 */
const KIND_BITS = 6;
const SUBJECT_BITS = 32 - KIND_BITS;
const SUBJECT_MASK = 2 ** SUBJECT_BITS - 1;
/** Largest event kind the queue can hold. */
export const MAX_EVENT_KIND = 2 ** KIND_BITS - 1;
/** Largest subject index the queue can hold. */
export const MAX_EVENT_SUBJECT = SUBJECT_MASK;
/** The "no handle" value: never returned by pushCancellable, and cancel(NO_EVENT) is false. */
export const NO_EVENT = -1;
/**
 * Insertion counters are renumbered before counter·2 + 1 would overflow the 32-bit seq word.
 */
const SEQ_LIMIT = 2 ** 31 - 1;
/** Tokens (concurrently pending cancellable events, cancelled ones included) are below this. */
const TOKEN_SPACE = 2 ** 26;
/**
 * Handles are generation·TOKEN_SPACE + token. A token whose generation would reach this is
 * retired instead of reused, so handles stay below 2^53 and a stale handle never matches.
 */
const GENERATION_LIMIT = 2 ** 27;
/** Cancelled entries are swept out of the heap once they are more than half of it (and this many). */
const COMPACT_MIN = 1024;

/** The future-event list. */
export class EventQueue {
  private f: Float64Array; // f[2i] = time of entry i
  private u: Uint32Array; // u[4i + 2] = seq word, u[4i + 3] = payload of entry i
  private n = 0; // heap entries, cancelled ones included
  private dead = 0; // heap entries that are cancelled
  private nextSeq = 0;

  // Token table of cancellable events, grown by doubling.
  private tokenKind = new Uint8Array(16);
  private tokenSubject = new Uint32Array(16);
  private tokenGeneration = new Uint32Array(16);
  private tokenLive = new Uint8Array(16); // 1 while pending and not cancelled
  private tokensUsed = 0; // tokens ever handed out (high-water mark)
  private freeTokens = new Uint32Array(16); // stack of freed tokens
  private freeCount = 0;

  /** `seqLimit` is for tests: insertion counters are renumbered when they reach it. */
  constructor(
    initialCapacity = 1024,
    private readonly seqLimit = SEQ_LIMIT,
  ) {
    if (!(seqLimit >= 1 && seqLimit <= SEQ_LIMIT)) throw new RangeError(`seqLimit ${seqLimit} is outside [1, ${SEQ_LIMIT}]`);
    const buffer = new ArrayBuffer(Math.max(16, initialCapacity) * 16);
    this.f = new Float64Array(buffer);
    this.u = new Uint32Array(buffer);
  }

  /** Number of pending live (not cancelled) events. */
  get size(): number {
    return this.n - this.dead;
  }

  /** Time of the earliest pending live event (Infinity when there is none). */
  peekTime(): number {
    if (this.dead > 0) this.dropCancelledTop();
    return this.n > 0 ? this.f[0] : Infinity;
  }

  /** Kind of the most recently popped event. */
  poppedKind = 0;
  /** Subject of the most recently popped event. */
  poppedSubject = 0;
  /** Time of the most recently popped event. */
  poppedTime = 0;

  /** Schedules an event that cannot be cancelled; kind ≤ MAX_EVENT_KIND, 0 ≤ subject ≤ MAX_EVENT_SUBJECT. */
  push(time: number, kind: number, subject: number): void {
    if (subject > SUBJECT_MASK || subject < 0 || kind > MAX_EVENT_KIND || kind < 0) throw misfit(kind, subject);
    if (this.nextSeq === this.seqLimit) this.renumber();
    this.insert(time, this.nextSeq++ * 2, ((kind << SUBJECT_BITS) | subject) >>> 0);
  }

  /** Schedules an event that cancel() can withdraw; returns its handle (a non-negative integer below 2^53). */
  pushCancellable(time: number, kind: number, subject: number): number {
    if (subject > SUBJECT_MASK || subject < 0 || kind > MAX_EVENT_KIND || kind < 0) throw misfit(kind, subject);
    if (this.nextSeq === this.seqLimit) this.renumber();
    const token = this.takeToken();
    this.tokenKind[token] = kind;
    this.tokenSubject[token] = subject;
    this.tokenLive[token] = 1;
    this.insert(time, this.nextSeq++ * 2 + 1, token);
    return this.tokenGeneration[token] * TOKEN_SPACE + token;
  }

  /**
   * Cancels the pending event of `handle` and returns true; returns false when that event
   * already ran or was already cancelled (or the handle is NO_EVENT or not one of ours).
   */
  cancel(handle: number): boolean {
    if (!Number.isSafeInteger(handle) || handle < 0) return false;
    const token = handle % TOKEN_SPACE;
    // A token is freed (and its generation bumped) only when its entry leaves the heap, so
    // a matching generation means the entry is still in the heap.
    if (token >= this.tokensUsed || this.tokenGeneration[token] !== (handle - token) / TOKEN_SPACE) return false;
    if (this.tokenLive[token] === 0) return false;
    this.tokenLive[token] = 0;
    this.dead++;
    if (this.dead * 2 > this.n && this.n >= COMPACT_MIN) this.compact();
    return true;
  }

  /** Removes the earliest live event; its fields are left in poppedTime/Kind/Subject. Returns false when none is left. */
  pop(): boolean {
    for (;;) {
      if (this.n === 0) return false;
      const u = this.u;
      const word = u[2];
      const payload = u[3];
      const time = this.f[0];
      this.removeTop();
      if ((word & 1) === 0) {
        this.poppedTime = time;
        this.poppedKind = payload >>> SUBJECT_BITS;
        this.poppedSubject = payload & SUBJECT_MASK;
        return true;
      }
      const live = this.tokenLive[payload];
      const kind = this.tokenKind[payload];
      const subject = this.tokenSubject[payload];
      this.freeToken(payload);
      if (live === 1) {
        this.poppedTime = time;
        this.poppedKind = kind;
        this.poppedSubject = subject;
        return true;
      }
      this.dead--;
    }
  }

  /** Pending live events of one kind (a scan: for end-of-run checks, not for the hot path). */
  count(kind: number): number {
    const u = this.u;
    let c = 0;
    for (let i = 0; i < this.n; i++) {
      const payload = u[4 * i + 3];
      if ((u[4 * i + 2] & 1) === 0) {
        if (payload >>> SUBJECT_BITS === kind) c++;
      } else if (this.tokenLive[payload] === 1 && this.tokenKind[payload] === kind) c++;
    }
    return c;
  }

  /** Sifts a new entry up from the end of the heap. */
  private insert(time: number, word: number, payload: number): void {
    if (this.n * 2 + 2 > this.f.length) this.grow();
    const f = this.f;
    const u = this.u;
    let i = this.n++;
    // Sift up, moving parents down into the hole.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = f[2 * p];
      if (pt < time || (pt === time && u[4 * p + 2] < word)) break;
      f[2 * i] = pt;
      u[4 * i + 2] = u[4 * p + 2];
      u[4 * i + 3] = u[4 * p + 3];
      i = p;
    }
    f[2 * i] = time;
    u[4 * i + 2] = word;
    u[4 * i + 3] = payload;
  }

  /** Removes entry 0 (n > 0), sifting the last entry down from the root. */
  private removeTop(): void {
    const last = --this.n;
    if (last === 0) return;
    const f = this.f;
    const u = this.u;
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
  }

  /** Pops cancelled entries off the top so that entry 0, if any, is live. */
  private dropCancelledTop(): void {
    const u = this.u;
    while (this.n > 0 && (u[2] & 1) === 1 && this.tokenLive[u[3]] === 0) {
      this.freeToken(u[3]);
      this.removeTop();
      this.dead--;
    }
  }

  /** Drops every cancelled entry and rebuilds the heap, so cancelled timers cannot pile up. */
  private compact(): void {
    const f = this.f;
    const u = this.u;
    let m = 0;
    for (let i = 0; i < this.n; i++) {
      const word = u[4 * i + 2];
      const payload = u[4 * i + 3];
      if ((word & 1) === 1 && this.tokenLive[payload] === 0) {
        this.freeToken(payload);
        continue;
      }
      f[2 * m] = f[2 * i];
      u[4 * m + 2] = word;
      u[4 * m + 3] = payload;
      m++;
    }
    this.n = m;
    this.dead = 0;
    // Floyd's heapify; (time, seq) keys are unchanged, so pops come out in the same order.
    for (let i = (m >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /** Restores the heap property below entry i. */
  private siftDown(i: number): void {
    const f = this.f;
    const u = this.u;
    const n = this.n;
    const t = f[2 * i];
    const s = u[4 * i + 2];
    const pl = u[4 * i + 3];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n) {
        const rt = f[2 * c + 2];
        const ct = f[2 * c];
        if (rt < ct || (rt === ct && u[4 * c + 6] < u[4 * c + 2])) c++;
      }
      const ct = f[2 * c];
      if (t < ct || (t === ct && s < u[4 * c + 2])) break;
      f[2 * i] = ct;
      u[4 * i + 2] = u[4 * c + 2];
      u[4 * i + 3] = u[4 * c + 3];
      i = c;
    }
    f[2 * i] = t;
    u[4 * i + 2] = s;
    u[4 * i + 3] = pl;
  }

  /** Replaces every pending counter by its rank among them, keeping order and flags (once per 2^31 pushes). */
  private renumber(): void {
    if (this.dead > 0) this.compact(); // rank live entries only
    const n = this.n;
    const u = this.u;
    const entries = Array.from({ length: n }, (_, i) => i).sort((a, b) => u[4 * a + 2] - u[4 * b + 2]);
    entries.forEach((entry, rank) => (u[4 * entry + 2] = rank * 2 + (u[4 * entry + 2] & 1)));
    this.nextSeq = n;
    if (n >= this.seqLimit) throw new RangeError(`more than ${this.seqLimit} events pending`);
  }

  /** A free token, growing the table when none is. */
  private takeToken(): number {
    if (this.freeCount > 0) return this.freeTokens[--this.freeCount];
    const token = this.tokensUsed;
    if (token === TOKEN_SPACE) throw new RangeError(`more than ${TOKEN_SPACE} cancellable events pending`);
    if (token === this.tokenKind.length) this.growTokens();
    this.tokensUsed++;
    return token;
  }

  /** Returns a token whose entry left the heap; its generation moves on so old handles go stale. */
  private freeToken(token: number): void {
    this.tokenLive[token] = 0;
    const generation = this.tokenGeneration[token] + 1;
    this.tokenGeneration[token] = generation;
    if (generation === GENERATION_LIMIT) return; // retired: its handles would no longer be unique
    this.freeTokens[this.freeCount++] = token;
  }

  private growTokens(): void {
    const size = this.tokenKind.length * 2;
    this.tokenKind = larger(this.tokenKind, size);
    this.tokenSubject = larger(this.tokenSubject, size);
    this.tokenGeneration = larger(this.tokenGeneration, size);
    this.tokenLive = larger(this.tokenLive, size);
    this.freeTokens = larger(this.freeTokens, size);
  }

  private grow(): void {
    const buffer = new ArrayBuffer(this.f.byteLength * 2);
    new Uint8Array(buffer).set(new Uint8Array(this.f.buffer));
    this.f = new Float64Array(buffer);
    this.u = new Uint32Array(buffer);
  }
}

/** A copy of a typed array in a larger one of the same type. */
function larger<T extends Uint8Array | Uint32Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/** The error of an event that does not fit the payload (kept out of push so push stays small). */
function misfit(kind: number, subject: number): RangeError {
  return new RangeError(`event (kind ${kind}, subject ${subject}) does not fit the queue (kind ≤ ${MAX_EVENT_KIND}, subject ≤ ${MAX_EVENT_SUBJECT})`);
}
