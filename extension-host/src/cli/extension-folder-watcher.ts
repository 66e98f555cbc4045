// `tether dev`'s eyes: every folder of one extension watched (fs.watch, no polling), so that an author's
// edit — or a build writing dist/ — restarts it. node_modules and dot files and folders (.git…) are ignored: they
// are large, and change for reasons of their own.
import { watch, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Disposable } from '@tether/sdk';

/** Folder names never watched, at any depth. */
const ignoredFolders = new Set(['node_modules']);

function isIgnored(name: string): boolean {
  return name.startsWith('.') || ignoredFolders.has(name);
}

/**
 * Calls `onChange` with the files that changed (relative to `root`), `debounceMs` after the last change of a
 * burst (an editor's save, a build), once per burst. Folders created later are watched from the next burst
 * on; folders removed stop being watched.
 */
export class ExtensionFolderWatcher implements Disposable {
  readonly #root: string;
  readonly #onChange: (files: readonly string[]) => void;
  readonly #debounceMs: number;
  readonly #watchers = new Map<string, FSWatcher>();
  readonly #changed = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #disposed = false;

  private constructor(root: string, onChange: (files: readonly string[]) => void, debounceMs: number) {
    this.#root = root;
    this.#onChange = onChange;
    this.#debounceMs = debounceMs;
  }

  /** Watches `root` and every folder under it (but node_modules and dot folders); resolves once armed. */
  static async watch(
    root: string,
    onChange: (files: readonly string[]) => void,
    debounceMs: number,
  ): Promise<ExtensionFolderWatcher> {
    const watcher = new ExtensionFolderWatcher(path.resolve(root), onChange, debounceMs);
    await watcher.#arm();
    return watcher;
  }

  /** Folders watched now. */
  get folders(): number {
    return this.#watchers.size;
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }

  /** Watches the folders that exist now and are not watched yet; forgets those that are gone. */
  async #arm(): Promise<void> {
    const folders = await this.#folders();
    if (this.#disposed) return;
    for (const [folder, watcher] of this.#watchers) {
      if (!folders.includes(folder)) {
        watcher.close();
        this.#watchers.delete(folder);
      }
    }
    for (const folder of folders) {
      if (this.#watchers.has(folder)) continue;
      try {
        const watcher = watch(folder, { persistent: false }, (_event, name) =>
          this.#saw(name === null ? folder : path.join(folder, name.toString())),
        );
        watcher.on('error', () => {
          watcher.close();
          this.#watchers.delete(folder);
          this.#saw(folder);
        });
        this.#watchers.set(folder, watcher);
      } catch {
        // Gone between the listing and now: the next burst re-arms.
      }
    }
  }

  async #folders(): Promise<string[]> {
    const folders: string[] = [];
    const pending = [this.#root];
    for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
      folders.push(folder);
      const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (entry.isDirectory() && !isIgnored(entry.name)) pending.push(path.join(folder, entry.name));
      }
    }
    return folders;
  }

  #saw(file: string): void {
    if (this.#disposed) return;
    const relative = path.relative(this.#root, file);
    if (relative.split(path.sep).some(isIgnored)) return;
    this.#changed.add(relative === '' ? '.' : relative);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#settle(), this.#debounceMs);
    this.#timer.unref();
  }

  async #settle(): Promise<void> {
    this.#timer = undefined;
    await this.#arm();
    if (this.#disposed || this.#changed.size === 0) return;
    const files = [...this.#changed].sort();
    this.#changed.clear();
    this.#onChange(files);
  }
}
