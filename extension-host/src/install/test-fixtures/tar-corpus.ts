// Builds package archives for the install tests, hostile ones included, with node-tar's own Header and Pax
// classes (no hand-written tar writer): each entry is a header block node-tar encodes, its body, and zero
// padding to the next 512-byte block; the archive ends with two zero blocks and is gzip-compressed.
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { Header, type HeaderData, Pax } from 'tar';

const BLOCK = 512;

/** One entry of a crafted archive: a header (what node-tar's Header encodes) and an optional body. */
export interface CraftedEntry extends HeaderData {
  readonly path: string;
  /** The body; its length is the header's size unless `size` says otherwise. */
  readonly body?: Buffer | string;
}

/** The header (with a pax header before it when the name needs one) and the body's padded blocks. */
export function entryBlocks(entry: CraftedEntry): Buffer[] {
  const body = typeof entry.body === 'string' ? Buffer.from(entry.body) : (entry.body ?? Buffer.alloc(0));
  const data: HeaderData = {
    type: 'File',
    mode: entry.type === 'Directory' ? 0o755 : 0o644,
    uid: 1234,
    gid: 1234,
    mtime: new Date('2024-01-01T00:00:00Z'),
    ...entry,
    size: entry.size ?? (entry.type === undefined || entry.type === 'File' ? body.length : 0),
  };
  delete (data as { body?: unknown }).body;
  const header = new Header(data);
  const needPax = header.encode();
  const blocks: Buffer[] = [];
  if (needPax) {
    const paxData: HeaderData = { path: entry.path, mtime: data.mtime! };
    if (entry.linkpath !== undefined) paxData.linkpath = entry.linkpath;
    blocks.push(new Pax(paxData).encode());
  }
  blocks.push(header.block!);
  if (body.length > 0) blocks.push(body, padding(body.length));
  return blocks;
}

/** Zero bytes that fill a body of `length` bytes up to a whole block. */
export function padding(length: number): Buffer {
  return Buffer.alloc((BLOCK - (length % BLOCK)) % BLOCK);
}

/** The two zero blocks that end a tar archive. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

/** Writes a gzip-compressed tar archive of `entries` (any iterable: a generator keeps memory flat). */
export async function writeArchive(file: string, entries: Iterable<CraftedEntry>): Promise<void> {
  await writeTarStream(file, tarBlocks(entries));
}

/** The tar stream of `entries`, block by block. */
export function* tarBlocks(entries: Iterable<CraftedEntry>): Generator<Buffer> {
  for (const entry of entries) yield* entryBlocks(entry);
  yield END_OF_ARCHIVE;
}

/** Gzips raw tar bytes (any iterable of chunks) into `file`. */
export async function writeTarStream(file: string, chunks: Iterable<Buffer>): Promise<void> {
  await pipeline(Readable.from(coalesce(chunks)), createGzip(), createWriteStream(file));
}

/** Joins small chunks into pieces of about 1 MiB: a stream of 512-byte blocks is slow to pipe. */
function* coalesce(chunks: Iterable<Buffer>): Generator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for (const chunk of chunks) {
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes >= 1024 * 1024) {
      yield Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
    }
  }
  if (pending.length > 0) yield Buffer.concat(pending);
}

/**
 * A compression bomb: one file entry `package/zeros` of `mebibytes` MiB of zeros. The gzip stream is a
 * series of members (RFC 1952 allows any number, and gunzip joins them): the header, then one small
 * member of 1 MiB of zeros written `mebibytes` times, then the end. Building it costs one compression of
 * 1 MiB and about 1 KiB per MiB of disk, so a 100 MiB bomb is a 100 KiB file made in milliseconds.
 */
export async function writeZeroBomb(file: string, mebibytes: number): Promise<void> {
  const mebibyte = 1024 * 1024;
  const size = mebibytes * mebibyte;
  const oneMebibyteOfZeros = gzipSync(Buffer.alloc(mebibyte));
  function* members(): Generator<Buffer> {
    yield gzipSync(Buffer.concat(entryBlocks({ path: 'package/zeros', size })));
    for (let i = 0; i < mebibytes; i++) yield oneMebibyteOfZeros;
    yield gzipSync(Buffer.concat([padding(size), END_OF_ARCHIVE]));
  }
  await pipeline(Readable.from(members()), createWriteStream(file));
}
