import { describe, expect, it } from 'vitest';
import { parseCallArgument, parseCallArguments } from './call-argument.js';
import { UsageError } from './usage-error.js';

describe('parseCallArgument', () => {
  it.each([
    ['42', 42],
    ['-1.5e3', -1500],
    ['true', true],
    ['null', null],
    ['"42"', '42'],
    ['[1,"a"]', [1, 'a']],
    ['{"k":{"v":1}}', { k: { v: 1 } }],
    ['hello', 'hello'],
    ['hello world', 'hello world'],
    ['{not json', '{not json'],
    ['', ''],
    ['01', '01'],
    // Objects with a "$" key among others are plain objects.
    ['{"$date":"x","other":1}', { $date: 'x', other: 1 }],
  ])('%j → %j', (text, value) => {
    expect(parseCallArgument(text)).toEqual(value);
  });

  it('rebuilds tagged values', () => {
    expect(parseCallArgument('{"$date": "2024-05-01T10:00:00Z"}')).toEqual(
      new Date(Date.UTC(2024, 4, 1, 10)),
    );
    expect(parseCallArgument('[{"$bigint": "7"}]')).toEqual([7n]);
  });

  it('a malformed tag is a UsageError naming the argument, where in it, and the command', () => {
    let error: unknown;
    try {
      parseCallArguments(['1', '{"when": {"$date": 5}}'], '--call kv.set', 'run');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(
      'argument 2 of --call kv.set at .when: "$date" needs a date in ISO 8601, like {"$date": "2024-05-01T10:00:00Z"}; got 5',
    );
    expect((error as UsageError).command).toBe('run');
  });
});
