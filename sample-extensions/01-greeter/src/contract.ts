// The contract, declared once and imported by both the plugin and the host.
import { defineService } from '@tether/sdk';

export interface Greeter {
  greet(name: string): string;
}

export const greeter = defineService<Greeter>()('greeter', { methods: { greet: {} } });

/** The app's magic cookie: not a secret, just "an app that uses Tether started you". */
export const handshake = { cookieKey: 'TETHER_SAMPLES', cookieValue: 'hello-from-the-samples' };
