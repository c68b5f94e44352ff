import { assess, type CompressionPolicy } from './policy.ts';
import { FP32 } from './variant.ts';

/** Baseline `none`: every device runs the model as declared, uncompressed (fp32 unless the workload declares another precision), whether it fits or not. Cost O(layers). */
export const noCompression: CompressionPolicy = {
  name: 'none',
  decide: (request) => ({ ...assess(request, FP32), policy: 'none', reason: 'fp32 everywhere' }),
};
