import type { SpecContent } from '../domain/spec';

/** What the chat renderers receive; plain data, no Prisma types. */
export interface VersionInfo {
  number: number;
  authorPlatform: string;
  authorId: string;
  authorName: string | null;
  createdAt: Date;
  note: string | null;
  source: string;
  revertedFrom: number | null;
  externalVersion: string | null;
}

export interface LivePerformance {
  /** interviews that started: what completion is counted against (domain/completion.ts), as on the platform's page */
  interviews: number;
  completed: number;
  abandoned: number;
  /** average overall score out of 100, one decimal, or null */
  averageScore: string | null;
  competencies: { id: string; average: string | null; n: number }[];
}

export interface SpecView {
  id: string;
  slug: string;
  content: SpecContent;
  version: VersionInfo;
  live: LivePerformance;
}

export interface SpecSummary {
  id: string;
  slug: string;
  title: string;
  version: number;
  competencies: number;
  updatedAt: Date;
}

export interface HistoryEntry extends VersionInfo {
  changes: string[];
}

export function versionInfo(version: VersionInfo): VersionInfo {
  const { number, authorPlatform, authorId, authorName, createdAt, note, source, revertedFrom, externalVersion } = version;
  return { number, authorPlatform, authorId, authorName, createdAt, note, source, revertedFrom, externalVersion };
}
