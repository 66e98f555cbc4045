// Reads a package archive (.tgz) once, without unpacking it: its SHA-512, and its package.json read in
// memory with node-tar's parser. The hash and the manifest come from the same pass over the same bytes, so
// the file cannot be swapped between hashing and reading.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { list, type Parser, type ReadEntry } from 'tar';
import {
  DEFAULT_EXTRACT_MAX_TOTAL_BYTES,
  MAX_PACKAGE_JSON_BYTES,
  PACKAGE_ARCHIVE_FOLDER,
} from '../constants.js';
import { InstallError } from './install-error.js';

/** Where the manifest is in a package archive (npm-pack layout). */
export const ARCHIVE_PACKAGE_JSON = `${PACKAGE_ARCHIVE_FOLDER}/package.json`;

/** The identity of the package in an archive, from its package.json. */
export interface ArchiveManifest {
  readonly name: string;
  readonly version: string;
  /** The whole package.json, parsed (not validated as a Tether manifest). */
  readonly packageJson: Readonly<Record<string, unknown>>;
}

/** What one pass over an archive found: its hash always, its manifest or why it has none. */
export interface ArchiveScan {
  /** SHA-512 of the whole file, base64. */
  readonly sha512: string;
  readonly manifest: ArchiveManifest | undefined;
  /** Why there is no manifest: not gzip, not a tar, no or several package.json, … */
  readonly problem: string | undefined;
  readonly cause?: unknown;
}

export interface ScanOptions {
  /**
   * Most bytes of entries (their sizes, decompressed) read before the scan gives up; default the extraction
   * cap, `DEFAULT_EXTRACT_MAX_TOTAL_BYTES`. Bounds the work a gzip bomb causes before anything is unpacked.
   */
  readonly maxUnpackedBytes?: number;
}

const fileTypes: ReadonlySet<string> = new Set(['File', 'OldFile', 'ContiguousFile']);
const gzipMagic = [0x1f, 0x8b];

/**
 * Hashes `archive` (streaming) and reads `package/package.json` out of it in memory: the archive must be
 * gzip, a valid tar (node-tar in strict mode: any damaged header fails), hold `package/package.json` exactly
 * once (compared case-insensitively and after normalising `./` and `//`, so that no second spelling can
 * replace it when unpacked), as a plain file of at most `MAX_PACKAGE_JSON_BYTES`, holding a JSON object
 * with a string `name` and `version`.
 * @throws InstallError PACKAGE_CORRUPT only when the file cannot be read at all; every other problem is
 *   returned in `problem`, with the hash, so a caller can first tell "not the signed file" apart.
 */
