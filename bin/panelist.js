#!/usr/bin/env node

// The `panelist` operator CLI. Runs the compiled build (npm install builds it; see README).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  console.error('panelist: the build is missing; run `npm install` (or `npm run build`) in the Panelist folder first.');
  process.exit(1);
}
require(entry).cliMain();
