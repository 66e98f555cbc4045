// @tether/sdk/testing — for extension authors' unit tests: a plugin's services and a host in one process,
// over the real wire protocol (go-plugin's TestPluginRPCConn, for TypeScript). See connectInProcess().
// This entry is for Node, like '@tether/sdk': it installs Node's streams (a Node Readable crosses as one).
import './rpc/node/node-streams.js';
export {
  connectInProcess,
  type ConnectInProcessOptions,
  type ImplementationFactory,
  type InProcessPlugin,
  type InProcessPluginContext,
} from './testing/connect-in-process.js';
