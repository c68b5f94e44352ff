/**
 * Bit packing of the codes a compressed tensor stores: code i occupies bits i·b … i·b + b − 1 of
 * the stream, least significant first, bit k of the stream being bit (k mod 8) of byte ⌊k/8⌋;
 * the stream is padded to a whole byte. Cost O(count · bits).
 */

/** Writes `codes` at `bits` bits each into `out` from byte `offset`; returns the bytes written, ⌈count·bits/8⌉. */
export function packBits(codes: ArrayLike<number>, bits: number, out: Uint8Array, offset: number): number {
  let bit = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    for (let b = 0; b < bits; b++, bit++) {
      if ((code >>> b) & 1) out[offset + (bit >>> 3)] |= 1 << (bit & 7);
    }
  }
  return Math.ceil(bit / 8);
}

/** Reads `count` codes of `bits` bits from `src` at byte `offset` into `out`; returns the bytes read. */
export function unpackBits(src: Uint8Array, offset: number, count: number, bits: number, out: Uint32Array): number {
  let bit = 0;
  for (let i = 0; i < count; i++) {
    let code = 0;
    for (let b = 0; b < bits; b++, bit++) {
      if ((src[offset + (bit >>> 3)] >>> (bit & 7)) & 1) code |= 1 << b;
    }
    out[i] = code >>> 0;
  }
  return Math.ceil(bit / 8);
}
