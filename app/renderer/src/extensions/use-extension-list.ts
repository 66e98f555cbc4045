// The extensions as the host has them, kept current by its events: `list()` once per connection, then
// `onDidChangeState` (one extension's new snapshot), `onDidChangeGrants` (its new grants, from any UI) and
// `onDidChangeExtensions` (added, removed).
import { useCallback, useEffect, useState } from 'react';
import type { ExtensionSnapshot, ManagerRemote } from '../connection/host-types.js';
import { errorText } from '../common/error-text.js';

export interface ExtensionList {
  /** In the host's order; undefined until the first list arrived. */
  readonly extensions: readonly ExtensionSnapshot[] | undefined;
  readonly error: string | undefined;
  /** Reads one extension again (after an action whose event may not have arrived yet). */
  readonly refresh: (id: string) => Promise<void>;
}

function upsert(snapshot: ExtensionSnapshot, from: readonly ExtensionSnapshot[]): ExtensionSnapshot[] {
  const index = from.findIndex((e) => e.id === snapshot.id);
  if (index < 0) return [...from, snapshot];
  const next = from.slice();
  next[index] = snapshot;
  return next;
}

export function useExtensionList(api: ManagerRemote | undefined): ExtensionList {
  const [list, setList] = useState<Pick<ExtensionList, 'extensions' | 'error'>>({
    extensions: undefined,
    error: undefined,
  });
  useEffect(() => {
    if (api === undefined) return;
    let listed = false;
    let disposed = false;
    // Events sent before the list's answer are already in it: apply only those after.
    const stateSub = api.onDidChangeState((change) => {
      if (!listed) return;
      setList((current) => ({
        ...current,
        extensions: upsert(change.snapshot, current.extensions ?? []),
      }));
    });
    const grantsSub = api.onDidChangeGrants((snapshot) => {
      if (!listed) return;
      setList((current) => ({ ...current, extensions: upsert(snapshot, current.extensions ?? []) }));
    });
    const listSub = api.onDidChangeExtensions((change) => {
      if (!listed) return;
      setList((current) => {
        let next = (current.extensions ?? []).filter((e) => !change.removed.includes(e.id));
        for (const added of change.added) next = upsert(added, next);
        return { ...current, extensions: next };
      });
    });
    api.list().then(
      (extensions) => {
        if (disposed) return;
        listed = true;
        setList({ extensions, error: undefined });
      },
      (error: unknown) => {
        if (!disposed) setList((current) => ({ ...current, error: errorText(error) }));
      },
    );
    return () => {
      disposed = true;
      stateSub.dispose();
      grantsSub.dispose();
      listSub.dispose();
    };
  }, [api]);
  const refresh = useCallback(
    async (id: string) => {
      if (api === undefined) return;
      const snapshot = await api.get(id);
      setList((current) => ({ ...current, extensions: upsert(snapshot, current.extensions ?? []) }));
    },
    [api],
  );
  return { ...list, refresh };
}
