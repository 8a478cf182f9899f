/** Exact averages for digests: integer sums in, one-decimal strings out, rounded half up. */

/** Average of values given in tenths (scores), as "81.0"; null when n = 0. */
export function averageOfTenths(sumTenths: bigint, n: number): string | null {
  if (n === 0) return null;
  return formatTenthsBig(divideHalfUp(sumTenths, BigInt(n)));
}

/** Average of values given in thousandths (overall scores), as "77.9"; null when n = 0. */
export function averageOfMilli(sumMilli: bigint, n: number): string | null {
  if (n === 0) return null;
  return formatTenthsBig(divideHalfUp(sumMilli, BigInt(n) * 100n));
}

function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

function formatTenthsBig(tenths: bigint): string {
  return `${tenths / 10n}.${tenths % 10n}`;
}
