// Byte-exact checks against the MessagePack spec and PROTOCOL-SECTION.md: other-language implementations
// are written from the spec, so these bytes are the contract.
import { describe, expect, it } from 'vitest';
import { fromHex, hex } from './test-fixtures/codec-assertions.js';
import { ValueCodec } from './value-codec.js';

const codec = new ValueCodec();
const enc = (value: unknown): string => hex(codec.encode(value));
const a = (n: number): string => 'a'.repeat(n);
const aHex = (n: number): string => '61'.repeat(n);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const keys = (n: number): Record<string, number> => Object.fromEntries(range(n).map((i) => [`k${i}`, 0]));
const noStack = (error: Error): Error => {
  delete error.stack;
  return error;
};

describe('MessagePack bytes (encode: smallest format first)', () => {
  it.each<[string, unknown, string]>([
    // nil, bool
    ['null', null, 'c0'],
    ['false', false, 'c2'],
    ['true', true, 'c3'],
    // positive integers: fixint, uint 8/16/32/64
    ['0', 0, '00'],
    ['127 (largest positive fixint)', 127, '7f'],
    ['128 (uint 8)', 128, 'cc80'],
    ['255', 255, 'ccff'],
    ['256 (uint 16)', 256, 'cd0100'],
    ['65535', 65535, 'cdffff'],
    ['65536 (uint 32)', 65536, 'ce00010000'],
    ['2^32 - 1', 2 ** 32 - 1, 'ceffffffff'],
    ['2^32 (uint 64)', 2 ** 32, 'cf0000000100000000'],
    ['MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER, 'cf001fffffffffffff'],
    // negative integers: negative fixint, int 8/16/32/64
    ['-1', -1, 'ff'],
    ['-32 (smallest negative fixint)', -32, 'e0'],
    ['-33 (int 8)', -33, 'd0df'],
    ['-128', -128, 'd080'],
    ['-129 (int 16)', -129, 'd1ff7f'],
    ['-32768', -32768, 'd18000'],
    ['-32769 (int 32)', -32769, 'd2ffff7fff'],
    ['-2^31', -(2 ** 31), 'd280000000'],
    ['-2^31 - 1 (int 64)', -(2 ** 31) - 1, 'd3ffffffff7fffffff'],
    ['MIN_SAFE_INTEGER', Number.MIN_SAFE_INTEGER, 'd3ffe0000000000001'],
    // everything else is float 64
    ['0.5', 0.5, 'cb3fe0000000000000'],
    ['-0', -0, 'cb8000000000000000'],
    ['NaN', NaN, 'cb7ff8000000000000'],
    ['Infinity', Infinity, 'cb7ff0000000000000'],
    ['-Infinity', -Infinity, 'cbfff0000000000000'],
    ['2^53 (not a safe integer)', 2 ** 53, 'cb4340000000000000'],
    // strings: fixstr, str 8/16/32, UTF-8
    ['empty string', '', 'a0'],
    ['31 bytes (largest fixstr)', a(31), `bf${aHex(31)}`],
    ['32 bytes (str 8)', a(32), `d920${aHex(32)}`],
    ['255 bytes', a(255), `d9ff${aHex(255)}`],
    ['256 bytes (str 16)', a(256), `da0100${aHex(256)}`],
    ['65535 bytes', a(65535), `daffff${aHex(65535)}`],
    ['65536 bytes (str 32)', a(65536), `db00010000${aHex(65536)}`],
    ['é (2-byte UTF-8)', 'é', 'a2c3a9'],
    ['😀 (surrogate pair → 4-byte UTF-8)', '😀', 'a4f09f9880'],
    ['a lone surrogate becomes U+FFFD', 'x\ud800y', 'a578efbfbd79'],
    [
      '11 × "é" (22 bytes, fixstr after a 3-byte-per-char reservation)',
      'é'.repeat(11),
      `b6${'c3a9'.repeat(11)}`,
    ],
    ['30 × "€" (90 bytes, str 8, long-string path)', '€'.repeat(30), `d95a${'e282ac'.repeat(30)}`],
    // bin 8/16/32
    ['empty Uint8Array (bin 8)', new Uint8Array(), 'c400'],
    ['Uint8Array', new Uint8Array([1, 2, 255]), 'c4030102ff'],
    ['256 bytes (bin 16)', new Uint8Array(256), `c50100${'00'.repeat(256)}`],
    ['65536 bytes (bin 32)', new Uint8Array(65536), `c600010000${'00'.repeat(65536)}`],
    // arrays: fixarray, array 16/32
    ['[1, 2, 3]', [1, 2, 3], '93010203'],
    ['empty array', [], '90'],
    [
      '15 items (largest fixarray)',
      range(15),
      `9f${range(15)
        .map((i) => i.toString(16).padStart(2, '0'))
        .join('')}`,
    ],
    ['16 items (array 16)', Array(16).fill(0), `dc0010${'00'.repeat(16)}`],
    ['65536 items (array 32)', Array(65536).fill(0), `dd00010000${'00'.repeat(65536)}`],
    // maps: fixmap, map 16/32
    ['empty object', {}, '80'],
    ['{a: 1}', { a: 1 }, '81a16101'],
    [
      '15 keys (largest fixmap)',
      keys(15),
      `8f${range(15)
        .map((i) => hex(codec.encode(`k${i}`)) + '00')
        .join('')}`,
    ],
    [
      '16 keys (map 16)',
      keys(16),
      `de0010${range(16)
        .map((i) => hex(codec.encode(`k${i}`)) + '00')
        .join('')}`,
    ],
  ])('%s', (_name, value, expected) => {
    expect(enc(value)).toBe(expected);
  });

  it('map 32 for 65536 keys', () => {
    expect(enc(keys(65536)).slice(0, 10)).toBe('df00010000');
  });
});

describe("Tether's ext types (smallest of fixext 1/2/4/8/16, ext 8/16/32)", () => {
  it.each<[string, unknown, string]>([
    ['undefined: fixext 1, type 0, data 0', undefined, 'd40000'],
    ['Date(0): fixext 8, type 1, float64 BE', new Date(0), 'd7010000000000000000'],
    ['Date(1)', new Date(1), 'd7013ff0000000000000'],
    ['Invalid Date is NaN', new Date(NaN), 'd7017ff8000000000000'],
    ['0n: sign only', 0n, 'd40200'],
    ['1n', 1n, 'd5020001'],
    ['-1n', -1n, 'd5020101'],
    ['256n: 3 bytes → ext 8', 256n, 'c70302000100'],
    ['-(2^64)n', -(2n ** 64n), `c70a0201010000000000000000`],
    ['2^120n: 16 bytes → fixext 16', 2n ** 120n - 1n, `d80200${'ff'.repeat(15)}`],
    ['empty Map: fixext 1 holding an empty array', new Map(), 'd40390'],
    ['Map {1 => 2}: [k, v]', new Map([[1, 2]]), 'c7030392' + '0102'],
    ['Map {"a" => [true]}: 5 content bytes → ext 8', new Map([['a', [true]]]), 'c7050392a16191c3'],
    ['empty Set', new Set(), 'd40490'],
    ['Set {1}', new Set([1]), 'd5049101'],
    ['RegExp /a/g: [source, flags]', /a/g, 'c7050592a161a167'],
    ['Int16Array [1, -1]: kind 2, little-endian', new Int16Array([1, -1]), 'c70506020100ffff'],
    ['Float64Array []: kind 7 only', new Float64Array(), 'd40607'],
    ['Float32Array [1]: kind 6', new Float32Array([1]), 'c70506060000803f'],
    ['BigUint64Array [1n]: kind 9', new BigUint64Array([1n]), 'c709060901' + '00'.repeat(7)],
    ['DataView: kind 10, raw bytes', new DataView(new Uint8Array([1, 2, 3]).buffer), 'd606' + '0a010203'],
    ['empty ArrayBuffer: ext 8 with length 0', new ArrayBuffer(0), 'c70007'],
    ['ArrayBuffer of 4: fixext 4', new Uint8Array([1, 2, 3, 4]).buffer, 'd60701020304'],
  ])('%s', (_name, value, expected) => {
    expect(enc(value)).toBe(expected);
  });

  it('an Error without a stack: map of name and message', () => {
    // 82 a4 "name" a5 "Error" a7 "message" a1 "x" = 22 bytes → ext 8
    expect(enc(noStack(new Error('x')))).toBe(
      'c71608' + '82' + 'a46e616d65' + 'a54572726f72' + 'a76d657373616765' + 'a178',
    );
  });

  it('an Error with code, cause, props and errors', () => {
    const error = noStack(new Error('m', { cause: 1 }));
    Object.assign(error, { code: 'E', status: 2 });
    const bytes = enc(error);
    const content =
      '85' +
      'a46e616d65a54572726f72' + // name: "Error"
      'a76d657373616765a16d' + // message: "m"
      'a4636f6465a145' + // code: "E"
      'a563617573650' +
      '1' + // cause: 1
      'a570726f707381a6737461747573' +
      '02'; // props: {status: 2}
    expect(bytes).toBe(`c7${(content.length / 2).toString(16)}08${content}`);
    const aggregate = noStack(new AggregateError([], 'agg'));
    expect(enc(aggregate)).toContain(hex(codec.encode('errors')) + '90');
  });

  it('nested content of 256+ bytes uses ext 16, of 65536+ bytes ext 32', () => {
    expect(enc(new Set([a(300)])).slice(0, 8)).toBe('c8013004'); // 91 da 012c + 300 = 304 bytes
    expect(enc(new Set([new Uint8Array(70_000)])).slice(0, 12)).toBe('c90001117604'); // 91 c6 00011170 + 70000
  });
});

describe('MessagePack bytes (decode: every format)', () => {
  it.each<[string, string, unknown]>([
    ['uint 8 with a small value', 'cc05', 5],
    ['uint 16 with a small value', 'cd0005', 5],
    ['uint 32', 'ceffffffff', 2 ** 32 - 1],
    ['uint 64, safe', 'cf001fffffffffffff', Number.MAX_SAFE_INTEGER],
    ['uint 64, 2^53 → bigint', 'cf0020000000000000', 2n ** 53n],
    ['uint 64, max → bigint', 'cfffffffffffffffff', 2n ** 64n - 1n],
    ['int 8', 'd0ff', -1],
    ['int 16', 'd18000', -32768],
    ['int 32', 'd280000000', -(2 ** 31)],
    ['int 64, safe positive', 'd3001fffffffffffff', Number.MAX_SAFE_INTEGER],
    ['int 64, safe negative', 'd3ffe0000000000001', Number.MIN_SAFE_INTEGER],
    ['int 64, -2^53 → bigint', 'd3ffe0000000000000', -(2n ** 53n)],
    ['int 64, min → bigint', 'd38000000000000000', -(2n ** 63n)],
    ['int 64, 1', 'd30000000000000001', 1],
    ['float 32', 'ca3fc00000', 1.5],
    ['float 64', 'cb3ff8000000000000', 1.5],
    ['str 8 with a short string', 'd903616263', 'abc'],
    ['str 16', 'da0001' + '7a', 'z'],
    ['str 32', 'db00000001' + '7a', 'z'],
    ['array 16 with one item', 'dc000101', [1]],
    ['array 32', 'dd0000000101', [1]],
    ['map 16', 'de0001a16101', { a: 1 }],
    ['map 32', 'df00000001a16101', { a: 1 }],
    ['ext 8 for undefined', 'c7010000', undefined],
    ['ext 32 for an empty Set', 'c9000000010490', new Set()],
    ['BigInt with leading zero bytes (tolerated)', 'd602000000ff', 255n],
    ['BigInt: negative zero is 0n', 'd40201', 0n],
  ])('%s', (_name, bytes, expected) => {
    expect(codec.decode(fromHex(bytes))).toStrictEqual(expected);
  });
});
