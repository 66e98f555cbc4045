import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { isTetherError } from '@tether/sdk';
import { defaultLogDir } from '../logging/default-log-dir.js';
import { logFileName } from '../logging/format-log-line.js';
import type { LogLevel } from '../logging/log-record.js';
import { connectControlSocket, type ControlConnection } from '../manager/control-socket-client.js';
import { followHostLogs } from './follow-host-logs.js';
import { cliDataFolder } from './host-connection.js';
import { LogLinePrinter } from './log-line-printer.js';
import { extensionNameOf, extensionsWithLogs, suggestLogNames } from './logs-target.js';
import type { Output } from './run-command.js';

export interface LogsCommandInput {
  /** The extension's name, or its folder (whose package.json names it). */
  readonly extension: string;
  readonly follow: boolean;
  readonly level?: LogLevel;
  readonly logDir?: string;
  /** The data folder of the host to follow live (`--data`; default that of `tether host`). */
  readonly dataFolder?: string;
}

export interface LogsIo {
  readonly stdout: Output & { readonly isTTY?: boolean };
  readonly stderr: Output;
  /** Ends `--follow` (default: SIGINT/SIGTERM). */
  readonly signal?: AbortSignal;
  /** How often `--follow` looks for new lines (ms). */
  readonly pollMs?: number;
}

/**
 * `tether logs <extension | extension-dir>`: prints the extension's log file (the rotated `.old.log` first),
 * keeping records at `level` and above (their continuation lines with them), coloured by level when stdout is
 * a terminal. With `follow`, keeps printing appended lines (across rotations) until SIGINT — or, when a
 * `tether host` runs for the data folder (and no `logDir` is given), prints its records live instead
 * (follow-host-logs.ts). A folder stands for the extension its package.json names (logs-target.ts); a name
 * without logs is refused with the closest names that have some.
 */
export async function logsCommand(given: LogsCommandInput, io: LogsIo): Promise<number> {
  const input = { ...given, extension: await extensionNameOf(given.extension) };
  if (!input.follow) return printLogFile(input, io, undefined);
  const signal = io.signal ?? signalOnInterrupt();
  if (input.logDir === undefined) {
    const connection = await runningHost(input.dataFolder);
    if (connection !== undefined) {
      const { extension, level } = input;
      // Without --data, an extension the host does not have may be one "tether run" runs: its file is followed.
      const unknownFallsBack = input.dataFolder === undefined;
      const followInput = { extension, unknownFallsBack, ...(level === undefined ? {} : { level }) };
      const status = await followHostLogs(connection, followInput, io, signal);
      if (status !== undefined) return status;
    } else if (input.dataFolder !== undefined) {
      io.stderr.write(
        `tether: no tether host is running for data folder ${path.resolve(input.dataFolder)}; following the log file instead.\n`,
      );
    }
  }
  return printLogFile(input, io, signal);
}

/** Prints the log file; with `follow` set, keeps printing appended lines until it aborts. */
async function printLogFile(
  input: LogsCommandInput,
  io: LogsIo,
  follow: AbortSignal | undefined,
): Promise<number> {
  const dir = input.logDir === undefined ? defaultLogDir() : path.resolve(input.logDir);
  const file = path.join(dir, logFileName(input.extension));
  const oldFile = file.replace(/\.log$/, '.old.log');
  const printer = new LogLinePrinter(io.stdout, input.level, io.stdout.isTTY === true);
  const exists = await stat(file).then(
    () => true,
    () => false,
  );
  if (!exists && follow === undefined) {
    const suggestion = suggestLogNames(input.extension, await extensionsWithLogs(dir));
    io.stderr.write(
      `tether: no logs for "${input.extension}" in ${dir} (looked for ${path.basename(file)}).${suggestion === '' ? '' : ` ${suggestion}`} Start it with "tether run" or "tether host" first, or pass --log-dir (or set TETHER_LOG_DIR) to where its logs are.\n`,
    );
    return 1;
  }
  let offset = 0;
  if (exists) {
    await readFrom(oldFile, 0, printer);
    offset = await readFrom(file, 0, printer);
    printer.end();
  }
  if (follow === undefined) return 0;

  const pollMs = io.pollMs ?? 250;
  while (!follow.aborted) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      follow.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
    const size = await stat(file).then(
      (s) => s.size,
      () => -1,
    );
    if (size < 0) continue;
    if (size < offset) offset = 0; // rotated: the new file starts from the beginning
    if (size > offset) offset = await readFrom(file, offset, printer);
    printer.end();
  }
  printer.end();
  return 0;
}

/** A connection to the host of `dataFolder`, or undefined when none runs. */
async function runningHost(dataFolder: string | undefined): Promise<ControlConnection | undefined> {
  try {
    return await connectControlSocket(cliDataFolder(dataFolder));
  } catch (error) {
    if (isTetherError(error, 'HOST_NOT_RUNNING')) return undefined;
    throw error;
  }
}

/** Prints the whole lines of `file` from byte `offset`; returns the offset after the last whole line. */
async function readFrom(file: string, offset: number, printer: LogLinePrinter): Promise<number> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return offset;
  }
  try {
    const buffer = Buffer.alloc(256 * 1024);
    let position = offset;
    let carry = '';
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      // Cut at the last newline so a multi-byte character or a line being written is not split.
      const chunk = buffer.subarray(0, bytesRead);
      const lastNewline = chunk.lastIndexOf(0x0a);
      if (lastNewline === -1) {
        if (bytesRead < buffer.length) break; // an unfinished line: read it when it is complete
        carry += chunk.toString('utf8');
        position += bytesRead;
        continue;
      }
      const text = carry + chunk.subarray(0, lastNewline).toString('utf8');
      carry = '';
      for (const line of text.split('\n')) printer.line(line);
      position += lastNewline + 1;
    }
    return position;
  } finally {
    await handle.close();
  }
}

function signalOnInterrupt(): AbortSignal {
  const controller = new AbortController();
  const stop = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return controller.signal;
}
