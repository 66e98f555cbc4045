// The raw fork-IPC floor's child: echoes every message on the IPC channel. No library.
process.on('message', (message) => process.send!(message));
process.on('disconnect', () => process.exit(0));
