// `npm run teams:package`: builds dist/teams/panelist-teams.zip (manifest.json + both icons) for
// upload to Teams. ${TEAMS_CLIENT_ID} and ${PANELIST_HOST} in the manifest are filled from the
// environment (PANELIST_HOST defaults to PUBLIC_URL's host). A stored-and-deflated zip written with
// node:zlib; no dependencies.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';

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

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

const local = [];
const central = [];
let offset = 0;
for (const [name, data] of files) {
  const nameBuf = Buffer.from(name, 'utf8');
  const deflated = deflateRawSync(data);
  const crc = crc32(data);
  const head = Buffer.alloc(30);
  head.writeUInt32LE(0x04034b50, 0);
  head.writeUInt16LE(20, 4);
  head.writeUInt16LE(0x0800, 6); // UTF-8 names
  head.writeUInt16LE(8, 8); // deflate
  head.writeUInt16LE(0, 10);
  head.writeUInt16LE(0x21, 12); // 1980-01-01: reproducible
  head.writeUInt32LE(crc, 14);
  head.writeUInt32LE(deflated.length, 18);
  head.writeUInt32LE(data.length, 22);
  head.writeUInt16LE(nameBuf.length, 26);
  head.writeUInt16LE(0, 28);
  local.push(head, nameBuf, deflated);
  const entry = Buffer.alloc(46);
  entry.writeUInt32LE(0x02014b50, 0);
  entry.writeUInt16LE(20, 4);
  entry.writeUInt16LE(20, 6);
  entry.writeUInt16LE(0x0800, 8);
  entry.writeUInt16LE(8, 10);
  entry.writeUInt16LE(0, 12);
  entry.writeUInt16LE(0x21, 14);
  entry.writeUInt32LE(crc, 16);
  entry.writeUInt32LE(deflated.length, 20);
  entry.writeUInt32LE(data.length, 24);
  entry.writeUInt16LE(nameBuf.length, 28);
  entry.writeUInt32LE(offset, 42);
  central.push(entry, nameBuf);
  offset += head.length + nameBuf.length + deflated.length;
}
const centralBuf = Buffer.concat(central);
const end = Buffer.alloc(22);
end.writeUInt32LE(0x06054b50, 0);
end.writeUInt16LE(files.length, 8);
end.writeUInt16LE(files.length, 10);
end.writeUInt32LE(centralBuf.length, 12);
end.writeUInt32LE(offset, 16);
const out = new URL('dist/teams/', root);
mkdirSync(out, { recursive: true });
writeFileSync(new URL('panelist-teams.zip', out), Buffer.concat([...local, centralBuf, end]));
console.log(`wrote dist/teams/panelist-teams.zip (${files.map(([n]) => n).join(', ')}) for app ${clientId} at ${host}`);
// Tenant-wide Graph permissions cannot be asked for by a manifest (it holds resource-specific consent only).
console.log(
  'If an Entra group should name Panelist admins (`npx panelist admins group set <group object id>`), also give the app registration ' +
    'Microsoft Graph’s User.Read.All and GroupMember.Read.All application permissions, with admin consent.',
);
