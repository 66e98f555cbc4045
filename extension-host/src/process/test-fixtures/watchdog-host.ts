// A host process for the watchdog tests. argv: <mode> <pgid…>. It lists the groups with a HostDeathWatchdog,
// prints one JSON line { watchdog, replaced? } and then, by mode:
//   watch            waits to be killed
//   forget-then-die  forgets every group and SIGKILLs itself in the same tick
//   exit             does nothing more: nothing must keep it alive
//   dispose          disposes the watchdog (which must kill nothing), then exits
//   replace          kills its watchdog first and reports the replacement, then waits to be killed
import { HostDeathWatchdog } from '../host-death-watchdog.js';

const [mode, ...groups] = process.argv.slice(2);
const watchdog = new HostDeathWatchdog({ restartIntervalMs: 0 });
const watched = groups.map((pgid) => watchdog.watch(Number(pgid)));
const report: Record<string, number | undefined> = { watchdog: watchdog.pid };

if (mode === 'replace') {
  const first = watchdog.pid!;
  process.kill(first, 'SIGKILL');
  while (watchdog.pid === first || watchdog.pid === undefined) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  Object.assign(report, { watchdog: watchdog.pid, replaced: first });
}
process.stdout.write(`${JSON.stringify(report)}\n`);
if (mode === 'watch' || mode === 'replace') setInterval(() => undefined, 1000);
if (mode === 'forget-then-die') {
  for (const each of watched) each.dispose();
  process.kill(process.pid, 'SIGKILL');
}
if (mode === 'dispose') watchdog.dispose();
