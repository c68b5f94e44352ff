import { assess, type CompressionPolicy } from './policy.ts';
import { INT8 } from './variant.ts';

/**
 * Baseline `int8`: every device runs the model with weights and activations uniformly quantized
 * to 256 levels, at int8 speed where the device has an int8 figure (else fp16 or fp32, see
 * `execution.ts`). Cost O(layers).
 */
export const int8Compression: CompressionPolicy = {
  name: 'int8',
  decide: (request) => ({ ...assess(request, INT8), policy: 'int8', reason: 'int8 everywhere' }),
};
