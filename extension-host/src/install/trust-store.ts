// The publisher keys the user trusts, kept in the manager's data folder: one file per key,
// `<data>/trusted-keys/<keyId>.pem`. `tether trust` edits it; the installer reads it.
import { lstat, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { TetherError } from '@tether/sdk';
import { MAX_KEY_FILE_BYTES, TRUSTED_KEYS_FOLDER } from '../constants.js';
import { writeFileAtomic } from '../manager/atomic-file.js';
import { isKeyId } from './key-id.js';
import { checkPublisherName, trustedKey, type TrustedKey } from './trusted-key.js';

/** What {@link TrustStore.list} found: the keys to trust, and the files it would not trust, with why. */
export interface TrustStoreListing {
  readonly keys: readonly TrustedKey[];
  /** One line per file (or the folder) not trusted, saying why and what to do. */
  readonly problems: readonly string[];
}

/** The first line of a key file: says what the file is to whoever opens it. */
const FILE_TITLE = 'Tether trusted publisher key';
const PUBLISHER_LINE = 'Publisher: ';
const PEM_BEGIN = '-----BEGIN ';

/**
 * The user's trusted publisher keys, in `<dataFolder>/trusted-keys/`. Each key is a PEM file named after its
 * key id, with a few lines of text before the PEM block (RFC 7468 "explanatory text", which OpenSSL and
 * node:crypto skip) naming the publisher:
 *
 * ```text
 * Tether trusted publisher key
 * Publisher: Acme Corp
 * -----BEGIN PUBLIC KEY-----
 * …
 * ```
 *
 * Files are written atomically (`writeFileAtomic`); the folders are created with mode 0700. Reading fails
 * closed: a file whose key does not match its name, a symlink, a file or folder another user could write
 * (POSIX), or a file that does not parse is not trusted, and is reported in `problems`.
 */
export class TrustStore {
  /** `<dataFolder>/trusted-keys`, absolute. */
  readonly folder: string;

  constructor(readonly dataFolder: string) {
    this.folder = path.join(path.resolve(dataFolder), TRUSTED_KEYS_FOLDER);
  }

  /**
   * Trusts a public key (PEM text). When it is trusted already, only its publisher name changes (when one
   * is given). Returns the key as stored, and whether it was new.
   * @throws TetherError INVALID_ARGUMENT when it is not an Ed25519 public key or the name is not acceptable.
   */
  async add(
    publicKeyPem: string,
    options: { readonly publisher?: string | undefined; readonly from?: string } = {},
  ): Promise<{ readonly key: TrustedKey; readonly added: boolean }> {
    const fresh = trustedKey(publicKeyPem, {
      publisher: options.publisher,
      source: 'user',
      ...(options.from === undefined ? {} : { from: options.from }),
    });
    const existing = (await this.list()).keys.find((key) => key.keyId === fresh.keyId);
    const publisher = fresh.publisher ?? existing?.publisher;
    const key: TrustedKey = { ...fresh, ...(publisher === undefined ? {} : { publisher }) };
    await mkdir(path.dirname(this.folder), { recursive: true, mode: 0o700 });
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.fileOf(key.keyId), formatKeyFile(key), 0o644);
    return { key, added: existing === undefined };
  }

  /** The trusted keys, by key id, and what was not trusted. A missing folder means no keys. */
  async list(): Promise<TrustStoreListing> {
    const problems: string[] = [];
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { keys: [], problems };
      throw new TetherError(
        'INVALID_OPTIONS',
        `Cannot read the trusted keys in ${this.folder}: ${(error as Error).message}. Check its permissions.`,
        { cause: error },
      );
    }
    const folderProblem = await writableByOthers(this.folder);
    if (folderProblem !== undefined) {
      return {
        keys: [],
        problems: [
          `${this.folder} ${folderProblem}, so anyone could add a key to it: none of its keys is trusted until you run "chmod go-w ${this.folder}" (and check what is in it).`,
        ],
      };
    }
    const keys: TrustedKey[] = [];
    for (const name of names.sort()) {
      if (name.startsWith('.') || !name.endsWith('.pem')) continue; // temporary files of writeFileAtomic
      const file = path.join(this.folder, name);
      const loaded = await loadKeyFile(file, name.slice(0, -'.pem'.length));
      if ('problem' in loaded) problems.push(`${file} is not trusted: ${loaded.problem}.`);
      else keys.push(loaded);
    }
    return { keys, problems };
  }

  /**
   * Stops trusting a key. Returns false when it was not trusted.
   * @throws TetherError INVALID_ARGUMENT when `keyId` is not written as a key id.
   */
  async remove(keyId: string): Promise<boolean> {
    const id = keyId.trim().toLowerCase();
    if (!isKeyId(id)) {
      throw new TetherError(
        'INVALID_ARGUMENT',
        `${JSON.stringify(keyId)} is not a key id (32 hexadecimal characters); "tether trust --list" shows them.`,
      );
    }
    const file = this.fileOf(id);
    const existed = await lstat(file).then(
      () => true,
      () => false,
    );
    await rm(file, { force: true });
    return existed;
  }

  private fileOf(keyId: string): string {
    return path.join(this.folder, `${keyId}.pem`);
  }
}

function formatKeyFile(key: TrustedKey): string {
  const publisher = key.publisher === undefined ? '' : `${PUBLISHER_LINE}${key.publisher}\n`;
  return `${FILE_TITLE}\n${publisher}${key.publicKeyPem}`;
}

async function loadKeyFile(file: string, stem: string): Promise<TrustedKey | { readonly problem: string }> {
  try {
    const stats = await lstat(file);
    if (!stats.isFile()) return { problem: 'it is not a plain file (a symbolic link or a folder)' };
    if (stats.size > MAX_KEY_FILE_BYTES) return { problem: `it is larger than ${MAX_KEY_FILE_BYTES} bytes` };
    const ownership = await writableByOthers(file);
    if (ownership !== undefined) return { problem: `it ${ownership}; run "chmod go-w ${file}"` };
    const text = await readFile(file, 'utf8');
    const begin = text.indexOf(PEM_BEGIN);
    const header = begin === -1 ? [] : text.slice(0, begin).split('\n');
    const publisherLine = header.find((line) => line.startsWith(PUBLISHER_LINE));
    const publisher =
      publisherLine === undefined
        ? undefined
        : checkPublisherName(publisherLine.slice(PUBLISHER_LINE.length));
    const key = trustedKey(text, { publisher, source: 'user', from: file });
    if (key.keyId !== stem.toLowerCase()) {
      return {
        problem: `it holds the key ${key.keyId}, not the key its name says; add it again with "tether trust"`,
      };
    }
    return key;
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Why another user could change `file` (POSIX): it belongs to another user, or group or others may write
 * it; `undefined` when only its owner (this user, or root) can. Always `undefined` on Windows.
 */
async function writableByOthers(file: string): Promise<string | undefined> {
  if (process.platform === 'win32') return undefined;
  const stats = await lstat(file);
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid && stats.uid !== 0)
    return `belongs to another user (uid ${stats.uid})`;
  if ((stats.mode & 0o022) !== 0)
    return `is writable by other users (mode ${(stats.mode & 0o777).toString(8)})`;
  return undefined;
}
