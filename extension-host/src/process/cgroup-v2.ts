/**
 * Where this process sits in the cgroup v2 hierarchy (Linux): the directory of its own cgroup, found from
 * `/proc/self/cgroup` (the `0::<path>` line) and the cgroup2 mount in `/proc/self/mountinfo`. Works on a
 * pure cgroup v2 system (`/sys/fs/cgroup`) and on a hybrid one (`/sys/fs/cgroup/unified`).
 */
import { readFileSync } from 'node:fs';

/**
 * The directory of the cgroup v2 that `procCgroup` (the text of `/proc/<pid>/cgroup`) names, under the
 * cgroup2 mount listed in `mountinfo` (the text of `/proc/<pid>/mountinfo`); undefined when there is no
 * cgroup v2 line, no cgroup2 mount, or the mount does not show that cgroup (a bind mount of another subtree).
 */
export function cgroupDirFrom(mountinfo: string, procCgroup: string): string | undefined {
  const line = procCgroup.split('\n').find((each) => each.startsWith('0::'));
  if (line === undefined) return undefined;
  const path = line.slice(3);
  if (!path.startsWith('/') || path.includes('\n') || path.endsWith(' (deleted)')) return undefined;
  for (const mount of mountinfo.split('\n')) {
    // "36 25 0:30 <root> <mount point> <options> [optional fields…] - <fs type> <source> <super options>"
    const [left, right] = mount.split(' - ');
    if (right === undefined || !right.startsWith('cgroup2 ')) continue;
    const fields = left!.split(' ');
    const root = unescapeMountField(fields[3] ?? '');
    const mountPoint = unescapeMountField(fields[4] ?? '');
    if (mountPoint === '') continue;
    if (root === '/') return join(mountPoint, path);
    if (path === root || path.startsWith(`${root}/`)) return join(mountPoint, path.slice(root.length));
  }
  return undefined;
}

/** This process's own cgroup v2 directory, or undefined (not Linux, no cgroup v2, unreadable). */
export function ownCgroupDir(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return cgroupDirFrom(
      readFileSync('/proc/self/mountinfo', 'utf8'),
      readFileSync('/proc/self/cgroup', 'utf8'),
    );
  } catch {
    return undefined;
  }
}

/** mountinfo escapes space, tab, newline and backslash as `\ooo` octal. */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_match, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

function join(mountPoint: string, path: string): string {
  if (path === '/' || path === '') return mountPoint;
  return `${mountPoint.endsWith('/') ? mountPoint.slice(0, -1) : mountPoint}${path}`;
}
