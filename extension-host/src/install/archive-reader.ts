import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry, Unpack } from 'tar';
import { EXTRACT_RATIO_GRACE_BYTES } from '../constants.js';
import { ArchiveEntryVetter, unsafeArchiveError } from './archive-entry-vetter.js';
import type { ResolvedExtractLimits } from './extract-limits.js';
import { InstallError } from './install-error.js';

/** Mode of every unpacked folder, and of files with an executable bit in the archive; others get 0o644. */
const UNPACKED_FOLDER_MODE = 0o755;
const UNPACKED_EXECUTABLE_MODE = 0o755;
const UNPACKED_FILE_MODE = 0o644;

const TAR_BLOCK_BYTES = 512;

/** Files an archive pass accepted, and the sum of their sizes. */
export interface ArchiveTotals {
  readonly files: number;
  readonly bytes: number;
}

/**
 * One pass over a package archive with node-tar: decompresses it (here, not inside node-tar, so that the
 * size and the expansion ratio are counted as the bytes stream), vets every entry from its header
 * (`ArchiveEntryVetter`), and, given `cwd`, writes the vetted entries there with hardened settings: modes
 * from {@link UNPACKED_FILE_MODE} and friends, no owners from the archive, no absolute or `..` paths. An
 * entry that breaks a rule stops the pass; it is never skipped.
 *
 * Resolves with the totals once node-tar has finished every write. Rejects with the first failure (an
 * {@link InstallError}: `UNSAFE_ARCHIVE`, `PACKAGE_CORRUPT` or `EXTRACT_FAILED`), also only once node-tar
 * is quiet, so that removing what it wrote cannot race a write still in flight. Without `cwd` nothing is
 * written: a dry run that vets the whole archive.
 */
export async function readArchive(
  archive: string,
  limits: ResolvedExtractLimits,
  cwd?: string,
): Promise<ArchiveTotals> {
  const vetter = new ArchiveEntryVetter(limits);
  let failure: Error | undefined;
  let wakeFeeder: (() => void) | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
    wakeFeeder?.();
  };
  let currentEntry = archive;

  const filter = (path: string, entry: unknown): boolean => {
    if (failure !== undefined) return false;
    const readEntry = entry as ReadEntry;
    currentEntry = path;
    try {
      vetter.vet(readEntry);
    } catch (error) {
      fail(error as Error);
      return false;
    }
    readEntry.mode =
      readEntry.type === 'Directory'
        ? UNPACKED_FOLDER_MODE
        : (readEntry.mode ?? 0) & 0o111
          ? UNPACKED_EXECUTABLE_MODE
          : UNPACKED_FILE_MODE;
    return true;
  };
  // strict: every node-tar warning (bad header, truncated input, a failed write) is an error, never a skip.
  // zstd: false, so that node-tar never decompresses anything itself, where nothing would count it.
  const common = { strict: true, zstd: false, filter } as const;
  const parser =
    cwd === undefined
      ? new Parser({ ...common, onReadEntry: (entry) => entry.resume() })
      : new Unpack({
          ...common,
          cwd,
          preservePaths: false,
          preserveOwner: false, // node-tar's default is true when running as root
          unlink: false,
          chmod: false,
          dmode: UNPACKED_FOLDER_MODE,
          fmode: UNPACKED_FILE_MODE,
        });
  // Entries node-tar skips by itself (unknown types, oversized extended headers) never reach the filter.
  parser.on('ignoredEntry', (entry: ReadEntry) => {
    if (failure !== undefined) return;
    fail(
      unsafeArchiveError(
        entry.path,
        'unsupported-type',
        entry.meta
          ? `an extended header of ${entry.size} bytes`
          : `a package holds only files and folders, not ${entry.type} entries`,
      ),
    );
  });
  parser.on('error', (error: Error) => fail(tarFailure(archive, error)));
  parser.on('drain', () => wakeFeeder?.());
  const finished = new Promise<void>((resolve) => parser.once('end', () => resolve()));

  let compressed = 0;
  let decompressed = 0;
  let head = Buffer.alloc(0);
  const checkStream = (chunk: Buffer): void => {
    if (head.length < 2) {
      head = Buffer.concat([head, chunk.subarray(0, 2 - head.length)]);
      // node-tar would unzip a second gzip layer by itself, where nothing counts it: refuse it.
      if (head.length === 2 && head[0] === 0x1f && head[1] === 0x8b) fail(nestedGzip(archive));
    }
    decompressed += chunk.length;
    if (decompressed > limits.maxTotalBytes) {
      fail(
        unsafeArchiveError(
          currentEntry,
          'total-too-large',
          `the archive unpacks to more than ${limits.maxTotalBytes} bytes; if the package is genuine, ` +
            'raise ExtractLimits.maxTotalBytes',
        ),
      );
    } else if (
      decompressed > EXTRACT_RATIO_GRACE_BYTES &&
      decompressed > compressed * limits.maxExpansionRatio
    ) {
      fail(
        unsafeArchiveError(
          currentEntry,
          'expansion-ratio',
          `${compressed} compressed bytes unpacked to over ${decompressed}, more than ` +
            `${limits.maxExpansionRatio} times as many: a compression bomb; if the package is genuine, ` +
            'raise ExtractLimits.maxExpansionRatio',
        ),
      );
    }
  };

  let fed = 0;
  try {
    await pipeline(
      createReadStream(archive),
      async function* countCompressed(source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          compressed += chunk.length;
          yield chunk;
        }
      },
      createGunzip(),
      async function feed(source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          checkStream(chunk);
          throwIfFailed();
          fed += chunk.length;
          if (!parser.write(chunk)) await wakeUp();
          throwIfFailed();
        }
      },
    );
  } catch (error) {
    fail(failure ?? streamFailure(archive, error as NodeJS.ErrnoException));
  }
  try {
    if (failure !== undefined) {
      // Stopping mid-archive: fill the last tar block, so that node-tar holds no partial block when it
      // ends; it then ends the entry in progress as truncated (an error, ignored: the pass already failed),
      // finishes the writes in flight and reports its end.
      const partial = fed % TAR_BLOCK_BYTES;
      if (partial !== 0) parser.write(Buffer.alloc(TAR_BLOCK_BYTES - partial));
    }
    parser.end();
  } catch (error) {
    fail(tarFailure(archive, error as Error));
  }
  await finished;
  if (failure !== undefined) throw failure;
  return vetter.totals;

  function throwIfFailed(): void {
    if (failure !== undefined) throw failure;
  }

  /** Waits for node-tar to want more, or for a failure. */
  function wakeUp(): Promise<void> {
    return new Promise((resolve) => {
      wakeFeeder = () => {
        wakeFeeder = undefined;
        resolve();
      };
    });
  }
}

