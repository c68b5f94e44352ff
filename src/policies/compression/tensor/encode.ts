/**
 * A real weight tensor compressed by a variant into bytes, and back. The byte layout — the
 * stored size the arithmetic of `model-size.ts` counts — is, in order (little-endian):
 *
 * 1. coding block: quantization → fp32 min, fp32 max; sharing → k fp32 codebook entries;
 *    sharing then quantization → fp32 min, fp32 max, then the k' = min(k, N) codebook entries as
 *    ⌈log2 N⌉-bit grid levels (packed, `bits.ts`); nothing for fp32.
 * 2. index block (pruned variants only): CSR → rows + 1 uint32 row pointers, then one column
 *    index per stored value (uint16 when cols ≤ 65,536, else uint32); bitmask → one bit per
 *    position (`sparse-format.ts`).
 * 3. value block: one fp32 per stored value, or one packed code of the coding's bits
 *    (`coding.ts`) per stored value.
 *
 * Stored values are all positions, or after magnitude pruning the positions its mask keeps
 * (`prune.ts`: exactly n − round(s·n), in row-major order). A kept weight is stored whatever its
 * value — one that was 0 before pruning, or that sharing or quantization sends to a zero level —
 * so the stored count is the mask's and the size is the one `model-size.ts` counts for
 * nonzeros = params − round(s·params); testing values against 0 instead would store fewer when
 * a tensor holds more exact zeros than pruning drops, and code the rest on another range.
 *
 * The matrix is [out, in] row-major (`layout.ts`): rows are the layer's outputs, columns its
 * inputs, as PyTorch and ONNX store a Linear weight and as `weight-matrix.ts` counts a zoo layer,
 * so CSR has outputs + 1 row pointers. The shape is the architecture's and is not stored.
 * Operations in the paper's order: prune (`prune.ts`) → share (`share.ts`) → quantize
 * (`quantize.ts`, `grid.ts`). Structured (channel) pruning changes the architecture and is not a
 * tensor operation here.
 */
import { packedBytes, valueCoding } from '../coding.ts';
import { columnIndexBytes, ROW_POINTER_BYTES, sparseIndexBytes } from '../sparse-format.ts';
import { checkVariant, indexBits, type CompressionVariant } from '../variant.ts';
import { packBits, unpackBits } from './bits.ts';
import { gridLevel, gridValue, uniformGrid } from './grid.ts';
import { magnitudeMask } from './prune.ts';
import { quantizeUniform } from './quantize.ts';
import { range, shareWeights } from './share.ts';

/** A tensor's shape as the row-major matrix its sparse formats index: [out, in], as `weight-matrix.ts`. */
export interface MatrixShape {
  /** Outputs of the layer (CSR row pointers: rows + 1). */
  readonly rows: number;
  /** Inputs of each output (its fan-in). */
  readonly cols: number;
}

/** A compressed tensor: its bytes, the weights decoded from them, and how many values it stores. */
export interface EncodedTensor {
  readonly bytes: Uint8Array;
  /** decodeTensor(bytes): the weights a device computes with. */
  readonly decoded: Float32Array;
  /** Values stored: all of them, or the positions the pruning mask keeps (zeros among them included). */
  readonly stored: number;
}

/** The coding block and the code of every stored value (undefined: raw fp32 values). */
interface Coded {
  readonly block: Uint8Array;
  readonly codes: Uint32Array | undefined;
}

/**
 * Compresses `weights` (rows·cols values, [out, in] row-major) by a variant: prune, share,
 * quantize, then lay out the bytes as documented above. The decoded weights are read back from
 * those bytes. Cost O(n log n).
 */
export function encodeTensor(weights: Float32Array, shape: MatrixShape, variant: CompressionVariant): EncodedTensor {
  checkVariant(variant);
  if (variant.channels) throw new Error(`variant ${variant.name}: channel pruning changes the architecture, not one tensor`);
  const n = shape.rows * shape.cols;
  if (weights.length !== n) throw new RangeError(`a ${shape.rows} × ${shape.cols} tensor holds ${n} values, got ${weights.length}`);
  // The positions pruning keeps, by its mask (not by value: a kept weight equal to 0 is stored).
  const keep = variant.pruning ? magnitudeMask(weights, variant.pruning.sparsity) : undefined;
  const positions: number[] = [];
  for (let i = 0; i < n; i++) if (!keep || keep[i] === 1) positions.push(i);
  const values = Float32Array.from(positions, (i) => weights[i]);
  const coded = codeValues(values, variant);
  const bits = valueCoding(variant).bits;
  const indexBytes = variant.pruning ? sparseIndexBytes(variant.pruning.format, shape.rows, shape.cols, values.length) : 0;
  const bytes = new Uint8Array(coded.block.length + indexBytes + packedBytes(values.length, bits));
  bytes.set(coded.block, 0);
  let at = coded.block.length;
  if (variant.pruning) at += writeIndex(bytes, at, variant.pruning.format, shape, positions);
  if (coded.codes) packBits(coded.codes, bits, bytes, at);
  else {
    const view = new DataView(bytes.buffer);
    values.forEach((v, k) => view.setFloat32(at + 4 * k, v, true));
  }
  return { bytes, decoded: decodeTensor(bytes, shape, variant), stored: values.length };
}

