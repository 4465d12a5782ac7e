#!/usr/bin/env node
'use strict';
// The lightning-store command. It runs the compiled CLI in dist/, which `npm run build` (and `npm install`,
// through the prepare script) produces.
const path = require('node:path');
const { existsSync } = require('node:fs');

const main = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!existsSync(main)) {
  process.stderr.write(`lightning-store: ${main} is missing; run "npm run build" first.\n`);
  process.exit(1);
}
require(main);
