// The host's data as the UI receives it. Type-only imports from the extension host: they are erased from the
// bundle, so no Node module can follow them in (the one runtime import is the ManagerApi contract).
import type { Remote } from '@tether/sdk/common';
import type { ManagerApi } from '@tether/extension-host/manager-api';

export type {
  ContributedCommand,
  InstallRequestOptions,
  ManagerApi,
  TracingState,
} from '@tether/extension-host/manager-api';
export type {
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
} from '@tether/extension-host';

/** The host's manager, as every view holds it. */
export type ManagerRemote = Remote<ManagerApi>;
