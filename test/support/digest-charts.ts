import net from 'node:net';
import zlib from 'node:zlib';
import { completed, demoScores } from './interview-events';

/** Helpers for the digest chart tests: a port to put in PUBLIC_URL, a hand-made eight weeks, and PNG checks. */

/** A free loopback port, for an app whose PUBLIC_URL must name its port before it listens. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The demo spec's eight weeks before Monday 2026-11-23 09:00 UTC: this week two interviews (73.5
 * and 90.0), last week one (70.0), the week of Oct 19 one (60.0), the other weeks none.
 */
export const EIGHT_WEEKS = [
  completed({
    interviewId: 'c1',
    startedAt: '2026-11-17T10:00:00Z',
    completedAt: '2026-11-17T11:00:00Z',
    scores: demoScores([80, 70, 90, 60, 50]),
  }),
  completed({
    interviewId: 'c2',
    startedAt: '2026-11-18T10:00:00Z',
    completedAt: '2026-11-18T11:00:00Z',
    scores: demoScores([90, 90, 90, 90, 90]),
  }),
  completed({
    interviewId: 'c3',
    startedAt: '2026-11-10T10:00:00Z',
    completedAt: '2026-11-10T11:00:00Z',
    scores: demoScores([70, 70, 70, 70, 70]),
  }),
  completed({
    interviewId: 'c4',
    startedAt: '2026-10-20T10:00:00Z',
    completedAt: '2026-10-20T11:00:00Z',
    scores: demoScores([60, 60, 60, 60, 60]),
  }),
];

/** What the chart of those weeks says in words, every number included. */
export const EIGHT_WEEKS_IN_WORDS =
  'Average score by week, oldest first: Sep 28 none, Oct 5 none, Oct 12 none, Oct 19 60.0, Oct 26 none, Nov 2 none, Nov 9 70.0, Nov 16 81.8 (this week). ' +
  'By competency, this week (last week): Financial Systems Design 85.0 (70.0), Distributed Systems Reliability 80.0 (70.0), ' +
  'Postgres Schema Design for Scale 90.0 (70.0), Production Ownership & Incident Culture 75.0 (70.0), FastAPI & Event-Driven Architecture 70.0 (70.0).';

/**
 * A PNG's size, after checking it is one whole: the signature, every chunk's CRC, IHDR first and IEND
 * last, and image data that inflates to exactly one filter byte plus a row of pixels per line.
 */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const buffer = Buffer.from(bytes);
  if (!buffer.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new Error('no PNG signature');
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < buffer.length; ) {
    const length = buffer.readUInt32BE(at);
    const type = buffer.toString('latin1', at + 4, at + 8);
    const data = buffer.subarray(at + 8, at + 8 + length);
    if (zlib.crc32(buffer.subarray(at + 4, at + 8 + length)) !== buffer.readUInt32BE(at + 8 + length))
      throw new Error(`bad CRC in ${type}`);
    chunks.push({ type, data });
    at += 12 + length;
  }
  const header = chunks[0];
  if (header?.type !== 'IHDR' || chunks.at(-1)?.type !== 'IEND') throw new Error('IHDR must come first and IEND last');
  const width = header.data.readUInt32BE(0);
  const height = header.data.readUInt32BE(4);
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[header.data[9]!] ?? 0;
  const pixels = zlib.inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  if (header.data[8] !== 8 || pixels.length !== height * (1 + width * channels)) throw new Error('image data does not match the header');
  return { width, height };
}
