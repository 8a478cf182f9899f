import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Row } from './context';
import type { Machine } from './procs';
import { ROOT } from './util';

export interface RunRecord {
  date: string;
  mode: 'full' | 'quick';
  machine: Machine;
  loadAtEnd: number[];
  durationSeconds: number;
  rows: Row[];
  notes: string[];
  details: Record<string, unknown>;
}

const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
const RESULTS_MD = path.join(ROOT, 'bench', 'RESULTS.md');
const BEGIN = '<!-- bench:latest-run:begin (written by `npm run bench`; edit outside these markers) -->';
const END = '<!-- bench:latest-run:end -->';

const mark = (pass: boolean | undefined) => (pass === undefined ? 'info' : pass ? 'PASS' : 'FAIL');

/** The one table: figure | value | anchor | ratio | target | pass/fail. */
export function table(rows: Row[], style: 'console' | 'markdown'): string {
  const header = ['figure', 'value', 'anchor (same run)', 'ratio', 'target', 'result'];
  const cells = rows.map((r) => [r.figure, r.value, r.anchor, r.ratio, r.target, mark(r.pass)]);
  if (style === 'markdown') {
    const line = (c: string[]) => `| ${c.map((v) => v.replace(/\|/g, '\\|')).join(' | ')} |`;
    return [line(header), line(header.map(() => '---')), ...cells.map(line)].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join(' │ ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...cells.map(line)].join('\n');
}

/** Values of the previous run of the same mode beside this one's. */
export function changes(current: RunRecord, previous: RunRecord | undefined): string[] {
  if (!previous) return ['First recorded run: nothing to compare with.'];
  const before = new Map(previous.rows.map((r) => [r.key, r]));
  const lines = [`Compared with the run of ${previous.date} (${previous.mode}):`];
  for (const row of current.rows) {
    const old = before.get(row.key);
    if (!old) lines.push(`- ${row.key}: new (${row.value})`);
    else if (old.value !== row.value || old.ratio !== row.ratio) {
      lines.push(
        `- ${row.key}: ${old.value} (ratio ${old.ratio}, ${mark(old.pass)}) → ${row.value} (ratio ${row.ratio}, ${mark(row.pass)})`,
      );
    }
  }
  return lines;
}

/** bench/results/<mode>-latest.json (the one before it kept as <mode>-previous.json); returns the previous. */
export function saveRecord(record: RunRecord): RunRecord | undefined {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const latest = path.join(RESULTS_DIR, `${record.mode}-latest.json`);
  let previous: RunRecord | undefined;
  if (existsSync(latest)) {
    previous = JSON.parse(readFileSync(latest, 'utf8')) as RunRecord;
    renameSync(latest, path.join(RESULTS_DIR, `${record.mode}-previous.json`));
  }
  writeFileSync(latest, `${JSON.stringify(record, null, 2)}\n`);
  return previous;
}

/** Rewrites the generated section of bench/RESULTS.md (full runs only); hand-written text around it stays. */
export function updateResultsMarkdown(record: RunRecord, changeLines: string[]): void {
  const m = record.machine;
  const section = [
    BEGIN,
    '',
    `**Latest full run:** ${record.date} · ${record.durationSeconds.toFixed(0)} s in all`,
    '',
    `**Machine:** ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}, PostgreSQL ${m.postgres} (embedded, default settings); ` +
      `load average ${m.loadAtStart.join(' / ')} at start, ${record.loadAtEnd.join(' / ')} at end (the machine is shared).`,
    '',
    table(record.rows, 'markdown'),
    '',
    ...record.notes.map((n) => `- ${n}`),
    '',
    '**Changes since the previous run (generated):**',
    '',
    ...changeLines.map((l) => (l.startsWith('- ') ? l : l)),
    '',
    END,
  ].join('\n');
  const existing = existsSync(RESULTS_MD) ? readFileSync(RESULTS_MD, 'utf8') : `# Benchmark results\n\n${BEGIN}\n${END}\n`;
  const begin = existing.indexOf(BEGIN);
  const end = existing.indexOf(END);
  const next =
    begin >= 0 && end > begin
      ? existing.slice(0, begin) + section + existing.slice(end + END.length)
      : `${existing.trimEnd()}\n\n${section}\n`;
  writeFileSync(RESULTS_MD, next);
}
