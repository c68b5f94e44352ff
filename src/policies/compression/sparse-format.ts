/**
 * Index overhead of the formats that store a pruned weight matrix, in bytes. A matrix has
 * `rows` × `cols` positions — rows the layer's outputs, cols its inputs ([out, in], PyTorch's and
 * ONNX's Linear weight; `weight-matrix.ts`, `tensor/layout.ts`) — of which `nonzeros` are stored:
 * the positions magnitude pruning keeps, a kept weight equal to 0 included (`tensor/prune.ts`).
 * The stored values themselves are counted by the value coding (`coding.ts`), not here.
 *
 * - CSR (compressed sparse row; Saad, "Iterative Methods for Sparse Linear Systems", 2003,
 *   §3.4): one column index per stored value — uint16 when every column index fits
 *   (cols ≤ 65,536), else uint32 — and rows + 1 uint32 row pointers.
 * - Bitmask: one bit per position (1 = stored), ⌈rows·cols / 8⌉ bytes.
 */
import type { SparseFormat } from './variant.ts';

/** Bytes of one CSR row pointer (uint32: a layer never holds 2^32 weights). */
export const ROW_POINTER_BYTES = 4;

/** Bytes of one CSR column index: 2 (uint16) when columns 0 … cols − 1 fit in 16 bits, else 4. */
export function columnIndexBytes(cols: number): number {
  return cols <= 2 ** 16 ? 2 : 4;
}

/** CSR index bytes: nonzeros column indices plus rows + 1 row pointers. Cost O(1). */
export function csrIndexBytes(rows: number, cols: number, nonzeros: number): number {
  return nonzeros * columnIndexBytes(cols) + (rows + 1) * ROW_POINTER_BYTES;
}

/** Bitmask index bytes: one bit per position, padded to a whole byte. Cost O(1). */
export function bitmaskIndexBytes(positions: number): number {
  return Math.ceil(positions / 8);
}

/**
 * Index bytes of a pruned rows × cols matrix with `nonzeros` stored values in a format;
 * `positions` (default rows·cols) is what a bitmask covers when the last row is partial.
 */
export function sparseIndexBytes(format: SparseFormat, rows: number, cols: number, nonzeros: number, positions = rows * cols): number {
  return format === 'csr' ? csrIndexBytes(rows, cols, nonzeros) : bitmaskIndexBytes(positions);
}
