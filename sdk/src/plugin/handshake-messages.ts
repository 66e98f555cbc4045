// The messages of the plugin handshake (protocol.md section 5.2): one UTF-8 JSON object per mux message on
// the channel labelled `tether.handshake`, opened by the plugin.
import { MAX_HANDSHAKE_MESSAGE_SIZE } from '../constants.js';
import { TetherError } from '../errors/tether-error.js';

/** Label of the mux channel the plugin opens for the handshake. */
export const HANDSHAKE_CHANNEL_LABEL = 'tether.handshake';

/** plugin → host: who the plugin is and what it serves. */
export interface HelloMessage {
  readonly type: 'hello';
  /** The core (wire) protocol version the plugin's SDK speaks: `PROTOCOL_VERSION`. */
  readonly core: number;
  /** The plugin's SDK version, e.g. '0.1.0'. */
  readonly sdk: string;
  readonly pid: number;
  /** The magic cookie value the plugin found in its environment, or null when it found none. */
  readonly cookie: string | null;
  /** Each app protocol version the plugin serves (as a decimal string key) → the service names it serves then. */
  readonly versions: Readonly<Record<string, readonly string[]>>;
  /**
   * The per-launch secret the host handed this plugin in `TETHER_PLUGIN_SECRET` (protocol.md 5.2): proves
   * that this connection comes from the process the host started. Absent when the plugin found none.
   */
  readonly auth?: string;
  /**
   * True when the plugin can acknowledge the host's calls with ACK messages (protocol.md section 4.8).
   * Absent from older SDKs' HELLO: the host then never asks for ACKs and never flags the plugin unresponsive.
   */
  readonly acks?: boolean;
}

/** host → plugin: the negotiated app protocol version and the services to expose. */
export interface WelcomeMessage {
  readonly type: 'welcome';
  readonly version: number;
  readonly services: readonly string[];
  /**
   * True when the host wants ACKs: the plugin offered them in its HELLO and the host tracks
   * responsiveness. Only then does the plugin send any (an older host would reject the message kind).
   */
  readonly acks?: boolean;
}

/** Codes a REJECT carries. */
export type RejectCode = 'AUTH_FAILED' | 'COOKIE_MISMATCH' | 'CORE_VERSION_MISMATCH' | 'NO_COMMON_VERSION';

/** host → plugin: the plugin may not run; it writes `message` to stderr and exits 1. */
export interface RejectMessage {
  readonly type: 'reject';
  readonly code: RejectCode;
  readonly message: string;
}

/** plugin → host: the services of the negotiated version are exposed; the plugin is started. */
export interface ReadyMessage {
  readonly type: 'ready';
}

/** host → plugin: stop within `graceMs` (stop taking calls, run stop hooks, close, exit 0). */
export interface StopMessage {
  readonly type: 'stop';
  readonly graceMs: number;
}

export type HandshakeMessage = HelloMessage | WelcomeMessage | RejectMessage | ReadyMessage | StopMessage;
export type HandshakeMessageType = HandshakeMessage['type'];

const rejectCodes: readonly RejectCode[] = [
  'AUTH_FAILED',
  'COOKIE_MISMATCH',
  'CORE_VERSION_MISMATCH',
  'NO_COMMON_VERSION',
];
const versionKeyPattern = /^[1-9][0-9]{0,8}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** Encodes one handshake message as UTF-8 JSON. */
export function encodeHandshakeMessage(message: HandshakeMessage): Uint8Array {
  return encoder.encode(JSON.stringify(message));
}

/**
 * Parses and validates one handshake message. Unknown fields are ignored (room for later additions); every
 * known field must have its type. Throws TetherError('HANDSHAKE_FAILED') saying what was wrong, naming
 * `sender` ('the plugin', 'the host').
 */
export function parseHandshakeMessage(bytes: Uint8Array, sender: string): HandshakeMessage {
  const fail = (problem: string): never => {
    throw new TetherError(
      'HANDSHAKE_FAILED',
      `The handshake failed: ${sender} sent ${problem} (protocol.md section 5.2). It does not speak the Tether handshake; check that it was built with @tether/sdk or follows the protocol.`,
    );
  };
  if (bytes.byteLength > MAX_HANDSHAKE_MESSAGE_SIZE) {
    fail(`a message of ${bytes.byteLength} bytes, over the ${MAX_HANDSHAKE_MESSAGE_SIZE}-byte limit`);
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return fail('a message that is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail(`a message that is not JSON: ${preview(text)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`a message that is not a JSON object: ${preview(text)}`);
  }
  const record = value as Record<string, unknown>;
  const type = record.type;
  const field = (name: string, expected: string): never =>
    fail(`a "${String(type)}" message whose "${name}" is not ${expected}: ${preview(text)}`);
  switch (type) {
    case 'hello': {
      const { core, sdk, pid, cookie, versions, auth, acks } = record;
      if (!isPositiveInteger(core)) return field('core', 'a positive integer');
      if (typeof sdk !== 'string' || sdk === '') return field('sdk', 'a non-empty string');
      if (!isPositiveInteger(pid)) return field('pid', 'a positive integer');
      if (cookie !== null && typeof cookie !== 'string') return field('cookie', 'a string or null');
      if (auth !== undefined && typeof auth !== 'string') return field('auth', 'a string');
      if (acks !== undefined && typeof acks !== 'boolean') return field('acks', 'true or false');
      if (typeof versions !== 'object' || versions === null || Array.isArray(versions)) {
        return field('versions', 'an object');
      }
      const entries = Object.entries(versions as Record<string, unknown>);
      if (entries.length === 0) return field('versions', 'a non-empty object');
      const checked: Record<string, readonly string[]> = {};
      for (const [key, names] of entries) {
        if (!versionKeyPattern.test(key))
          return field('versions', `keyed by positive integers (got "${key}")`);
        if (!isStringArray(names)) return field(`versions.${key}`, 'an array of service names');
        if (new Set(names).size !== names.length) return field(`versions.${key}`, 'free of duplicates');
        checked[key] = names;
      }
      return {
        type,
        core,
        sdk,
        pid,
        cookie,
        versions: checked,
        ...(auth === undefined ? {} : { auth }),
        ...(acks === undefined ? {} : { acks }),
      };
    }
    case 'welcome': {
      const { version, services, acks } = record;
      if (!isPositiveInteger(version)) return field('version', 'a positive integer');
      if (!isStringArray(services)) return field('services', 'an array of service names');
      if (acks !== undefined && typeof acks !== 'boolean') return field('acks', 'true or false');
      return { type, version, services, ...(acks === undefined ? {} : { acks }) };
    }
    case 'reject': {
      const { code, message } = record;
      if (!rejectCodes.includes(code as RejectCode)) return field('code', `one of ${rejectCodes.join(', ')}`);
      if (typeof message !== 'string') return field('message', 'a string');
      return { type, code: code as RejectCode, message };
    }
    case 'ready':
      return { type };
    case 'stop': {
      const { graceMs } = record;
      if (!isNonNegativeInteger(graceMs)) return field('graceMs', 'an integer ≥ 0');
      return { type, graceMs };
    }
    default:
      return fail(`a message of unknown type ${JSON.stringify(type) ?? 'undefined'}: ${preview(text)}`);
  }
}

/** `versions` of a HELLO as numbers, in ascending order. */
export function helloVersions(hello: HelloMessage): number[] {
  return Object.keys(hello.versions)
    .map(Number)
    .sort((a, b) => a - b);
}

function isPositiveInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

function isNonNegativeInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function preview(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
