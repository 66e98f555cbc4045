// The strip under the header while the UI has no connection to the host: what happened, that it is
// reconnecting, and a button to try at once.
import { useContext, type ReactElement } from 'react';
import { ConnectionContext, useConnection } from './manager-connection.js';

export function ConnectionBanner(): ReactElement | null {
  const connection = useContext(ConnectionContext);
  const { status, attempt, error } = useConnection();
  if (status === 'connected') return null;
  if (status === 'connecting')
    return (
      <div className="banner info" role="status">
        Connecting to the host…
      </div>
    );
  return (
    <div className="banner warn" role="alert">
      <strong>{status === 'closed' ? 'Disconnected.' : 'Disconnected — reconnecting…'}</strong>
      {error !== undefined && (
        <span className="reason">
          {' '}
          ({error}
          {attempt > 1 ? `; attempt ${attempt}` : ''})
        </span>
      )}
      {status === 'reconnecting' && (
        <button type="button" onClick={() => connection?.reconnectNow()}>
          Retry now
        </button>
      )}
    </div>
  );
}
