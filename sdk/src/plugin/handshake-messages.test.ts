import { describe, expect, it } from 'vitest';
import { MAX_HANDSHAKE_MESSAGE_SIZE } from '../constants.js';
import {
  encodeHandshakeMessage,
  helloVersions,
  parseHandshakeMessage,
  type HandshakeMessage,
} from './handshake-messages.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const parse = (value: unknown): HandshakeMessage =>
  parseHandshakeMessage(bytes(typeof value === 'string' ? value : JSON.stringify(value)), 'the plugin');

describe('handshake messages', () => {
  const valid: HandshakeMessage[] = [
    {
      type: 'hello',
      core: 1,
      sdk: '0.1.0',
      pid: 1234,
      cookie: 'c',
      versions: { '1': ['kv'], '2': ['kv', 'admin'] },
    },
    { type: 'hello', core: 1, sdk: '0.1.0', pid: 1234, cookie: null, versions: { '1': [] } },
    { type: 'hello', core: 1, sdk: '0.1.0', pid: 1, cookie: null, versions: { '1': [] }, acks: true },
    { type: 'welcome', version: 2, services: ['kv', 'admin'] },
    { type: 'welcome', version: 2, services: ['kv'], acks: true },
    { type: 'reject', code: 'NO_COMMON_VERSION', message: 'update the plugin' },
    { type: 'ready' },
    { type: 'stop', graceMs: 2000 },
  ];

  it.each(valid)('round-trips $type', (message) => {
    expect(parseHandshakeMessage(encodeHandshakeMessage(message), 'the plugin')).toEqual(message);
  });

  it('parses the examples of protocol.md section 5.2 and ignores unknown fields', () => {
    expect(
      parse(
        '{"type":"hello","core":1,"sdk":"0.1.0","pid":1234,"cookie":"x","versions":{"1":["kv"],"2":["kv","admin"]}}',
      ),
    ).toMatchObject({ type: 'hello', pid: 1234 });
    expect(parse({ type: 'ready', later: true })).toEqual({ type: 'ready' });
  });

  it.each([
    ['{', 'not JSON'],
    ['[1]', 'not a JSON object'],
    ['null', 'not a JSON object'],
    [{ type: 'bye' }, 'unknown type "bye"'],
    [{ core: 1 }, 'unknown type undefined'],
    [
      { type: 'hello', core: 0, sdk: '0.1.0', pid: 1, cookie: null, versions: { '1': [] } },
      '"core" is not a positive integer',
    ],
    [
      { type: 'hello', core: 1, sdk: '', pid: 1, cookie: null, versions: { '1': [] } },
      '"sdk" is not a non-empty string',
    ],
    [
      { type: 'hello', core: 1, sdk: 'x', pid: 1.5, cookie: null, versions: { '1': [] } },
      '"pid" is not a positive integer',
    ],
    [
      { type: 'hello', core: 1, sdk: 'x', pid: 1, cookie: 3, versions: { '1': [] } },
      '"cookie" is not a string or null',
    ],
    [
      { type: 'hello', core: 1, sdk: 'x', pid: 1, cookie: null, versions: { '1': [] }, auth: 42 },
      '"auth" is not a string',
    ],
    [
      { type: 'hello', core: 1, sdk: 'x', pid: 1, cookie: null, versions: {} },
      '"versions" is not a non-empty object',
    ],
    [
      { type: 'hello', core: 1, sdk: 'x', pid: 1, cookie: null, versions: { v1: [] } },
      'keyed by positive integers (got "v1")',
    ],
    [
      { type: 'hello', core: 1, sdk: 'x', pid: 1, cookie: null, versions: { '1': [1] } },
      '"versions.1" is not an array of service names',
    ],
    [
      { type: 'hello', core: 1, sdk: 'x', pid: 1, cookie: null, versions: { '1': ['a', 'a'] } },
      'free of duplicates',
    ],
    [{ type: 'welcome', version: '2', services: [] }, '"version" is not a positive integer'],
    [
      { type: 'hello', core: 1, sdk: 'x', pid: 1, cookie: null, versions: { '1': [] }, acks: 'yes' },
      '"acks" is not true or false',
    ],
    [{ type: 'welcome', version: 2 }, '"services" is not an array of service names'],
    [{ type: 'welcome', version: 2, services: [], acks: 1 }, '"acks" is not true or false'],
    [{ type: 'reject', code: 'NOPE', message: 'x' }, '"code" is not one of AUTH_FAILED, COOKIE_MISMATCH'],
    [{ type: 'reject', code: 'COOKIE_MISMATCH' }, '"message" is not a string'],
    [{ type: 'stop', graceMs: -1 }, '"graceMs" is not an integer ≥ 0'],
  ])('rejects %j: %s', (value, problem) => {
    expect(() => parse(value)).toThrow(
      expect.objectContaining({ code: 'HANDSHAKE_FAILED', message: expect.stringContaining(problem) }),
    );
  });

  it('rejects bad UTF-8 and oversized messages', () => {
    expect(() => parseHandshakeMessage(new Uint8Array([0x7b, 0xff, 0x7d]), 'the host')).toThrow(
      /the host sent a message that is not valid UTF-8/,
    );
    const big = bytes(JSON.stringify({ type: 'ready', pad: 'x'.repeat(MAX_HANDSHAKE_MESSAGE_SIZE) }));
    expect(() => parseHandshakeMessage(big, 'the host')).toThrow(/over the 65536-byte limit/);
  });

  it('lists a HELLO’s versions as ascending numbers', () => {
    const hello = parse({
      type: 'hello',
      core: 1,
      sdk: 'x',
      pid: 1,
      cookie: null,
      versions: { '10': [], '2': [], '1': [] },
    });
    expect(hello.type === 'hello' && helloVersions(hello)).toEqual([1, 2, 10]);
  });
});
