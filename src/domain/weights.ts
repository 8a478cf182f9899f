/**
 * Weights are exact: integer hundredths (0.30 → 30), summing to exactly 100. Nothing here ever
 * touches a binary float.
 */

import { quoted } from './text';

export const WEIGHT_TOTAL = 100;

export type WeightParse = { ok: true; hundredths: number } | { ok: false; message: string };

/** A scan, not `/0+$/`: that regular expression is quadratic on a long run of zeros followed by a digit. */
function withoutTrailingZeros(digits: string): string {
  let end = digits.length;
  while (end > 0 && digits[end - 1] === '0') end -= 1;
  return digits.slice(0, end);
}

/** "0.3", "0.30", ".3", "1" and "30%" all parse; more than two decimals or a fraction of a percent do not. */
export function parseWeight(raw: string): WeightParse {
  const text = raw.trim();
  const percent = /^(\d{1,3})%$/.exec(text);
  if (percent) {
    const value = Number(percent[1]);
    if (value > 100) return { ok: false, message: `${quoted(text)} is more than 100%; a weight is between 0 and 1` };
    return { ok: true, hundredths: value };
  }
  if (/^\d{1,3}(\.\d+)?%$/.test(text)) {
    return { ok: false, message: `${quoted(text)} has a fraction of a percent; weights are whole percents or two decimals (0.35)` };
  }
  const decimal = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!decimal || text === '' || text === '.' || (decimal[1] === '' && (decimal[2] ?? '') === '')) {
    return { ok: false, message: `"${quoted(raw)}" is not a weight; write 0.35, .35 or 35%` };
  }
  const whole = decimal[1] === '' ? 0 : Number(decimal[1]);
  const fraction = withoutTrailingZeros(decimal[2] ?? '');
  if (fraction.length > 2) {
    return { ok: false, message: `${quoted(text)} has more than two decimals; weights are in hundredths (0.35)` };
  }
  const hundredths = whole * 100 + Number(fraction.padEnd(2, '0'));
  if (hundredths > WEIGHT_TOTAL) return { ok: false, message: `${quoted(text)} is above 1; a weight is between 0 and 1` };
  return { ok: true, hundredths };
}

export function formatWeight(hundredths: number): string {
  const whole = Math.floor(hundredths / 100);
  const rest = String(hundredths % 100).padStart(2, '0');
  return `${whole}.${rest}`;
}

export function formatSignedWeight(hundredths: number): string {
  return `${hundredths < 0 ? '−' : '+'}${formatWeight(Math.abs(hundredths))}`;
}

export function sumWeights(weights: readonly number[]): number {
  return weights.reduce((total, weight) => total + weight, 0);
}

/** The sentence a user sees when weights do not add up, or undefined when they do. */
export function describeImbalance(total: number): string | undefined {
  if (total === WEIGHT_TOTAL) return undefined;
  const gap = WEIGHT_TOTAL - total;
  return gap > 0
    ? `Weights add up to ${formatWeight(total)}; they must total 1.00 (add ${formatWeight(gap)}).`
    : `Weights add up to ${formatWeight(total)}; they must total 1.00 (remove ${formatWeight(-gap)}).`;
}
