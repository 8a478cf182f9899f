// Writes manifests/teams/color.png (192×192) and outline.png (32×32, white on transparent) with a
// tiny PNG encoder on node:zlib. Run once: `node scripts/teams-icons.mjs`; the PNGs are committed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

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
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, pixel) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  const rows = [];
  for (let y = 0; y < size; y += 1) {
    rows.push(Buffer.from([0]));
    const row = Buffer.alloc(size * 4);
    for (let x = 0; x < size; x += 1) row.set(pixel(x / size, y / size), x * 4);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
// A "P" made of a bar and a bowl: inside → foreground.
const glyph = (u, v) =>
  (u > 0.3 && u < 0.42 && v > 0.22 && v < 0.8) || (Math.hypot(u - 0.5, v - 0.38) < 0.2 && Math.hypot(u - 0.5, v - 0.38) > 0.09 && u > 0.36);
const dir = new URL('../manifests/teams/', import.meta.url);
writeFileSync(
  new URL('color.png', dir),
  png(192, (u, v) => (glyph(u, v) ? [255, 255, 255, 255] : [79, 70, 229, 255])),
);
writeFileSync(
  new URL('outline.png', dir),
  png(32, (u, v) => (glyph(u, v) ? [255, 255, 255, 255] : [0, 0, 0, 0])),
);
console.log('wrote manifests/teams/color.png and outline.png');
