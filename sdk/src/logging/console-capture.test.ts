// console.* → records while captured; restored on dispose; the stderr fallback line format.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureConsole } from './console-capture.js';
import type { LogRecord } from './log-record.js';
import { createLogger, formatLogLine, log, setLogSink } from './logger.js';

afterEach(() => vi.restoreAllMocks());

describe('captureConsole', () => {
  it('turns console calls into records of scope "console" at their level, and restores on dispose', () => {
    const records: LogRecord[] = [];
    const original = console.log;
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const capture = captureConsole((record) => records.push(record));
    console.log('hello %s', 'world', 42);
    console.info('info');
    console.debug('debug');
    console.warn('warn');
    console.error('failed:', new RangeError('bad range'));
    console.trace('here');
    capture.dispose();
    capture.dispose();
    expect(console.log).toBe(original);
    expect(stdout).not.toHaveBeenCalled();
    expect(records.map((r) => [r.scope, r.level, r.message.split('\n')[0]])).toEqual([
      ['console', 'info', 'hello world 42'],
      ['console', 'info', 'info'],
      ['console', 'debug', 'debug'],
      ['console', 'warn', 'warn'],
      ['console', 'error', 'failed: RangeError: bad range'],
      ['console', 'trace', 'here'],
    ]);
    expect(records[4]!.error).toMatchObject({ name: 'RangeError', message: 'bad range' });
    expect(records[5]!.error!.stack).toContain('console-capture.test.ts');
  });

  it('mirrorConsole keeps writing to the original console too', () => {
    const records: LogRecord[] = [];
    const fake = {
      log: vi.fn(),
      info: vi.fn(),
      debug: vi.fn(),
      trace: vi.fn(),
      warn: vi.fn(),
      error: vi.fn(),
    };
    const warn = fake.warn;
    const capture = captureConsole((record) => records.push(record), {
      mirror: true,
      console: fake as unknown as Console,
    });
    (fake as unknown as Console).warn('both');
    capture.dispose();
    expect(records).toHaveLength(1);
    expect(warn).toHaveBeenCalledWith('both');
    expect(fake.warn).toBe(warn);
  });
});

describe('logger', () => {
  it('without a plugin connection, records go to stderr as readable lines', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    log.scope('db').info('connected', { host: 'x', n: 1n });
    expect(stderr).toHaveBeenCalledWith('[INFO] db: connected {"host":"x","n":"1"}\n');
  });

  it('setLogSink routes the global log until disposed', () => {
    const records: LogRecord[] = [];
    const sink = setLogSink((record) => records.push(record));
    log.warn('routed');
    sink.dispose();
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    log.warn('back to stderr');
    expect(records.map((r) => r.message)).toEqual(['routed']);
    expect(stderr).toHaveBeenCalledWith('[WARN] back to stderr\n');
  });

  it('formats an attached error with its stack', () => {
    const records: LogRecord[] = [];
    createLogger('job', (record) => records.push(record)).error('boom', { error: new Error('inner') });
    const line = formatLogLine(records[0]!);
    expect(line).toMatch(/^\[ERROR\] job: boom\nError: inner\n {4}at /);
  });
});
