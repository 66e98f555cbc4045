import {
  MAX_ARCHIVE_NAME_SEGMENT_BYTES,
  MAX_ARCHIVE_PATH_CHARS,
  MAX_ARCHIVE_PATH_DEPTH,
  PACKAGE_ARCHIVE_FOLDER,
} from '../constants.js';
import type { ResolvedExtractLimits } from './extract-limits.js';
import { InstallError } from './install-error.js';

/**
 * The rules of safe extraction, as named in `UNSAFE_ARCHIVE` messages ("entry "package/x" breaks the rule
 * "symlink" …"). Stable: tests and support answers refer to them.
 */
export type UnsafeArchiveRule =
  | 'bad-name'
  | 'absolute-path'
  | 'parent-segment'
  | 'backslash'
  | 'outside-package-folder'
  | 'path-too-long'
  | 'symlink'
  | 'hardlink'
  | 'special-file'
  | 'unsupported-type'
  | 'name-collision'
  | 'too-many-entries'
  | 'entry-too-large'
  | 'total-too-large'
  | 'expansion-ratio';

/** What the vetter needs of an archive entry (node-tar's `ReadEntry` has it). */
export interface ArchiveEntryHeader {
  readonly path: string;
  /** node-tar's type name: `File`, `Directory`, `SymbolicLink`, `Link`, `CharacterDevice`, … */
  readonly type: string;
  readonly size: number;
}

/** The one way an unsafe archive is refused: names the entry, the rule and what to do. */
export function unsafeArchiveError(entry: string, rule: UnsafeArchiveRule, detail: string): InstallError {
  return new InstallError(
    'UNSAFE_ARCHIVE',
    `Refused to unpack the package: its entry ${JSON.stringify(entry)} breaks the rule "${rule}" (${detail}). ` +
      `Nothing was installed. The archive is damaged or was made to attack the installer; ` +
      `ask its publisher for a package made with \`tether pack\`.`,
  );
}

const WINDOWS_DRIVE = /^[a-zA-Z]:/;

/**
 * Checks archive entries one header at a time, before anything of the entry is written: the name (no
 * absolute path, no `..`, inside `package/`), the type (files and folders only), names that would land on
 * the same file on a case-insensitive or normalising file system, and the entry-count and size caps.
 * `vet` throws {@link InstallError} `UNSAFE_ARCHIVE` on the first entry that breaks a rule.
 */
export class ArchiveEntryVetter {
  private entryCount = 0;
  private totalBytes = 0;
  private fileCount = 0;
  private fileBytes = 0;
  /** Folded path → what is there (a file, or a folder and the spelling that made it). */
  private readonly taken = new Map<string, { readonly kind: 'file' | 'folder'; readonly spelling: string }>();

  constructor(private readonly limits: ResolvedExtractLimits) {}

  /** Files accepted so far, and the sum of their sizes. */
  get totals(): { readonly files: number; readonly bytes: number } {
    return { files: this.fileCount, bytes: this.fileBytes };
  }

  vet(entry: ArchiveEntryHeader): void {
    const name = entry.path;
    this.entryCount += 1;
    if (this.entryCount > this.limits.maxEntries) {
      throw unsafeArchiveError(
        name,
        'too-many-entries',
        `the archive holds more than ${this.limits.maxEntries} entries; if the package is genuine, ` +
          `raise ExtractLimits.maxEntries`,
      );
    }
    const segments = this.checkName(name, entry.type);
    this.checkType(name, entry.type);
    this.checkSize(name, entry.size);
    this.claim(name, segments, entry.type === 'Directory');
    if (entry.type !== 'Directory') {
      this.fileCount += 1;
      this.fileBytes += entry.size;
    }
  }

