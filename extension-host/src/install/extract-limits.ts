import { TetherError } from '@tether/sdk';
import {
  DEFAULT_EXTRACT_MAX_ENTRIES,
  DEFAULT_EXTRACT_MAX_ENTRY_BYTES,
  DEFAULT_EXTRACT_MAX_EXPANSION_RATIO,
  DEFAULT_EXTRACT_MAX_TOTAL_BYTES,
} from '../constants.js';

/** Caps on what a package archive may unpack to; every field is optional (defaults in `constants.ts`). */
export interface ExtractLimits {
  /** Most entries, files and folders (default {@link DEFAULT_EXTRACT_MAX_ENTRIES}). */
  readonly maxEntries?: number | undefined;
  /**
   * Most bytes unpacked: the sum of the entries' sizes, and the decompressed archive stream with its tar
   * headers (default {@link DEFAULT_EXTRACT_MAX_TOTAL_BYTES}).
   */
  readonly maxTotalBytes?: number | undefined;
  /** Largest single entry, in bytes (default {@link DEFAULT_EXTRACT_MAX_ENTRY_BYTES}). */
  readonly maxEntryBytes?: number | undefined;
  /**
   * Highest ratio of decompressed to compressed bytes, checked while the archive streams (default
   * {@link DEFAULT_EXTRACT_MAX_EXPANSION_RATIO}). Not checked below `EXTRACT_RATIO_GRACE_BYTES` unpacked.
   */
  readonly maxExpansionRatio?: number | undefined;
}

/** {@link ExtractLimits} with every default applied. */
export type ResolvedExtractLimits = { readonly [K in keyof ExtractLimits]-?: number };

/** Applies defaults and checks ranges; throws `TetherError('INVALID_OPTIONS')` naming the bad field. */
export function resolveExtractLimits(limits: ExtractLimits = {}): ResolvedExtractLimits {
  return {
    maxEntries: positiveInteger('maxEntries', limits.maxEntries, DEFAULT_EXTRACT_MAX_ENTRIES),
    maxTotalBytes: positiveInteger('maxTotalBytes', limits.maxTotalBytes, DEFAULT_EXTRACT_MAX_TOTAL_BYTES),
    maxEntryBytes: positiveInteger('maxEntryBytes', limits.maxEntryBytes, DEFAULT_EXTRACT_MAX_ENTRY_BYTES),
    maxExpansionRatio: ratio(limits.maxExpansionRatio),
  };
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `Extract limit ${name} must be a whole number of at least 1, got ${String(value)}.`,
    );
  }
  return value;
}

function ratio(value: number | undefined): number {
  if (value === undefined) return DEFAULT_EXTRACT_MAX_EXPANSION_RATIO;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `Extract limit maxExpansionRatio must be a finite number of at least 1, got ${String(value)}.`,
    );
  }
  return value;
}
