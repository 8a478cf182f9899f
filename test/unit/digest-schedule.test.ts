import { lastOccurrence, nextOccurrence, parseTimeOfDay, parseWeekday, periodEndingAt } from '../../src/domain/digest-schedule';
import { averageOfMilli, averageOfTenths } from '../../src/domain/digest-math';

const MONDAY_9 = { weekday: 1, minuteOfDay: 540 };
const iso = (date: Date) => date.toISOString();
const hours = (period: { start: Date; end: Date }) => (period.end.getTime() - period.start.getTime()) / 3_600_000;

describe('when a weekly digest is due', () => {
  it('is the latest Monday 09:00 in the channel’s zone at or before now', () => {
    const time = { ...MONDAY_9, timeZone: 'Europe/Berlin' };
    // Wednesday 2026-11-25 12:00Z → Monday 2026-11-23 09:00 CET = 08:00Z
    expect(iso(lastOccurrence(time, new Date('2026-11-25T12:00:00Z')))).toBe('2026-11-23T08:00:00.000Z');
    // exactly at the time counts as due
    expect(iso(lastOccurrence(time, new Date('2026-11-23T08:00:00Z')))).toBe('2026-11-23T08:00:00.000Z');
    // a minute before → the week before
    expect(iso(lastOccurrence(time, new Date('2026-11-23T07:59:00Z')))).toBe('2026-11-16T08:00:00.000Z');
    expect(iso(nextOccurrence(time, new Date('2026-11-23T08:00:00Z')))).toBe('2026-11-30T08:00:00.000Z');
  });

  it('keeps 09:00 local across the end of daylight saving time: that week is 169 hours', () => {
    const time = { ...MONDAY_9, timeZone: 'America/New_York' };
    // DST ended Sunday 2026-11-01. Monday 2026-11-02 09:00 EST = 14:00Z; the Monday before, 09:00 EDT = 13:00Z.
    const occurrence = lastOccurrence(time, new Date('2026-11-03T00:00:00Z'));
    expect(iso(occurrence)).toBe('2026-11-02T14:00:00.000Z');
    const period = periodEndingAt(time, occurrence);
    expect(iso(period.start)).toBe('2026-10-26T13:00:00.000Z');
    expect(hours(period)).toBe(169);
  });

  it('keeps 09:00 local across the start of daylight saving time: that week is 167 hours', () => {
    const time = { ...MONDAY_9, timeZone: 'Europe/London' };
    // BST starts Sunday 2027-03-28. Monday 2027-03-29 09:00 BST = 08:00Z; the Monday before, 09:00 GMT = 09:00Z.
    const occurrence = lastOccurrence(time, new Date('2027-03-30T00:00:00Z'));
    expect(iso(occurrence)).toBe('2027-03-29T08:00:00.000Z');
    expect(hours(periodEndingAt(time, occurrence))).toBe(167);
  });

  it('works in zones far from UTC, where the local Monday is another UTC day', () => {
    // UTC+14: Monday 09:00 on Kiritimati is Sunday 19:00Z.
    expect(iso(lastOccurrence({ ...MONDAY_9, timeZone: 'Pacific/Kiritimati' }, new Date('2026-11-23T00:00:00Z')))).toBe(
      '2026-11-22T19:00:00.000Z',
    );
    // UTC−11: Monday 09:00 in Pago Pago is Monday 20:00Z.
    expect(iso(lastOccurrence({ ...MONDAY_9, timeZone: 'Pacific/Pago_Pago' }, new Date('2026-11-24T00:00:00Z')))).toBe(
      '2026-11-23T20:00:00.000Z',
    );
    // UTC+05:45: quarter-hour offsets stay on the quarter hour.
    expect(
      iso(lastOccurrence({ weekday: 5, minuteOfDay: 17 * 60 + 30, timeZone: 'Asia/Kathmandu' }, new Date('2026-11-28T00:00:00Z'))),
    ).toBe('2026-11-27T11:45:00.000Z');
  });
});

describe('reading a digest time', () => {
  it('takes day names and 24-hour quarter-hour times', () => {
    expect(['mon', 'Monday', 'TUE', 'sun', 'mo', 'funday'].map(parseWeekday)).toEqual([1, 1, 2, 7, undefined, undefined]);
    expect(parseTimeOfDay('09:00')).toEqual({ ok: true, minuteOfDay: 540 });
    expect(parseTimeOfDay('23:45')).toEqual({ ok: true, minuteOfDay: 1425 });
    expect(parseTimeOfDay('9:10')).toEqual({ ok: false, message: expect.stringContaining('quarter hour') });
    expect(parseTimeOfDay('25:00')).toEqual({ ok: false, message: expect.stringContaining('not a time of day') });
    expect(parseTimeOfDay('9am')).toEqual({ ok: false, message: expect.stringContaining('HH:MM') });
  });
});

describe('digest averages are exact and round half up', () => {
  it('averages tenths and thousandths', () => {
    expect(averageOfTenths(1645n, 2)).toBe('82.3'); // 82.25 → 82.3
    expect(averageOfTenths(1644n, 2)).toBe('82.2');
    expect(averageOfMilli(77_850n + 80_000n, 2)).toBe('78.9'); // (77.85 + 80.00) / 2 = 78.925 → 78.9
    expect(averageOfMilli(0n, 0)).toBeNull();
  });
});
