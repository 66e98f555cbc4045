// Child of the state-file test: rewrites the manager's state file in a loop (each state ~1 MB, so a write
// takes long enough to be killed in the middle) until it is SIGKILLed. Prints "wrote N" after each write.
import { ManagerStateFile } from '../manager-state-file.js';

const file = new ManagerStateFile(process.argv[2]!);
const filler = 'x'.repeat(1024);
for (let i = 0; ; i++) {
  const grants: Record<string, string[]> = {};
  for (let n = 0; n < 1000; n++) grants[`ext-${n}`] = [`api-${i}-${filler}`];
  await file.save({ disabled: [`ext-${i}`], grants });
  process.stdout.write(`wrote ${i}\n`);
}
