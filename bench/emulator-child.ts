/**
 * Runs one emulator in its own process for the benchmarks, so that the emulator and the code
 * under test do not share a core. Prints `{"url": …}` on one stdout line once it listens and
 * stops on SIGTERM. Usage: `node --import tsx bench/emulator-child.ts dynamodb|ses`.
 */
import { startDynamoEmulator, startSesEmulator } from '../bin/local/emulators';

const kind = process.argv[2];
if (kind !== 'dynamodb' && kind !== 'ses') {
  process.stderr.write('usage: emulator-child.ts dynamodb|ses\n');
  process.exit(2);
}
const emulator =
  kind === 'dynamodb'
    ? await startDynamoEmulator({ port: 0 })
    : await startSesEmulator({ port: 0 });
process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);
const stop = () => void emulator.stop().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
