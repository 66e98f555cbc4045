// birpc 4.2 over fork IPC with `serialization: 'advanced'`.
import { createBirpc } from 'birpc';
import type { Calc } from './contract.js';

createBirpc<object, Calc>(
  { add: (a, b) => a + b },
  { post: (data) => process.send!(data), on: (handler) => process.on('message', handler) },
);
process.on('disconnect', () => process.exit(0));
