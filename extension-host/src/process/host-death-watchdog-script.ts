/**
 * The host-death watchdog's other half: a POSIX shell script (run by `sh -c`, builtins only while it waits)
 * that reads the host's lines on stdin and acts when stdin ends — which happens when the host dies, however
 * it dies, since the host holds the only write end of that pipe (close-on-exec, so no plugin inherits it).
 *
 * Lines (one command each, written by `host-death-watchdog.ts`):
 * - `+<pgid>`: a plugin's process group started; `-<pgid>`: the host saw its leader exit, forget it.
 * - `c<dir>`: the host's plugin cgroups live in `<dir>` (cgroup v2, one child cgroup per plugin).
 * - `q`: exit now, killing nothing (the host is disposing the watchdog on purpose).
 *
 * At the end of stdin: `1` into `<dir>/cgroup.kill` (SIGKILLs every process of every plugin cgroup, however
 * it left its process group), SIGKILL to every group still listed, then the cgroups are removed once empty.
 * A group is forgotten before the host could learn its id was free, so a reused id is never signalled (the
 * host writes `-<pgid>` in the same tick as it observes the exit, and pipe writes keep their order).
 */
export const WATCHDOG_SCRIPT = `
trap '' HUP INT
groups=' '
cgroups=''
while IFS= read -r line; do
  case $line in
    q) exit 0 ;;
    c/*) cgroups=\${line#c} ;;
    +*[!0-9]* | -*[!0-9]*) ;;
    +?*) groups="$groups\${line#+} " ;;
    -?*)
      g=\${line#-}
      case $groups in *" $g "*) groups="\${groups%% $g *} \${groups#* $g }" ;; esac
      ;;
  esac
done
if [ -n "$cgroups" ]; then echo 1 > "$cgroups/cgroup.kill"; fi
for g in $groups; do kill -s KILL -- "-$g"; done
if [ -n "$cgroups" ]; then
  n=0
  while [ -d "$cgroups" ] && [ $n -lt 100 ]; do
    for d in "$cgroups"/*/; do [ -d "$d" ] && rmdir "$d"; done
    rmdir "$cgroups" && break
    n=$((n + 1))
    sleep 0.05
  done
fi
`;
