import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Disposable } from '@tether/sdk';

/**
 * Calls `onChange` (debounced by `debounceMs`) when anything is added, removed, renamed or changed directly in
 * one of `folders`: an extension folder installed or removed, or — for a development folder that is itself an
 * extension — its package.json edited. (fs.watch: inotify, FSEvents, ReadDirectoryChangesW; no polling, so an
 * idle manager costs nothing. Edits deep inside an installed extension are not watched: `rescan()`.) A folder that does not exist yet is watched through its parent until it
 * appears. Errors of a watcher (the folder deleted) re-arm it through the parent.
 */
export class FolderWatcher implements Disposable {
  readonly #folders: readonly string[];
  readonly #onChange: () => void;
  readonly #debounceMs: number;
  readonly #watchers = new Map<string, FSWatcher>();
  #timer: NodeJS.Timeout | undefined;
  #disposed = false;

  constructor(folders: readonly string[], onChange: () => void, debounceMs: number) {
    this.#folders = folders.map((folder) => path.resolve(folder));
    this.#onChange = onChange;
    this.#debounceMs = debounceMs;
    for (const folder of this.#folders) this.#arm(folder);
  }

  /** (Re)watches `folder`, or its nearest existing ancestor when it is gone. */
  #arm(folder: string): void {
    if (this.#disposed) return;
    this.#watchers.get(folder)?.close();
    this.#watchers.delete(folder);
    let target = folder;
    for (;;) {
      try {
        const watcher = watch(target, { persistent: false, recursive: false }, () => this.#changed(folder));
        watcher.on('error', () => {
          watcher.close();
          this.#changed(folder);
        });
        this.#watchers.set(folder, watcher);
        return;
      } catch {
        const parent = path.dirname(target);
        if (parent === target) return;
        target = parent;
      }
    }
  }

  #changed(folder: string): void {
    if (this.#disposed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // A folder that appeared (or vanished) since it was armed gets a watcher of its own again.
      this.#arm(folder);
      this.#onChange();
    }, this.#debounceMs);
    this.#timer.unref();
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }
}
