import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromTaggedJson, toTaggedJson } from './tagged-json.js';

/** Reads back what toTaggedJson printed, as a `--call` argument is read. */
function readBack(text: string): unknown {
  return fromTaggedJson(JSON.parse(text) as unknown, (path, problem) => {
    throw new Error(`${path}: ${problem}`);
  });
}

function problemWith(json: string): string {
  try {
    readBack(json);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`expected ${json} to be refused`);
}

describe('toTaggedJson', () => {
  it('prints each value JSON has no form for as its tag', () => {
    expect(toTaggedJson(new Map([['a', 1]]))).toBe('{"$map":[["a",1]]}');
    expect(toTaggedJson(new Set([1, 2]))).toBe('{"$set":[1,2]}');
    expect(toTaggedJson(new Date(Date.UTC(2024, 4, 1)))).toBe('{"$date":"2024-05-01T00:00:00.000Z"}');
    expect(toTaggedJson(new Date(Number.NaN))).toBe('{"$date":null}');
    expect(toTaggedJson(new Uint8Array([104, 105]))).toBe('{"$bytes":"aGk="}');
    expect(toTaggedJson(Buffer.from('hi'))).toBe('{"$bytes":"aGk="}');
    expect(toTaggedJson(12345678901234567890n)).toBe('{"$bigint":"12345678901234567890"}');
    expect(toTaggedJson({ $ref: 'x' })).toBe('{"$object":{"$ref":"x"}}');
    expect(toTaggedJson(undefined)).toBe('null');
    expect(toTaggedJson({ a: undefined, f: () => 1, b: [undefined] })).toBe('{"b":[null]}');
  });

  it('prints other byte views as their bytes, an Error as its fields, a cycle as "[Circular]"', () => {
    expect(toTaggedJson(new Uint16Array([1]))).toBe('{"$bytes":"AQA="}');
    const error = Object.assign(new RangeError('too big', { cause: new Error('root') }), {
      code: 'TOO_BIG',
      limit: 10n,
    });
    expect(JSON.parse(toTaggedJson(error))).toEqual({
      name: 'RangeError',
      code: 'TOO_BIG',
      message: 'too big',
      limit: { $bigint: '10' },
      cause: { name: 'Error', message: 'root' },
    });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(toTaggedJson(cyclic)).toBe('{"a":1,"self":"[Circular]"}');
    // The same object twice, not in a cycle, prints twice.
    const shared = { x: 1 };
    expect(toTaggedJson([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });
});

describe('fromTaggedJson', () => {
  it('reads back what toTaggedJson prints, nested', () => {
    const value = {
      when: new Date(Date.UTC(2024, 4, 1, 10)),
      counts: new Map<unknown, unknown>([
        ['a', new Set([1n, 2n])],
        [{ $odd: true }, new Uint8Array([0, 255])],
      ]),
      list: [new Date(Number.NaN), { $object: 'not a tag inside $object' }],
    };
    expect(readBack(toTaggedJson(value))).toEqual(value);
  });

  it('keeps a "__proto__" key a key', () => {
    const value = readBack('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each([
    ['{"$map": [["a"]]}', ': "$map" needs an array of [key, value] pairs'],
    ['{"$map": {"a": 1}}', ': "$map" needs an array of [key, value] pairs'],
    ['{"$set": 1}', ': "$set" needs an array of the items'],
    ['{"$date": "2024-13-45"}', ': "$date" needs a date in ISO 8601'],
    ['{"$bytes": "aGk"}', ': "$bytes" needs the bytes in standard base64'],
    ['{"$bytes": "a-k="}', ': "$bytes" needs the bytes in standard base64'],
    ['{"$bigint": 5}', ': "$bigint" needs the number\'s decimal digits as a string'],
    ['{"$bigint": "1.5"}', ': "$bigint" needs the number\'s decimal digits as a string'],
    ['{"$object": [1]}', ': "$object" needs an object'],
    ['{"$sett": [1]}', ': unknown tag "$sett"; did you mean "$set"?'],
    ['{"$ref": "x"}', ': unknown tag "$ref"; the tags are $map, $set, $date, $bytes, $bigint, $object.'],
    ['[1, {"k": {"$map": [["a", {"$date": 1}]]}}]', '[1].k.$map[0][1]: "$date" needs a date'],
  ])('%s is refused: %s', (json, problem) => {
    expect(problemWith(json)).toContain(problem);
  });

  it('round-trips any value made of JSON values, Maps, Sets, Dates, bytes and BigInts', () => {
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.oneof(
          fc.string(),
          fc.boolean(),
          fc.constant(null),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
        ),
        fc.bigInt(),
        fc.date(),
        fc.uint8Array({ maxLength: 8 }).map((bytes) => new Uint8Array(bytes)),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
        fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 3 }).map((entries) => new Map(entries)),
        fc.array(tie('value'), { maxLength: 3 }).map((items) => new Set(items)),
      ),
    }));
    fc.assert(
      fc.property(value, (original) => {
        // JSON has one zero: -0 prints as 0.
        const normalised = readBack(JSON.stringify(JSON.parse(toTaggedJson(original))));
        expect(readBack(toTaggedJson(normalised))).toEqual(normalised);
        expect(toTaggedJson(normalised)).toBe(toTaggedJson(original));
      }),
    );
  });
});
