/** What a chat renderer needs to show one interview's result; plain data, platform-neutral. */
export interface InterviewResultView {
  interviewId: string;
  spec: { id: string; slug: string; title: string };
  /** the pinned version the interview was scored with */
  version: number;
  /** null when the channel hides names (private subscription) or the platform never sent one */
  candidateName: string | null;
  status: 'started' | 'completed' | 'abandoned';
  /** overall out of 100, one decimal, half up ("77.9"); null until scored */
  overall: string | null;
  competencies: {
    id: string;
    name: string;
    /** "0.30" */
    weight: string;
    /** "82.0"; null when not scored */
    score: string | null;
    /** 0–100 as a number for drawing a bar; null when not scored */
    scoreValue: number | null;
  }[];
  reportUrl: string | null;
  completedAt: Date | null;
  /** true once a reviewer changed the scores after completion */
  rescored: boolean;
}