/** Reads a tensor's weights back from the bytes {@link encodeTensor} wrote for the same shape and variant. Cost O(n). */
export function decodeTensor(bytes: Uint8Array, shape: MatrixShape, variant: CompressionVariant): Float32Array {
  const n = shape.rows * shape.cols;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { sharing, quantization, pruning } = variant;
  let at = 0;
  let decode: ((code: number) => number) | undefined;
  if (quantization) {
    const grid = uniformGrid(view.getFloat32(0, true), view.getFloat32(4, true), quantization.levels);
    at = 8;
    if (sharing) {
      const entries = Math.min(sharing.clusters, quantization.levels);
      const levels = new Uint32Array(entries);
      at += unpackBits(bytes, at, entries, indexBits(quantization.levels), levels);
      decode = (code) => gridValue(grid, levels[code]);
    } else decode = (code) => gridValue(grid, code);
  } else if (sharing) {
    const codebook = new Float32Array(sharing.clusters);
    for (let j = 0; j < codebook.length; j++) codebook[j] = view.getFloat32(4 * j, true);
    at = 4 * codebook.length;
    decode = (code) => codebook[code];
  }
  let positions: Int32Array;
  if (!pruning) positions = Int32Array.from({ length: n }, (_, i) => i);
  else if (pruning.format === 'csr') {
    const width = columnIndexBytes(shape.cols);
    const count = view.getUint32(at + ROW_POINTER_BYTES * shape.rows, true);
    positions = new Int32Array(count);
    const cols = at + ROW_POINTER_BYTES * (shape.rows + 1);
    for (let r = 0; r < shape.rows; r++) {
      for (let k = view.getUint32(at + ROW_POINTER_BYTES * r, true); k < view.getUint32(at + ROW_POINTER_BYTES * (r + 1), true); k++) {
        positions[k] = r * shape.cols + (width === 2 ? view.getUint16(cols + 2 * k, true) : view.getUint32(cols + 4 * k, true));
      }
    }
    at = cols + width * count;
  } else {
    const found: number[] = [];
    for (let i = 0; i < n; i++) if ((bytes[at + (i >>> 3)] >>> (i & 7)) & 1) found.push(i);
    positions = Int32Array.from(found);
    at += Math.ceil(n / 8);
  }
  const out = new Float32Array(n);
  if (decode) {
    const codes = new Uint32Array(positions.length);
    unpackBits(bytes, at, positions.length, valueCoding(variant).bits, codes);
    positions.forEach((p, k) => (out[p] = decode(codes[k])));
  } else positions.forEach((p, k) => (out[p] = view.getFloat32(at + 4 * k, true)));
  return out;
}

/** Shares and/or quantizes the stored values: the coding block and a code per value. */
function codeValues(values: Float32Array, variant: CompressionVariant): Coded {
  const { sharing, quantization } = variant;
  if (quantization && !sharing) {
    const q = quantizeUniform(values, quantization.levels);
    return { block: header(q.min, q.max, 0), codes: q.codes };
  }
  if (sharing && !quantization) {
    const s = shareWeights(values, sharing.clusters, sharing.method);
    const block = new Uint8Array(4 * s.codebook.length);
    s.codebook.forEach((c, j) => new DataView(block.buffer).setFloat32(4 * j, c, true));
    return { block, codes: s.codes };
  }
  if (sharing && quantization) {
    const s = shareWeights(values, sharing.clusters, sharing.method);
    const [min, max] = range(values);
    const grid = uniformGrid(min, max, quantization.levels);
    // After quantization at most N distinct values remain: with k > N the codebook is the N levels themselves.
    const fewer = sharing.clusters > quantization.levels;
    const levels = fewer ? Uint32Array.from({ length: quantization.levels }, (_, q) => q) : Uint32Array.from(s.codebook, (c) => gridLevel(grid, c));
    const codes = fewer ? Uint32Array.from(s.codes, (c) => gridLevel(grid, s.codebook[c])) : s.codes;
    const levelBits = indexBits(quantization.levels);
    const block = header(min, max, packedBytes(levels.length, levelBits));
    packBits(levels, levelBits, block, 8);
    return { block, codes };
  }
  return { block: new Uint8Array(0), codes: undefined };
}

/** An 8-byte fp32 min/max header followed by `extra` zero bytes. */
function header(min: number, max: number, extra: number): Uint8Array {
  const block = new Uint8Array(8 + extra);
  const view = new DataView(block.buffer);
  view.setFloat32(0, min, true);
  view.setFloat32(4, max, true);
  return block;
}

/** Writes the sparse index of the stored positions (ascending) at `at`; returns its bytes. */
function writeIndex(bytes: Uint8Array, at: number, format: 'csr' | 'bitmask', shape: MatrixShape, positions: readonly number[]): number {
  if (format === 'bitmask') {
    for (const p of positions) bytes[at + (p >>> 3)] |= 1 << (p & 7);
    return Math.ceil((shape.rows * shape.cols) / 8);
  }
  const view = new DataView(bytes.buffer);
  const width = columnIndexBytes(shape.cols);
  const cols = at + ROW_POINTER_BYTES * (shape.rows + 1);
  let k = 0;
  for (let r = 0; r <= shape.rows; r++) {
    while (k < positions.length && positions[k] < r * shape.cols) k++;
    view.setUint32(at + ROW_POINTER_BYTES * r, k, true);
  }
  positions.forEach((p, j) => {
    const c = p % shape.cols;
    if (width === 2) view.setUint16(cols + 2 * j, c, true);
    else view.setUint32(cols + 4 * j, c, true);
  });
  return ROW_POINTER_BYTES * (shape.rows + 1) + width * positions.length;
}
