// The one service every lifecycle child serves (Tether's plugin declares it; the peers mirror its method),
// and the magic cookie the Tether host and plugin share.
import { defineService } from '@tether/sdk';

export interface Calc {
  add(a: number, b: number): number;
}

export const calc = defineService<Calc>()('lifecycle.calc', { methods: { add: {} } });

export const handshake = { cookieKey: 'TETHER_LIFECYCLE_BENCH', cookieValue: 'start-stop-idle' };
