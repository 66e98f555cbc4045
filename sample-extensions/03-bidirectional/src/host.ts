// The host: keeps the counts and does the sums; the plugin drives them. Every call across the process
// boundary is traced, so you can see the calls go both ways.
//   npm start -w @tether-samples/bidirectional
import { proxy } from '@tether/sdk';
import { counter, type Adder, type CounterStorage } from './contract.js';
import { startCounter } from './launch.js';

const counts = new Map<string, number>();
const storage: CounterStorage = {
  load(key) {
    const value = counts.get(key) ?? 0;
    console.log(`    plugin → host  storage.load(${JSON.stringify(key)}) = ${value}`);
    return value;
  },
  save(key, value) {
    console.log(`    plugin → host  storage.save(${JSON.stringify(key)}, ${value})`);
    counts.set(key, value);
  },
};
const adder: Adder = {
  add(a, b) {
    console.log(`    plugin → host  adder.add(${a}, ${b}) = ${a + b}`);
    return a + b;
  },
};

const client = await startCounter({ storage });
try {
  const remote = client.dispense(counter);
  const adderByReference = proxy(adder); // crosses as a reference: the plugin's calls come back here
  const subscription = remote.onDidChange(({ key, value }) =>
    console.log(`  event          onDidChange ${key} = ${value}`),
  );
  for (const [key, by] of [
    ['apples', 1],
    ['apples', 2],
    ['pears', 5],
  ] as const) {
    console.log(`host → plugin   counter.increment(${JSON.stringify(key)}, ${by}, proxy(adder))`);
    console.log(`host ← plugin   ${await remote.increment(key, by, adderByReference)}`);
  }
  subscription.dispose();
  console.log(`counts kept by the host: ${JSON.stringify(Object.fromEntries(counts))}`);
} finally {
  await client.stop();
}
