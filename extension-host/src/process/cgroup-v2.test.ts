import { describe, expect, it } from 'vitest';
import { cgroupDirFrom } from './cgroup-v2.js';

const hybrid =
  '30 1 0:26 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755\n' +
  '31 30 0:27 / /sys/fs/cgroup/memory rw,relatime shared:10 - cgroup cgroup rw,memory\n' +
  '40 30 0:37 / /sys/fs/cgroup/unified rw,relatime shared:11 - cgroup2 cgroup2 rw\n';
const unified = '35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw\n';

describe('cgroupDirFrom', () => {
  it('joins the cgroup2 mount and the 0:: path (pure v2, hybrid, the root cgroup)', () => {
    const scope = '0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-x.scope\n';
    expect(cgroupDirFrom(unified, scope)).toBe(
      '/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice/app-x.scope',
    );
    expect(cgroupDirFrom(hybrid, '4:memory:/a\n0::/\n')).toBe('/sys/fs/cgroup/unified');
    expect(cgroupDirFrom(hybrid, '0::/a b\n')).toBe('/sys/fs/cgroup/unified/a b');
  });

  it('strips the root of a mount that shows a subtree, and unescapes the mount point', () => {
    const bind = '50 1 0:30 /lxc/c1 /mnt/my\\040cgroups rw - cgroup2 cgroup2 rw\n';
    expect(cgroupDirFrom(bind, '0::/lxc/c1/app\n')).toBe('/mnt/my cgroups/app');
    expect(cgroupDirFrom(bind, '0::/elsewhere\n')).toBeUndefined();
  });

  it('is undefined without a cgroup v2 line, without a cgroup2 mount, or for a deleted cgroup', () => {
    expect(cgroupDirFrom(unified, '4:memory:/a\n')).toBeUndefined();
    expect(
      cgroupDirFrom('31 30 0:27 / /sys/fs/cgroup/memory rw - cgroup cgroup rw\n', '0::/\n'),
    ).toBeUndefined();
    expect(cgroupDirFrom(unified, '0::/gone (deleted)\n')).toBeUndefined();
  });
});
