// The extension manager: discovery, states, activation, supervision, permissions, and its API for UIs.
export { ExtensionHostManager, MANAGER_LOG_NAME, type InstallResult } from './extension-host-manager.js';
export { defaultDataFolder, type ExtensionHostManagerOptions } from './manager-options.js';
export {
  extensionStates,
  type ExtensionState,
  type ExtensionSnapshot,
  type ExtensionStateChange,
  type ExtensionError,
} from './extension-state.js';
export type { RestartPolicy } from './restart-policy.js';
export type { ExtensionStats, StatsListener } from './stats-monitor.js';
export type { HostApiDenial } from './host-api-gate.js';
export {
  managerApi,
  type ManagerApi,
  type ContributedCommand,
  type ExtensionListChange,
  type InstallRequestOptions,
  type UploadRequestOptions,
  type TracingState,
} from './manager-api.js';
export { managerApiBinding } from './manager-api-service.js';
// The manager's control socket (`tether host` serves it; `tether list`… and other local UIs connect).
export { ControlSocketServer, serveControlSocket } from './control-socket-server.js';
export { connectControlSocket, type ControlConnection } from './control-socket-client.js';
export { controlSocketPath } from './control-socket-path.js';
