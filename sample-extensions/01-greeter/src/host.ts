// The host: start the plugin, call it through a typed Remote<Greeter>, stop it.
//   npm start -w @tether-samples/greeter [-- name]
import { greeter } from './contract.js';
import { startGreeter } from './launch.js';

const name = process.argv[2] ?? 'world';
const client = await startGreeter();
try {
  console.log(await client.dispense(greeter).greet(name));
} finally {
  await client.stop();
}
