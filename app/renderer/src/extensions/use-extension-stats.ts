// Resource figures of every extension, live while the Extensions view is shown: the host samples only while
// someone reads `followStats`, so this runs only while the view is mounted.
import { useEffect, useState } from 'react';
import { followStream } from '../connection/follow-stream.js';
import type { ExtensionStats, ManagerRemote } from '../connection/host-types.js';

export function useExtensionStats(api: ManagerRemote | undefined): ReadonlyMap<string, ExtensionStats> {
  const [stats, setStats] = useState<ReadonlyMap<string, ExtensionStats>>(new Map());
  useEffect(() => {
    if (api === undefined) return;
    return followStream(() => api.followStats(), {
      item: (sample) => setStats(new Map(sample.map((s) => [s.id, s]))),
      error: (error) => console.warn('[tether] resource figures stopped:', error),
    });
  }, [api]);
  return stats;
}