  /** The name's segments (`package` first), or a refusal. */
  private checkName(name: string, type: string): string[] {
    if (name.length === 0 || hasControlCharacter(name)) {
      throw unsafeArchiveError(name, 'bad-name', 'an entry name is empty or holds control characters');
    }
    if (name.startsWith('/') || WINDOWS_DRIVE.test(name)) {
      throw unsafeArchiveError(name, 'absolute-path', 'an entry name must be relative to the package folder');
    }
    if (name.includes('\\')) {
      throw unsafeArchiveError(
        name,
        'backslash',
        'a backslash is a folder separator on Windows and a plain character elsewhere',
      );
    }
    const raw = name.split('/');
    if (raw.includes('..')) {
      throw unsafeArchiveError(
        name,
        'parent-segment',
        'a ".." segment would write outside the package folder',
      );
    }
    // "./package/x" (GNU tar's spelling) and "package/dir/" (a folder) are fine; other empty or "." segments
    // are not: they are no part of what `tether pack` writes, and hide one name behind another.
    const start = raw[0] === '.' ? 1 : 0;
    const end = raw.length > 1 && raw[raw.length - 1] === '' ? raw.length - 1 : raw.length;
    const segments = raw.slice(start, end);
    if (segments.length === 0 || segments.some((segment) => segment === '' || segment === '.')) {
      throw unsafeArchiveError(name, 'bad-name', 'an entry name has an empty or "." segment');
    }
    if (segments[0] !== PACKAGE_ARCHIVE_FOLDER || (segments.length === 1 && type !== 'Directory')) {
      throw unsafeArchiveError(
        name,
        'outside-package-folder',
        `every entry of a package lives in its "${PACKAGE_ARCHIVE_FOLDER}/" folder (npm-pack layout)`,
      );
    }
    if (
      segments.length > MAX_ARCHIVE_PATH_DEPTH ||
      name.length > MAX_ARCHIVE_PATH_CHARS ||
      segments.some((segment) => Buffer.byteLength(segment) > MAX_ARCHIVE_NAME_SEGMENT_BYTES)
    ) {
      throw unsafeArchiveError(
        name,
        'path-too-long',
        `at most ${MAX_ARCHIVE_PATH_DEPTH} segments, ${MAX_ARCHIVE_PATH_CHARS} characters, and ` +
          `${MAX_ARCHIVE_NAME_SEGMENT_BYTES} bytes per segment`,
      );
    }
    return segments;
  }

  private checkType(name: string, type: string): void {
    switch (type) {
      case 'File':
      case 'OldFile':
      case 'Directory':
        return;
      case 'SymbolicLink':
        throw unsafeArchiveError(
          name,
          'symlink',
          'a package holds no symbolic links; one could point outside it',
        );
      case 'Link':
        throw unsafeArchiveError(name, 'hardlink', 'a package holds no hard links');
      case 'CharacterDevice':
      case 'BlockDevice':
      case 'FIFO':
        throw unsafeArchiveError(name, 'special-file', `a package holds no ${type} entries`);
      default:
        throw unsafeArchiveError(
          name,
          'unsupported-type',
          `a package holds only files and folders, not ${type} entries`,
        );
    }
  }

  private checkSize(name: string, size: number): void {
    if (size > this.limits.maxEntryBytes) {
      throw unsafeArchiveError(
        name,
        'entry-too-large',
        `${size} bytes, over the cap of ${this.limits.maxEntryBytes}; if the package is genuine, ` +
          `raise ExtractLimits.maxEntryBytes`,
      );
    }
    this.totalBytes += size;
    if (this.totalBytes > this.limits.maxTotalBytes) {
      throw unsafeArchiveError(
        name,
        'total-too-large',
        `the entries add up to more than ${this.limits.maxTotalBytes} bytes; if the package is genuine, ` +
          `raise ExtractLimits.maxTotalBytes`,
      );
    }
  }

  /**
   * Refuses a name that lands where another entry already is on some file system: the same letters in
   * another case (`README`, `readme`), the same text in another Unicode normalisation (NFC and NFD "é"),
   * a file where a folder is needed, or the same file twice. The case folding is Unicode's full folding as
   * far as JavaScript offers it: upper-casing then lower-casing also folds "ß" with "SS".
   */
  private claim(name: string, segments: readonly string[], isFolder: boolean): void {
    let spelling = '';
    let key = '';
    for (const [index, segment] of segments.entries()) {
      spelling += (index === 0 ? '' : '/') + segment;
      key += (index === 0 ? '' : '/') + segment.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
      const last = index === segments.length - 1;
      const existing = this.taken.get(key);
      const wantsFolder = !last || isFolder;
      if (existing === undefined) {
        this.taken.set(key, { kind: wantsFolder ? 'folder' : 'file', spelling });
        continue;
      }
      if (wantsFolder && existing.kind === 'folder' && existing.spelling === spelling) continue;
      const what =
        existing.kind === 'file' && existing.spelling === spelling && !wantsFolder
          ? `the archive holds ${JSON.stringify(spelling)} twice`
          : existing.kind !== (wantsFolder ? 'folder' : 'file')
            ? `${JSON.stringify(spelling)} is needed as a ${wantsFolder ? 'folder' : 'file'} but the archive ` +
              `also has it as a ${existing.kind}`
            : `${JSON.stringify(spelling)} and ${JSON.stringify(existing.spelling)} are the same name on ` +
              `case-insensitive or Unicode-normalising file systems (macOS, Windows)`;
      throw unsafeArchiveError(name, 'name-collision', what);
    }
  }
}

/** True when `name` holds a C0 control character or DEL (a NUL, a newline, an escape…). */
function hasControlCharacter(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
