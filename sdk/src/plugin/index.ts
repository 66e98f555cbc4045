// The plugin layer: serve() for plugin authors, the host's half of the handshake for the extension host.
export { serve, SOCKET_ENV, NOT_STARTED_MESSAGE } from './serve.js';
export { servePlugin } from './serve-plugin.js';
export { processEnvironment, isAlive, type PluginEnvironment } from './plugin-environment.js';
export { implement, type ServiceBinding } from './service-binding.js';
export type {
  ServeOptions,
  ServeHandle,
  HandshakeConfig,
  PluginContext,
  ServicesFactory,
} from './serve-options.js';
export {
  commandService,
  isValidCommandId,
  type CommandService,
  type CommandHandler,
  type CommandHandlers,
} from './command-service.js';
export { watchHost, HOST_PID_ENV } from './host-watch.js';
export {
  performHostHandshake,
  type HostHandshakeOptions,
  type HandshakeResult,
  type HostControl,
} from './host-handshake.js';
export { negotiateVersion } from './version-negotiation.js';
export {
  HANDSHAKE_CHANNEL_LABEL,
  encodeHandshakeMessage,
  parseHandshakeMessage,
  helloVersions,
  type HandshakeMessage,
  type HandshakeMessageType,
  type HelloMessage,
  type WelcomeMessage,
  type RejectMessage,
  type RejectCode,
  type ReadyMessage,
  type StopMessage,
} from './handshake-messages.js';
