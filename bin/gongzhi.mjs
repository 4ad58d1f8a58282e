#!/usr/bin/env node
// The `gongzhi` command. Runs the TypeScript sources through tsx, so a checkout works after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/server/cli.ts');
await main(process.argv);
