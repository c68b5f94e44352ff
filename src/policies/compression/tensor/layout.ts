/**
 * Layout of a weight matrix in memory. The encoder (`encode.ts`) and the arithmetic of
 * `weight-matrix.ts` index a layer's weights as PyTorch and ONNX store a Linear weight: [out, in],
 * one row per output, one column per input, row-major — so a CSR index has outputs + 1 row
 * pointers. A tensor kept input-major ([in, out], as `learning/mlp.ts` keeps W1 and W2 for its
 * sparse-input forward pass) is transposed to [out, in] before encoding and back after decoding.
 */

/** The cols × rows transpose of a rows × cols row-major matrix: out[c·rows + r] = values[r·cols + c]. Cost O(rows·cols). */
export function transpose(values: Float32Array, rows: number, cols: number, out: Float32Array = new Float32Array(rows * cols)): Float32Array {
  if (values.length !== rows * cols) throw new RangeError(`a ${rows} × ${cols} matrix holds ${rows * cols} values, got ${values.length}`);
  if (out.length !== values.length) throw new RangeError(`output holds ${out.length} values, the matrix ${values.length}`);
  if (out === values) throw new RangeError('transpose cannot write over its input');
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = values[row + c];
  }
  return out;
}