export async function scanPackageArchive(archive: string, options: ScanOptions = {}): Promise<ArchiveScan> {
  const maxUnpackedBytes = options.maxUnpackedBytes ?? DEFAULT_EXTRACT_MAX_TOTAL_BYTES;
  const hash = createHash('sha512');
  let problem: { readonly text: string; readonly cause?: unknown } | undefined;
  let unpackedBytes = 0;
  const copies: ReadEntry[] = [];
  let packageJson: Promise<Buffer> | undefined;

  const parser: Parser = list({
    strict: true,
    onReadEntry: (entry) => {
      if (problem !== undefined) return;
      unpackedBytes += entry.size;
      if (unpackedBytes > maxUnpackedBytes) {
        fail(`its contents are larger than ${maxUnpackedBytes} bytes unpacked`);
        return;
      }
      const normalized = normalizeEntryPath(entry.path);
      if (normalized.toLowerCase() !== ARCHIVE_PACKAGE_JSON) return;
      copies.push(entry);
      if (copies.length > 1) fail(`it holds ${ARCHIVE_PACKAGE_JSON} more than once`);
      else if (normalized !== ARCHIVE_PACKAGE_JSON)
        fail(`its package.json is spelled ${JSON.stringify(entry.path)}`);
      else if (!fileTypes.has(entry.type))
        fail(`its ${ARCHIVE_PACKAGE_JSON} is a ${entry.type} entry, not a file`);
      else if (entry.size > MAX_PACKAGE_JSON_BYTES) {
        fail(
          `its ${ARCHIVE_PACKAGE_JSON} is ${entry.size} bytes, over the ${MAX_PACKAGE_JSON_BYTES} allowed`,
        );
      } else {
        packageJson = entry.concat();
        // Awaited once the parse ends; an abort before that must not become an unhandled rejection.
        packageJson.catch(() => undefined);
      }
    },
  });

  /** Records the first problem and stops the parser (the file is still hashed to the end). */
  function fail(text: string, cause?: unknown): void {
    if (problem !== undefined) return;
    problem = cause === undefined ? { text } : { text, cause };
    parser.abort(new Error(text));
  }

  const parsed = new Promise<void>((resolve) => {
    parser.on('error', (error: unknown) => {
      fail(`it is not a readable tar archive (${describe(error)})`, error);
      resolve();
    });
    parser.on('end', () => resolve());
  });

  let head = Buffer.alloc(0);
  try {
    for await (const chunk of createReadStream(archive) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      if (head.length < gzipMagic.length) {
        head = Buffer.concat([head, chunk.subarray(0, gzipMagic.length - head.length)]);
        if (head.length === gzipMagic.length && !gzipMagic.every((byte, i) => head[i] === byte)) {
          fail('it is not gzip-compressed (a package is a .tgz, as "tether pack" writes it)');
        }
      }
      if (problem === undefined && !parser.write(chunk)) await drained(parser, parsed);
    }
  } catch (error) {
    parser.abort(error instanceof Error ? error : new Error(String(error)));
    throw new InstallError(
      'PACKAGE_CORRUPT',
      `Cannot read the package ${path.resolve(archive)}: ${describe(error)}. Check the path and its permissions.`,
      { cause: error },
    );
  }
  if (problem === undefined && head.length < gzipMagic.length) fail('it is empty or too short to be a .tgz');
  if (problem === undefined) {
    parser.end();
    await parsed;
  }
  const sha512 = hash.digest('base64');
  if (problem === undefined) {
    const manifest = await readManifest(packageJson);
    if ('problem' in manifest) problem = { text: manifest.problem };
    else return { sha512, manifest, problem: undefined };
  }
  return { sha512, manifest: undefined, problem: problem.text, cause: problem.cause };
}

/**
 * {@link scanPackageArchive}, refusing an archive without a readable manifest.
 * @throws InstallError PACKAGE_CORRUPT naming the problem.
 */
export async function inspectPackageArchive(
  archive: string,
  options: ScanOptions = {},
): Promise<ArchiveScan & { readonly manifest: ArchiveManifest }> {
  const scan = await scanPackageArchive(archive, options);
  if (scan.manifest === undefined) throw corruptPackage(path.resolve(archive), scan);
  return { ...scan, manifest: scan.manifest };
}

/** The PACKAGE_CORRUPT error for a scan that found no manifest; `shownAs` names the package (a path or URL). */
export function corruptPackage(shownAs: string, scan: ArchiveScan): InstallError {
  return new InstallError(
    'PACKAGE_CORRUPT',
    `The package ${shownAs} is not a valid extension package: ${scan.problem ?? 'unknown problem'}. Download it again, or rebuild it with "tether pack".`,
    scan.cause === undefined ? undefined : { cause: scan.cause },
  );
}

async function readManifest(
  packageJson: Promise<Buffer> | undefined,
): Promise<ArchiveManifest | { readonly problem: string }> {
  if (packageJson === undefined) {
    return { problem: `it has no ${ARCHIVE_PACKAGE_JSON} (a package holds its files under "package/")` };
  }
  let json: unknown;
  try {
    json = JSON.parse((await packageJson).toString('utf8'));
  } catch (error) {
    return { problem: `its ${ARCHIVE_PACKAGE_JSON} is not valid JSON (${describe(error)})` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { problem: `its ${ARCHIVE_PACKAGE_JSON} is not a JSON object` };
  }
  const record = json as Record<string, unknown>;
  const { name, version } = record;
  if (typeof name !== 'string' || typeof version !== 'string') {
    return { problem: `its ${ARCHIVE_PACKAGE_JSON} has no "name" and "version" strings` };
  }
  return { name, version, packageJson: record };
}

/** `./package//package.json` → `package/package.json`: how an extractor would place the entry. */
function normalizeEntryPath(entryPath: string): string {
  return path.posix
    .normalize(entryPath.replaceAll('\\', '/'))
    .replace(/^(?:\.\/)+/, '')
    .replace(/\/+$/, '');
}

/** Resolves when the parser can take more, or has finished (with an error or not). */
function drained(parser: Parser, finished: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      parser.off('drain', done);
      resolve();
    };
    parser.on('drain', done);
    void finished.then(done);
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
