#!/usr/bin/env node
// Regenerates gen/ from proto/: TypeScript stubs (ts-proto, local plugin) and a binary descriptor set
// that the server hands to gRPC reflection. Offline: buf runs the plugin from node_modules.
'use strict';
const { execFileSync } = require('node:child_process');
const { rmSync, mkdirSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const buf = path.join(root, 'node_modules', '.bin', 'buf');
const gen = path.join(root, 'gen');

rmSync(gen, { recursive: true, force: true });
mkdirSync(gen, { recursive: true });
execFileSync(buf, ['generate'], { cwd: root, stdio: 'inherit' });
execFileSync(buf, ['build', '--exclude-source-info', '-o', path.join(gen, 'lightning-store.binpb')], {
  cwd: root,
  stdio: 'inherit',
});
