// Adds lock entries for optional platform packages the registry mirror here does not serve.
//
// Why: this machine's npm registry lacks some platform builds (e.g. @swc/core-darwin-arm64,
// @unrs/resolver-binding-*), so `npm install` writes a package-lock.json without them, and `npm ci`
// then refuses the lock as "out of sync". An entry naming the version is all `npm ci` needs; it
// skips an optional package it cannot fetch, as it does on any platform the package is not for.
// Run `npm run lock:complete` after every `npm install <pkg>` that rewrites the lock.
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;
const added = [];
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = path === '' ? `node_modules/${name}` : `${path}/node_modules/${name}`;
    if (packages[nested] || packages[`node_modules/${name}`]) continue;
    packages[`node_modules/${name}`] = { version, ...(entry.dev ? { dev: true } : {}), optional: true };
    added.push(`${name}@${version}`);
  }
}
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `completed the lock with ${added.length} optional entries: ${added.join(', ')}` : 'lock already complete');
