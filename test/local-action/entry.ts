// The entry @github/local-action loads: it calls an exported run() with no arguments and ignores
// its result, so this adapts the action's run(options) and turns the outcome into the exit code.
import { run as main } from '../../src/main';

export async function run(): Promise<void> {
  process.exitCode = await main({ env: process.env });
}