function nestedGzip(archive: string): InstallError {
  return new InstallError(
    'PACKAGE_CORRUPT',
    `The package archive ${archive} is compressed twice (gzip inside gzip), which no package tool ` +
      'writes. Make the package again with `tether pack`.',
  );
}

/** A failure of reading or decompressing the archive (not of node-tar). */
function streamFailure(archive: string, error: NodeJS.ErrnoException): InstallError {
  if (typeof error.code === 'string' && error.code.startsWith('Z_')) {
    return new InstallError(
      'PACKAGE_CORRUPT',
      `The package archive ${archive} is not a complete gzip-compressed file (${error.message}). It is ` +
        'damaged or truncated: download it again, or make it again with `tether pack`.',
      { cause: error },
    );
  }
  return new InstallError(
    'EXTRACT_FAILED',
    `Could not read the package archive ${archive}: ${error.message}. Check that the file exists and is ` +
      'readable.',
    { cause: error },
  );
}

/**
 * node-tar's errors (strict mode makes each warning one). `tarCode` says which kind; a failed write
 * (`TAR_ENTRY_ERROR` carrying an errno code such as ENOSPC) is the file system's fault, the rest the
 * archive's.
 */
function tarFailure(archive: string, error: Error & { tarCode?: string; code?: string }): InstallError {
  if (error.tarCode === 'TAR_ENTRY_ERROR' && error.code !== undefined && error.code !== 'TAR_ENTRY_ERROR') {
    return new InstallError(
      'EXTRACT_FAILED',
      `Could not write the package from ${archive} to its staging folder: ${error.message}. Check the free ` +
        'disk space and the permissions of the extensions folder, then install again.',
      { cause: error },
    );
  }
  return new InstallError(
    'PACKAGE_CORRUPT',
    `The package archive ${archive} is not a valid tar archive (${error.message}). It is damaged or ` +
      'truncated: download it again, or make it again with `tether pack`.',
    { cause: error },
  );
}
