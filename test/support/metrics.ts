/** One series' value from the app's /metrics (0 when it has not been counted yet). */
export async function metricValue(metricsUrl: string, series: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

/**
 * Waits until the delivery sweeper has finished `rounds` more rounds than when called: everything
 * a sweep would do (re-queue, wake, alert) has then had its chance, that many times.
 */
export async function waitForSweeps(metricsUrl: string, rounds: number, timeoutMs = 15_000): Promise<void> {
  const series = 'panelist_delivery_sweeps_total{outcome="ok"}';
  const target = (await metricValue(metricsUrl, series)) + rounds;
  const deadline = Date.now() + timeoutMs;
  while ((await metricValue(metricsUrl, series)) < target) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${rounds} sweeps`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

type Query = (text: string, values: unknown[]) => Promise<{ n: number }[]>;

/**
 * Waits until the deliveries matching `where` (SQL over table `delivery`, with `values`) exist and
 * are done for now: none pending or behind its content, and no job queued or running for any. Nothing
 * more will be posted for them, so a count of posts taken after this is final.
 */
export async function waitForSettledDeliveries(query: Query, where: string, values: unknown[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [unsettled] = await query(
      `SELECT count(*)::int AS n FROM delivery d WHERE (${where}) AND (d.status = 'pending' OR d.rendered_version < d.content_version
         OR EXISTS (SELECT 1 FROM graphile_worker.jobs j WHERE j.key = 'delivery:' || d.id::text))`,
      values,
    );
    const [all] = await query(`SELECT count(*)::int AS n FROM delivery d WHERE ${where}`, values);
    if (unsettled!.n === 0 && all!.n > 0) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for the deliveries where ${where} to settle`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
