// The host's data as the UI receives it, all from the ManagerApi contract's module (type-only: erased from the
// bundle, so no Node module can follow them in; the one runtime import is the contract itself).
import type { Remote } from '@tether/sdk/common';
import type { ManagerApi } from '@tether/extension-host/manager-api';

export type {
  ContributedCommand,
  InstallRequestOptions,
  ManagerApi,
  TracingState,
  ExtensionError,
  ExtensionSnapshot,
  ExtensionState,
  ExtensionStateChange,
  ExtensionStats,
  HostLogRecord,
  InstallProgress,
  LogFilter,
  LogLevel,
  LogPage,
  LogQuery,
} from '@tether/extension-host/manager-api';

/** The host's manager, as every view holds it. */
export type ManagerRemote = Remote<ManagerApi>;
