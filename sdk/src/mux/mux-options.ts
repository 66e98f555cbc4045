import {
  DEFAULT_CHANNEL_WINDOW,
  DEFAULT_MAX_CHANNELS,
  DEFAULT_MAX_FRAME_SIZE,
  DEFAULT_MAX_MESSAGE_SIZE,
  DEFAULT_MAX_REASSEMBLY_BYTES,
  MAX_FRAME_SIZE_LIMIT,
  MIN_FRAME_SIZE,
  PROTOCOL_INITIAL_WINDOW,
} from '../constants.js';
import { TetherError } from '../errors/tether-error.js';
import { MAX_CREDIT } from './frame.js';
import type { MuxRole, MuxSessionOptions } from './mux-types.js';

/** Options with every default filled in and every value checked. */
export interface ResolvedMuxOptions {
  readonly role: MuxRole;
  readonly maxFrameSize: number;
  readonly maxMessageSize: number;
  readonly maxReassemblyBytes: number;
  readonly maxChannels: number;
  readonly channelWindow: number;
}

/** Upper bound of `maxMessageSize`: the largest byte array Node allocates on every platform (2 GiB − 1). */
const MAX_MESSAGE_SIZE_LIMIT = 0x7fff_ffff;

/** Upper bound of `maxChannels`: the ids one side can allocate (odd or even u32 values). */
const MAX_CHANNELS_LIMIT = 0x7fff_ffff;

/** Checks `options` and fills in the defaults; throws TetherError('INVALID_OPTIONS') naming the option. */
export function resolveMuxOptions(options: MuxSessionOptions): ResolvedMuxOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TetherError('INVALID_OPTIONS', 'Mux session options must be an object with at least a `role`.');
  }
  const role: unknown = options.role;
  if (role !== 'initiator' && role !== 'acceptor') {
    throw new TetherError(
      'INVALID_OPTIONS',
      `Mux option \`role\` must be 'initiator' (the host) or 'acceptor' (the plugin), got ${describe(role)}.`,
    );
  }
  const maxMessageSize = integerOption(
    'maxMessageSize',
    options.maxMessageSize,
    DEFAULT_MAX_MESSAGE_SIZE,
    1,
    MAX_MESSAGE_SIZE_LIMIT,
    'bytes',
  );
  const maxReassemblyBytes = integerOption(
    'maxReassemblyBytes',
    options.maxReassemblyBytes,
    Math.max(DEFAULT_MAX_REASSEMBLY_BYTES, maxMessageSize),
    1,
    Number.MAX_SAFE_INTEGER,
    'bytes',
  );
  if (maxReassemblyBytes < maxMessageSize) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `Mux option \`maxReassemblyBytes\` (${maxReassemblyBytes}) must be at least \`maxMessageSize\` (${maxMessageSize}), or no message of the largest allowed size could be received; raise it or leave it out.`,
    );
  }
  return {
    role,
    maxFrameSize: integerOption(
      'maxFrameSize',
      options.maxFrameSize,
      DEFAULT_MAX_FRAME_SIZE,
      MIN_FRAME_SIZE,
      MAX_FRAME_SIZE_LIMIT,
      'bytes',
    ),
    maxMessageSize,
    maxReassemblyBytes,
    maxChannels: integerOption(
      'maxChannels',
      options.maxChannels,
      DEFAULT_MAX_CHANNELS,
      1,
      MAX_CHANNELS_LIMIT,
      'channels',
    ),
    channelWindow: integerOption(
      'channelWindow',
      options.channelWindow,
      DEFAULT_CHANNEL_WINDOW,
      PROTOCOL_INITIAL_WINDOW,
      MAX_CREDIT,
      'bytes',
    ),
  };
}

function integerOption(
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
  unit: string,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `Mux option \`${name}\` must be an integer from ${min} to ${max} (${unit}), got ${describe(value)}; leave it out for the default of ${fallback}.`,
    );
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  return typeof value;
}
