// The one service every extension of the manager bench serves, and the magic cookie the app (the bench's
// manager) and its extensions share.
import { defineService } from '@tether/sdk';

export interface Idle {
  ping(): string;
}

export const idleService = defineService<Idle>()('bench.idle', { methods: { ping: {} } });

export const managerBenchHandshake = { cookieKey: 'TETHER_MANAGER_BENCH', cookieValue: 'fifty-idle' };
