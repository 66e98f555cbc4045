// Test-only: a raw-mode program for a pseudo-terminal, as Node arguments (`node -e …`, so it starts fast,
// without a loader). Prints "READY <cols>x<rows>", then "GOT <hex>" for every chunk of input (so Ctrl-C
// shows as "GOT 03" instead of killing it), "SIZE <cols>x<rows>" on every resize, and exits 0 after a "q".
const source = `
const size = () => process.stdout.columns + 'x' + process.stdout.rows;
process.stdin.setRawMode(true);
process.stdout.write('READY ' + size() + '\\r\\n');
process.stdout.on('resize', () => process.stdout.write('SIZE ' + size() + '\\r\\n'));
process.stdin.on('data', (data) => {
  const hex = [...data].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
  process.stdout.write('GOT ' + hex + '\\r\\n');
  if (data.includes(0x71)) process.exit(0);
});
`;

/** `node` arguments that run the program. */
export const KEY_ECHO_ARGS: readonly string[] = ['-e', source];
