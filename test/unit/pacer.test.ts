import { ChannelPacer } from '../../src/delivery/pacer';

/** A pacer on a clock the test moves by hand. */
function pacerAt(ratePerSecond: number, burst: number) {
  let now = 1_000_000;
  const pacer = new ChannelPacer(ratePerSecond, burst, () => now);
  return { pacer, advance: (ms: number) => (now += ms) };
}

describe('ChannelPacer (Slack: about one message per second per channel, short bursts)', () => {
  it('lets a burst through at once, then spaces the rest one interval apart', () => {
    const { pacer } = pacerAt(1, 3);
    const waits = Array.from({ length: 6 }, () => pacer.reserve('C1'));
    expect(waits).toEqual([0, 0, 0, 1000, 2000, 3000]);
  });

  it('refills with time, never beyond the burst', () => {
    const { pacer, advance } = pacerAt(1, 2);
    pacer.reserve('C1');
    pacer.reserve('C1');
    advance(10_000);
    expect([pacer.reserve('C1'), pacer.reserve('C1'), pacer.reserve('C1')]).toEqual([0, 0, 1000]);
  });

  it('keeps each channel to its own bucket', () => {
    const { pacer } = pacerAt(1, 1);
    expect([pacer.reserve('C1'), pacer.reserve('C2'), pacer.reserve('C1')]).toEqual([0, 0, 1000]);
  });

  it('holds a channel until a 429’s Retry-After has passed, even with tokens to spare', () => {
    const { pacer, advance } = pacerAt(1, 5);
    pacer.block('C1', 30_000);
    expect(pacer.reserve('C1')).toBe(30_000);
    advance(30_000);
    expect(pacer.reserve('C1')).toBe(0);
    expect(pacer.reserve('C2')).toBe(0);
  });
});
