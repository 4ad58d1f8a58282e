// Entry point of the compiled build: `node dist/server/main.js start`.
import { main } from './cli.ts';

await main(process.argv);
