import type { DigestChartData } from '../domain/digest-chart';

/** A weekly digest as a chat renderer receives it; plain data, platform-neutral. */
export interface DigestView {
  /** [start, end): the seven days before the scheduled time */
  periodStart: Date;
  periodEnd: Date;
  /** IANA zone the period was computed in, for showing dates as the channel sees them */
  timeZone: string;
  /** sent after its scheduled time (the scheduler was down, caught up later) */
  late: boolean;
  /** true when nothing happened in any followed spec: render a short message */
  quiet: boolean;
  specs: DigestSpecSection[];
}

export interface DigestSpecSection {
  specId: string;
  slug: string;
  title: string;
  /** interviews whose start fell in the period */
  started: number;
  /**
   * interviews whose completion (or abandonment) fell in the period, wherever their start fell:
   * completion is completed ÷ started (domain/completion.ts), which a week can push past 100%
   */
  completed: number;
  abandoned: number;
  /** average overall score, one decimal ("77.9"); null without completions */
  averageScore: string | null;
  competencies: { id: string; name: string; average: string | null; n: number }[];
  /** the same figures for the period before, for "change against the period before" */
  previous: { started: number; completed: number; abandoned: number; averageScore: string | null };
  /** best overall scores in the period; name null when the channel hides names */
  top: { candidateName: string | null; overall: string; interviewId: string; reportUrl: string | null }[];
  /** where a reader can look at the spec (the platform's page when SPEC_URL_TEMPLATE is set) */
  specUrl: string | null;
  /** the section's chart; absent for a spec with no activity this week or not one score in the eight weeks */
  chart?: DigestChart;
}

/** A section's chart: its figures, the same in words, and (when one could be made) a link to the picture. */
export interface DigestChart extends DigestChartData {
  /** every number the picture shows, in words (domain/digest-chart.ts, chartAltText) */
  altText: string;
  /** a signed link to the PNG that expires; absent when there is no picture: renderers show altText instead */
  imageUrl?: string;
}
