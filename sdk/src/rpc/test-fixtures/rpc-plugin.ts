// A real plugin process for the RPC tests: connects to the test host's socket and serves the calculator.
import { MuxSession } from '../../mux/mux-session.js';
import { connectToTestHost } from '../../test-support/peer-connect.js';
import { RpcPeer } from '../rpc-peer.js';
import '../node/node-streams.js'; // Node Readables and broker Duplexes, as '@tether/sdk' installs them
import { exposeCalculator } from './calculator-impl.js';

const transport = await connectToTestHost({ exitOnClose: true });
const peer = new RpcPeer(new MuxSession(transport, { role: 'acceptor' }), { peerName: 'the test host' });
exposeCalculator(peer);
