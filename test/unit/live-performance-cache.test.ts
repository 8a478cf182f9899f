import { cachedLivePerformance, type LivePerformanceReader } from '../../src/services/live-performance';
import type { LivePerformance } from '../../src/services/spec-views';

const numbers = (interviews: number): LivePerformance => ({
  interviews,
  completed: 0,
  abandoned: 0,
  averageScore: null,
  competencies: [],
});

/** A reader that counts its reads and answers when the test says so. */
function slowReader() {
  const reads: { specId: string; resolve: (value: LivePerformance) => void; reject: (error: Error) => void }[] = [];
  const read: LivePerformanceReader = (specId) =>
    new Promise((resolve, reject) => {
      reads.push({ specId, resolve, reject });
    });
  return { read, reads };
}

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('cachedLivePerformance', () => {
  it('lets concurrent shows of one spec share one read', async () => {
    const { read, reads } = slowReader();
    const cached = cachedLivePerformance(read, { ttlMs: 5_000, now: clock().now });
    const answers = [cached('s1', ['a']), cached('s1', ['a']), cached('s1', ['a'])];
    expect(reads).toHaveLength(1);
    reads[0]!.resolve(numbers(7));
    expect((await Promise.all(answers)).map((a) => a.interviews)).toEqual([7, 7, 7]);
  });

  it('reads again once the numbers are older than the TTL, and per spec and competency list', async () => {
    const { read, reads } = slowReader();
    const time = clock();
    const cached = cachedLivePerformance(read, { ttlMs: 5_000, now: time.now });
    void cached('s1', ['a']);
    time.advance(4_999);
    void cached('s1', ['a']);
    expect(reads).toHaveLength(1);
    time.advance(1);
    void cached('s1', ['a']);
    void cached('s2', ['a']);
    void cached('s1', ['a', 'b']);
    expect(reads.map((r) => r.specId)).toEqual(['s1', 's1', 's2', 's1']);
  });

  it('does not keep a failed read', async () => {
    const { read, reads } = slowReader();
    const cached = cachedLivePerformance(read, { ttlMs: 5_000, now: clock().now });
    const failing = cached('s1', []);
    reads[0]!.reject(new Error('connection lost'));
    await expect(failing).rejects.toThrow('connection lost');
    void cached('s1', []);
    expect(reads).toHaveLength(2);
  });

  it('holds at most maxSpecs specs, dropping the least recently read', () => {
    const { read, reads } = slowReader();
    const cached = cachedLivePerformance(read, { ttlMs: 5_000, maxSpecs: 2, now: clock().now });
    for (const spec of ['s1', 's2', 's3', 's2', 's1']) void cached(spec, []);
    expect(reads.map((r) => r.specId)).toEqual(['s1', 's2', 's3', 's1']);
  });

  it('reads every time with a TTL of 0', () => {
    const { read, reads } = slowReader();
    const cached = cachedLivePerformance(read, { ttlMs: 0 });
    void cached('s1', []);
    void cached('s1', []);
    expect(reads).toHaveLength(2);
  });
});
