/**
 * Typed arrays for state sized by the world — per node, per link, per workload instance — over a
 * SharedArrayBuffer when large. V8 counts an ArrayBuffer's memory as external and, each time about
 * 64 MiB more of it has been allocated since its last full collection, starts one, marking the
 * whole heap: building a world of 10^6 devices allocates about 1 GiB of such arrays, and V8 marked
 * its ≈ 660 MB heap about ten times over while doing so (`node --trace-incremental-marking`:
 * "Start (external memory pressure)"), so the build grew faster than the world. A
 * SharedArrayBuffer's memory does not count towards that limit (2 GiB in 8 MiB pieces beside a
 * large heap: 2 full collections against 19), and its typed arrays are read and written as fast.
 * Nothing here is shared with another thread: the buffer is only a kind of memory. Small arrays
 * (below {@link SHARED_FROM} bytes) stay ordinary, so the many small worlds of tests allocate as
 * before.
 */
export const SHARED_FROM = 1 << 16;

function buffer(bytes: number): ArrayBufferLike {
  return bytes >= SHARED_FROM ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

/** A Float64Array of n zeros (over a SharedArrayBuffer when large). */
export function float64Array(n: number): Float64Array {
  return new Float64Array(buffer(8 * n));
}

/** An Int32Array of n zeros (over a SharedArrayBuffer when large). */
export function int32Array(n: number): Int32Array {
  return new Int32Array(buffer(4 * n));
}

/** A Uint8Array of n zeros (over a SharedArrayBuffer when large). */
export function uint8Array(n: number): Uint8Array {
  return new Uint8Array(buffer(n));
}

/** An Int32Array holding `values` (over a SharedArrayBuffer when large). */
export function int32ArrayOf(values: ArrayLike<number>): Int32Array {
  const a = int32Array(values.length);
  a.set(values);
  return a;
}

/** A Float64Array of f(item) for each item (over a SharedArrayBuffer when large). */
export function float64ArrayOf<T>(items: readonly T[], f: (item: T) => number): Float64Array {
  const a = float64Array(items.length);
  items.forEach((item, k) => (a[k] = f(item)));
  return a;
}

/** A Uint8Array of f(item) for each item (over a SharedArrayBuffer when large). */
export function uint8ArrayOf<T>(items: readonly T[], f: (item: T) => number): Uint8Array {
  const a = uint8Array(items.length);
  items.forEach((item, k) => (a[k] = f(item)));
  return a;
}
