import { edelearCompression, type EdelearCompressionOptions } from './edelear.ts';
import { int8Compression } from './int8.ts';
import { maxCompression } from './max.ts';
import { noCompression } from './none.ts';
import type { CompressionPolicy } from './policy.ts';

/** Names a scenario may give the compression policy. */
export const COMPRESSION_POLICIES = ['edelear', 'none', 'int8', 'max'] as const;
/** One of {@link COMPRESSION_POLICIES}. */
export type CompressionPolicyName = (typeof COMPRESSION_POLICIES)[number];

/** Turns a scenario's compression choice into the policy that makes it. */
export function compressionPolicy(name: CompressionPolicyName, options: EdelearCompressionOptions = {}): CompressionPolicy {
  switch (name) {
    case 'edelear':
      return edelearCompression(options);
    case 'none':
      return noCompression;
    case 'int8':
      return int8Compression;
    case 'max':
      return maxCompression;
  }
}
