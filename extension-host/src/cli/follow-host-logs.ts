import { isTetherError } from '@tether/sdk';
import { MAX_LOG_QUERY_LIMIT } from '../constants.js';
import { formatLogLine } from '../logging/format-log-line.js';
import type { LogFilter } from '../logging/log-filter.js';
import type { HostLogRecord, LogLevel } from '../logging/log-record.js';
import type { ControlConnection } from '../manager/control-socket-client.js';
import { CallFailedError } from './call-failed-error.js';
import { EXIT_FAILURE, EXIT_OK } from './exit-code.js';
import { LogLinePrinter } from './log-line-printer.js';
import type { Output } from './run-command.js';

export interface FollowHostLogsInput {
  readonly extension: string;
  readonly level?: LogLevel;
  /**
   * When the host has no such extension: return `undefined` (the caller follows the log file: an extension
   * of `tether run`) instead of failing with EXTENSION_NOT_FOUND.
   */
  readonly unknownFallsBack: boolean;
}

/**
 * `tether logs <extension> --follow` with a running host: prints the records the host holds for the
 * extension, then each new one as the host receives it (`ManagerApi.followLogs`), in the log file's line
 * format, until `signal` aborts (status 0) or the host goes away (status 1, said on stderr). Disposes
 * `connection` when done.
 * @returns the exit status, or undefined when the host has no such extension and `unknownFallsBack` is set.
 */
export async function followHostLogs(
  connection: ControlConnection,
  input: FollowHostLogsInput,
  io: { readonly stdout: Output & { readonly isTTY?: boolean }; readonly stderr: Output },
  signal: AbortSignal,
): Promise<number | undefined> {
  const { api } = connection;
  const { extension } = input;
  const stop = (): void => connection.dispose();
  signal.addEventListener('abort', stop, { once: true });
  try {
    // An unknown id would follow nothing, silently: say so, with the ids the host has.
    const known = await api.get(extension).then(
      () => true,
      (error: unknown) => {
        if (input.unknownFallsBack && isTetherError(error, 'EXTENSION_NOT_FOUND')) return false;
        throw new CallFailedError(`logs ${extension}`, error);
      },
    );
    if (!known) return undefined;
    const filter: LogFilter = { extension, ...(input.level === undefined ? {} : { minLevel: input.level }) };
    const printer = new LogLinePrinter(io.stdout, undefined, io.stdout.isTTY === true);
    const print = (records: readonly HostLogRecord[]): void => {
      for (const record of records) for (const line of formatLogLine(record).split('\n')) printer.line(line);
      printer.end();
    };
    // Subscribed on the host once this resolves; the history is read after, and the live records it already
    // holds are skipped by their sequence number.
    const live = await api.followLogs(filter);
    let lastSeq = -1;
    for (let cursor: string | undefined, more = true; more;) {
      const page = await api.queryLogs({
        ...filter,
        limit: MAX_LOG_QUERY_LIMIT,
        ...(cursor === undefined ? {} : { cursor }),
      });
      print(page.records);
      for (const record of page.records) lastSeq = Math.max(lastSeq, record.seq);
      cursor = page.nextCursor;
      more = cursor !== undefined && page.records.length === MAX_LOG_QUERY_LIMIT;
    }
    for await (const batch of live) print(batch.filter((record) => record.seq > lastSeq));
  } catch (error) {
    if (signal.aborted) return EXIT_OK;
    if (isConnectionLoss(error)) {
      io.stderr.write(
        `tether: the tether host of ${connection.dataFolder} stopped; no more live records (its log file keeps them: "tether logs ${extension}").\n`,
      );
      return EXIT_FAILURE;
    }
    throw error;
  } finally {
    signal.removeEventListener('abort', stop);
    connection.dispose();
  }
  if (signal.aborted) return EXIT_OK;
  io.stderr.write(
    `tether: the tether host of ${connection.dataFolder} ended the live records of ${extension}.\n`,
  );
  return EXIT_FAILURE;
}

function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return [code, cause].some(
    (c) => c === 'CONNECTION_CLOSED' || c === 'CHANNEL_RESET' || c === 'CHANNEL_CLOSED',
  );
}
