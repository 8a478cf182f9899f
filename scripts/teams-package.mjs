// `npm run teams:package`: builds dist/teams/panelist-teams.zip (manifest.json + both icons) for
// upload to Teams. ${TEAMS_CLIENT_ID} and ${PANELIST_HOST} in the manifest are filled from the
// environment (PANELIST_HOST defaults to PUBLIC_URL's host). The zip is fflate's (no dependencies of
// its own); every entry dated 1980-01-01, so the same inputs give the same bytes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { zipSync } from 'fflate';

const root = new URL('../', import.meta.url);
const dir = new URL('manifests/teams/', root);
const clientId = process.env.TEAMS_CLIENT_ID;
const host = process.env.PANELIST_HOST ?? (process.env.PUBLIC_URL ? new URL(process.env.PUBLIC_URL).host : undefined);
const problems = [];
if (!clientId || !/^[0-9a-f-]{36}$/i.test(clientId)) problems.push('TEAMS_CLIENT_ID must be the bot’s app (client) id, a GUID');
if (!host) problems.push('PANELIST_HOST (or PUBLIC_URL) must name the public host that reaches Panelist');
if (problems.length) {
  console.error(`Cannot build the Teams package:\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
const manifestText = readFileSync(new URL('manifest.json', dir), 'utf8')
  .replaceAll('${TEAMS_CLIENT_ID}', clientId)
  .replaceAll('${PANELIST_HOST}', host);
const manifest = JSON.parse(manifestText);
for (const icon of [manifest.icons.color, manifest.icons.outline]) readFileSync(new URL(icon, dir));
const files = [
  ['manifest.json', Buffer.from(JSON.stringify(manifest, null, 2))],
  [manifest.icons.color, readFileSync(new URL(manifest.icons.color, dir))],
  [manifest.icons.outline, readFileSync(new URL(manifest.icons.outline, dir))],
];

const REPRODUCIBLE = { mtime: new Date('1980-01-01T00:00:00') };
const zip = zipSync(Object.fromEntries(files.map(([name, data]) => [name, [new Uint8Array(data), REPRODUCIBLE]])));
const out = new URL('dist/teams/', root);
mkdirSync(out, { recursive: true });
writeFileSync(new URL('panelist-teams.zip', out), zip);
console.log(`wrote dist/teams/panelist-teams.zip (${files.map(([n]) => n).join(', ')}) for app ${clientId} at ${host}`);
// Tenant-wide Graph permissions cannot be asked for by a manifest (it holds resource-specific consent only).
console.log(
  'If an Entra group should name Panelist admins (`npx panelist admins group set <group object id>`), also give the app registration ' +
    'Microsoft Graph’s User.Read.All and GroupMember.Read.All application permissions, with admin consent.',
);
