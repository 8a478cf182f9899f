import { DateTime, IANAZone, type WeekdayNumbers } from 'luxon';

/**
 * When a channel's weekly digest is due, computed in the channel's time zone so 09:00 Monday stays
 * 09:00 Monday across daylight-saving changes (that week's period is 167 or 169 hours long).
 */
export interface DigestTime {
  /** ISO weekday: 1 = Monday … 7 = Sunday */
  weekday: number;
  /** minutes after local midnight */
  minuteOfDay: number;
  timeZone: string;
}

export const DEFAULT_DIGEST_TIME = { weekday: 1, minuteOfDay: 9 * 60 } as const;

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** "mon", "Monday", "tues" → 1…7; undefined for anything else. */
export function parseWeekday(word: string): number | undefined {
  const lower = word.toLowerCase();
  if (lower.length < 3) return undefined;
  const index = WEEKDAYS.findIndex((day) => day.startsWith(lower));
  return index === -1 ? undefined : index + 1;
}

export type TimeParse = { ok: true; minuteOfDay: number } | { ok: false; message: string };

/** "09:00", "9:30", "17:45" (24-hour, on the quarter hour: digests are counted in 15-minute steps). */
export function parseTimeOfDay(text: string): TimeParse {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) return { ok: false, message: `"${text}" is not a time; write HH:MM in 24-hour time, e.g. 09:00 or 17:30` };
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return { ok: false, message: `"${text}" is not a time of day (00:00–23:45)` };
  if (minutes % 15 !== 0) return { ok: false, message: `Digest times are on the quarter hour (:00, :15, :30, :45); "${text}" is not` };
  return { ok: true, minuteOfDay: hours * 60 + minutes };
}

export function isTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** The latest scheduled time at or before `now`. */
export function lastOccurrence(time: DigestTime, now: Date): Date {
  const local = DateTime.fromJSDate(now, { zone: time.timeZone });
  let candidate: DateTime = local.set({
    weekday: time.weekday as WeekdayNumbers,
    hour: Math.floor(time.minuteOfDay / 60),
    minute: time.minuteOfDay % 60,
    second: 0,
    millisecond: 0,
  });
  if (candidate > local) candidate = atTime(candidate.minus({ weeks: 1 }), time);
  return candidate.toJSDate();
}

/** The first scheduled time strictly after `now`. */
export function nextOccurrence(time: DigestTime, now: Date): Date {
  const last = DateTime.fromJSDate(lastOccurrence(time, now), { zone: time.timeZone });
  return atTime(last.plus({ weeks: 1 }), time).toJSDate();
}

/** The period a digest sent at `occurrence` covers: the seven local days before it. */
export function periodEndingAt(time: DigestTime, occurrence: Date): { start: Date; end: Date } {
  const end = DateTime.fromJSDate(occurrence, { zone: time.timeZone });
  return { start: atTime(end.minus({ weeks: 1 }), time).toJSDate(), end: occurrence };
}

export function describeDigestTime(time: DigestTime): string {
  const day = WEEKDAYS[time.weekday - 1]!;
  const hh = String(Math.floor(time.minuteOfDay / 60)).padStart(2, '0');
  const mm = String(time.minuteOfDay % 60).padStart(2, '0');
  return `${day[0]!.toUpperCase()}${day.slice(1)}s at ${hh}:${mm} (${time.timeZone})`;
}

/** Re-applies the wall-clock time after week arithmetic (a DST gap may have moved it). */
function atTime(date: DateTime, time: DigestTime): DateTime {
  return date.set({ hour: Math.floor(time.minuteOfDay / 60), minute: time.minuteOfDay % 60, second: 0, millisecond: 0 });
}
