// Installing a package a UI sends as bytes (a file its user picked or dropped, with its `.sig`): the bytes
// arrive as a stream, are written to a private upload folder in the data folder with a size cap (the
// signature beside them), then installed from there like any `.tgz` on the host's disk
// (`ManagerApi.installPackage`): the signature is verified before anything is unpacked. The upload folder is removed afterwards,
// whatever happened.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TetherError } from '@tether/sdk';
import {
  DEFAULT_DOWNLOAD_MAX_BYTES,
  DOWNLOAD_PROGRESS_INTERVAL_MS,
  MAX_SIGNATURE_FILE_BYTES,
} from '../constants.js';
import { signatureFileFor } from '../install/verify-package-signature.js';
import type { InstallProgress } from '../install/extension-installer.js';

/** Folder under the data folder where uploads wait for their install. */
export const UPLOADS_FOLDER = 'uploads';

/** The longest file name kept for an upload (the name only names the file; the package's manifest decides). */
const MAX_UPLOAD_NAME_LENGTH = 200;

/** Bytes as a UI may send them: a Web ReadableStream (`File.stream()`) or any async iterable of chunks. */
export type UploadData = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface UploadOptions {
  /** Largest upload (bytes). Default `DEFAULT_DOWNLOAD_MAX_BYTES`, the same cap as a download. */
  readonly maxBytes?: number;
  /** The size the sender announced, for progress (`total`); the bytes received decide. */
  readonly expectedBytes?: number;
  /** The package's detached signature (the text of its `.sig` file), written beside it. */
  readonly signature?: string;
}

/** `signature` checked: absent, or the text of a `.sig` file (INVALID_ARGUMENT otherwise). */
export function checkUploadSignature(signature: unknown): string | undefined {
  if (signature === undefined) return undefined;
  if (typeof signature !== 'string' || signature.length > MAX_SIGNATURE_FILE_BYTES) {
    throw new TetherError(
      'INVALID_ARGUMENT',
      `installPackage: options.signature must be the text of the package's .sig file (at most ${MAX_SIGNATURE_FILE_BYTES} bytes).`,
    );
  }
  return signature;
}

/** `fileName` checked: a `.tgz` file name, no folders (INVALID_ARGUMENT with what to send instead). */
export function checkUploadName(fileName: unknown): string {
  if (
    typeof fileName !== 'string' ||
    fileName.length === 0 ||
    fileName.length > MAX_UPLOAD_NAME_LENGTH ||
    fileName !== path.basename(fileName) ||
    fileName.includes('\\') ||
    fileName.startsWith('.') ||
    [...fileName].some((character) => character.charCodeAt(0) < 0x20) ||
    !fileName.endsWith('.tgz')
  ) {
    throw new TetherError(
      'INVALID_ARGUMENT',
      `installPackage: the file name must be a package file name ending in .tgz, without folders (at most ${MAX_UPLOAD_NAME_LENGTH} characters); got ${JSON.stringify(String(fileName).slice(0, MAX_UPLOAD_NAME_LENGTH))}. Make a package with "tether pack".`,
    );
  }
  return fileName;
}

/**
 * Receives `data` into `<dataFolder>/uploads/<random>/<fileName>`, reporting `download` progress (at most
 * every DOWNLOAD_PROGRESS_INTERVAL_MS, and once at the end). Returns the file's path and a function that
 * removes its folder. Over `maxBytes`, or a stream that fails: the folder is removed and the error thrown
 * (PACKAGE_TOO_LARGE / INVALID_ARGUMENT).
 */
export async function receiveUpload(
  dataFolder: string,
  fileName: string,
  data: UploadData,
  onProgress: (progress: InstallProgress) => void,
  options: UploadOptions = {},
): Promise<{ file: string; remove: () => Promise<void> }> {
  const maxBytes = options.maxBytes ?? DEFAULT_DOWNLOAD_MAX_BYTES;
  const folder = path.join(dataFolder, UPLOADS_FOLDER, randomBytes(8).toString('hex'));
  const remove = () => rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const file = path.join(folder, fileName);
  const started = performance.now();
  let received = 0;
  let reported = 0;
  const report = (): void => {
    reported = performance.now();
    const seconds = Math.max((reported - started) / 1000, 0.001);
    onProgress({
      phase: 'download',
      bytes: received,
      ...(options.expectedBytes === undefined ? {} : { total: options.expectedBytes }),
      bytesPerSecond: Math.round(received / seconds),
    });
  };
  try {
    const handle = await open(file, 'wx', 0o600);
    try {
      for await (const chunk of chunksOf(data)) {
        if (!(chunk instanceof Uint8Array)) {
          throw new TetherError(
            'INVALID_ARGUMENT',
            'installPackage: the data must be a stream of bytes (Uint8Array chunks), such as File.stream().',
          );
        }
        received += chunk.byteLength;
        if (received > maxBytes) {
          throw new TetherError(
            'DOWNLOAD_TOO_LARGE',
            `The package sent is over ${maxBytes} bytes, the largest the host accepts; nothing was installed.`,
          );
        }
        await handle.write(chunk);
        if (performance.now() - reported >= DOWNLOAD_PROGRESS_INTERVAL_MS) report();
      }
    } finally {
      await handle.close();
    }
    if (options.signature !== undefined) {
      await writeFile(signatureFileFor(file), options.signature, { mode: 0o600, flag: 'wx' });
    }
    report();
    return { file, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** The chunks of a Web ReadableStream or an async iterable, read one at a time. */
async function* chunksOf(data: UploadData): AsyncGenerator<unknown> {
  if (typeof (data as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (data as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }
  if (typeof (data as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] !== 'function') {
    throw new TetherError(
      'INVALID_ARGUMENT',
      'installPackage: the data must be a stream of bytes (a ReadableStream or an async iterable), such as File.stream().',
    );
  }
  yield* data as AsyncIterable<Uint8Array>;
}
