#!/usr/bin/env node
// The `edgeq` command: src/cli bundled into dist/cli.js by `npm run build:cli` (run by `npm install`).
import { run } from "../dist/cli.js";

process.exitCode = await run(process.argv.slice(2));
