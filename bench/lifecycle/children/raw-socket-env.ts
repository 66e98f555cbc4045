// Kept apart from contract.ts so that the raw floor's child imports nothing of the sdk.
/** Environment variable naming the Unix socket the raw floor's child connects to. */
export const RAW_SOCKET_ENV = 'TETHER_BENCH_SOCKET';
