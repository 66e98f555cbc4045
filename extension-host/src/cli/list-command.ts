import type { ExtensionSnapshot } from '../manager/extension-state.js';
import { EXIT_OK } from './exit-code.js';
import { lastProblem } from './last-problem.js';
import { hostCall, withHost } from './host-connection.js';
import type { Output } from './run-command.js';

export interface ListCommandInput {
  readonly json: boolean;
  readonly dataFolder?: string;
}

/** `tether list`: the running host's extensions as a table, or its snapshots as JSON. */
export async function listCommand(input: ListCommandInput, io: { readonly stdout: Output }): Promise<number> {
  const list = await withHost(input.dataFolder, (api) => hostCall('list', () => api.list()));
  if (input.json) io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
  else if (list.length === 0)
    io.stdout.write('No extensions: the host found none in its extension folders.\n');
  else io.stdout.write(formatExtensionTable(list));
  return EXIT_OK;
}

const headings = [
  'ID',
  'VERSION',
  'STATE',
  'PID',
  'RESTARTS',
  'PUBLISHER',
  'SIGNATURE',
  'LAST ERROR',
] as const;

/**
 * The table `tether list` prints: one row per extension, columns padded, the last error's first line. The
 * publisher is the name its signing key was trusted with, else the key id; the signature is `signed` or
 * `unsigned` for an installed extension, `dev folder` for one found in an extension folder (never verified).
 */
export function formatExtensionTable(list: readonly ExtensionSnapshot[]): string {
  const rows = list.map((e) => [
    e.id,
    e.version === '' ? '-' : e.version,
    e.state,
    e.pid === undefined ? '-' : String(e.pid),
    String(e.restarts),
    e.install?.publisher ?? e.install?.keyId ?? '-',
    e.install === undefined ? 'dev folder' : e.install.signed ? 'signed' : 'unsigned',
    lastProblem(e) ?? '',
  ]);
  const widths = headings.map((heading, column) =>
    Math.max(heading.length, ...rows.map((row) => row[column]!.length)),
  );
  return [[...headings], ...rows]
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}
