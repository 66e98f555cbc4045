// The contract the plugin-layer tests share: a plugin service, a second one served only at version 2, and a
// service the host provides to plugins.
import { defineService } from '../../rpc/service.js';

export interface Greeter {
  greet(name: string): string;
}
export const greeter = defineService<Greeter>()('greeter', { methods: { greet: {} } });

export interface Admin {
  uptime(): number;
}
export const admin = defineService<Admin>()('admin', { methods: { uptime: {} } });

export interface HostApi {
  appName(): string;
}
export const hostApi = defineService<HostApi>()('host-api', { methods: { appName: {} } });

export const handshake = { cookieKey: 'TETHER_TEST_COOKIE', cookieValue: 'plugin-layer-tests' };
