import { describe, expect, it } from 'vitest';
import { logLevelRank, type LogLevel } from './log-record.js';
import { OutputLineParser, type OutputLineInput } from './output-line-parser.js';

const err = (line: string, truncated = false): OutputLineInput => ({ stream: 'stderr', line, truncated });
const out = (line: string): OutputLineInput => ({ stream: 'stdout', line, truncated: false });

describe('OutputLineParser', () => {
  it('reads level prefixes in any case, also after an hclog timestamp', () => {
    const parser = new OutputLineParser();
    expect(parser.parse(err('[WARN] disk almost full'), 5)).toEqual({
      time: 5,
      level: 'warn',
      scope: 'stderr',
      message: 'disk almost full',
    });
    expect(parser.parse(out('[debug] tick'))).toMatchObject({
      level: 'debug',
      scope: 'stdout',
      message: 'tick',
    });
    expect(parser.parse(err('[Warning] x'))).toMatchObject({ level: 'warn' });
    expect(parser.parse(err('2024-05-01T10:00:00.000Z [ERROR] plugin: failed'))).toMatchObject({
      level: 'error',
      message: 'plugin: failed',
    });
  });

  it('makes other lines info and skips empty ones', () => {
    const parser = new OutputLineParser();
    expect(parser.parse(err('just text'))).toMatchObject({
      level: 'info',
      scope: 'stderr',
      message: 'just text',
    });
    expect(parser.parse(out('   '))).toBeUndefined();
    expect(parser.parse(out('[not a level] x'))).toMatchObject({ level: 'info', message: '[not a level] x' });
  });

  it('reads JSON lines with level and msg/message (hclog, pino) as records', () => {
    const parser = new OutputLineParser();
    expect(
      parser.parse(err('{"level":"warn","msg":"slow","time":1700000000000,"table":"users","ms":812}')),
    ).toEqual({
      time: 1_700_000_000_000,
      level: 'warn',
      scope: 'stderr',
      message: 'slow',
      fields: { table: 'users', ms: 812 },
    });
    expect(
      parser.parse(
        err('{"@level":"debug","@message":"hi","@timestamp":"2024-05-01T10:00:00.000Z","@module":"p"}'),
      ),
    ).toEqual({
      time: Date.parse('2024-05-01T10:00:00.000Z'),
      level: 'debug',
      scope: 'stderr',
      message: 'hi',
      fields: { '@module': 'p' },
    });
    expect(parser.parse(out('{"level":50,"message":"pino error"}'))).toMatchObject({
      level: 'error',
      message: 'pino error',
    });
    // JSON without a message, or not JSON at all, stays a plain line.
    expect(parser.parse(out('{"level":"info","count":3}'))).toMatchObject({
      level: 'info',
      message: '{"level":"info","count":3}',
    });
    expect(parser.parse(out('{"level":"warn", broken}'))).toMatchObject({ level: 'info' });
  });

  it('marks a crash dump as errors: the error line, its stack, its properties and the Node footer', () => {
    const parser = new OutputLineParser();
    const lines = [
      "TypeError: Cannot read properties of undefined (reading 'x')",
      '    at load (/ext/index.js:3:9)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5) {',
      "  code: 'ERR_X'",
      '}',
      '',
      'Node.js v20.19.0',
    ];
    const levels = lines.map((line) => parser.parse(err(line))?.level);
    expect(levels).toEqual(['error', 'error', 'error', 'error', 'error', undefined, 'error']);
    expect(parser.parse(err('back to normal'))).toMatchObject({ level: 'info' });
    for (const line of [
      'Error: boom',
      'Error [ERR_UNHANDLED_REJECTION]: x',
      'panic: runtime error',
      'FATAL out of memory',
      'Uncaught RangeError: too deep',
    ]) {
      expect(new OutputLineParser().parse(err(line))?.level, line).toBe('error');
    }
    expect(new OutputLineParser().parse(err('    at not a crash'))?.level).toBe('info');
  });

  it('drops lines below the level filter before parsing them', () => {
    const accepts = (level: LogLevel): boolean => logLevelRank[level] >= logLevelRank.warn;
    const parser = new OutputLineParser(accepts);
    expect(parser.parse(err('[DEBUG] noise'))).toBeUndefined();
    expect(parser.parse(err('plain info'))).toBeUndefined();
    expect(parser.parse(err('[ERROR] kept'))).toMatchObject({ level: 'error' });
    const parse = JSON.parse;
    let parses = 0;
    JSON.parse = ((...args: Parameters<typeof JSON.parse>): unknown => {
      parses++;
      return parse(...args) as unknown;
    }) as typeof JSON.parse;
    try {
      expect(parser.parse(err(`{"level":"debug","msg":"${'x'.repeat(100_000)}"}`))).toBeUndefined();
      expect(parses).toBe(0);
      expect(parser.parse(err('{"level":"warn","msg":"w"}'))).toMatchObject({ level: 'warn', message: 'w' });
      expect(parses).toBe(1);
    } finally {
      JSON.parse = parse;
    }
  });

  it('gives the pieces of an over-long line the level of its first piece', () => {
    const parser = new OutputLineParser((level) => level !== 'debug');
    expect(parser.parse(err('[WARN] start', true))).toMatchObject({ level: 'warn', message: 'start' });
    expect(parser.parse(err('[DEBUG] middle', true))).toEqual(
      expect.objectContaining({ level: 'warn', fields: { continued: true } }),
    );
    expect(parser.parse(err('end'))).toMatchObject({ level: 'warn', message: 'end' });
    expect(parser.parse(err('[DEBUG] dropped', true))).toBeUndefined();
    expect(parser.parse(err('[ERROR] still part of the dropped line'))).toBeUndefined();
    expect(parser.parse(err('next'))).toMatchObject({ level: 'info' });
  });
});
