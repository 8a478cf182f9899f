import type { types } from '@slack/bolt';
import { describeImbalance, formatWeight, sumWeights } from '../../domain/weights';
import type { SpecView } from '../../services/spec-views';
import { clip, escapeMrkdwn, percent, when, who } from './text';

type KnownBlock = types.KnownBlock;

/** `/spec show`: everything a hiring team needs to judge a spec, within Slack's 50-block limit. */
export function renderSpec(view: SpecView): { text: string; blocks: KnownBlock[] } {
  const { content, version, live } = view;
  const total = sumWeights(content.competencies.map((c) => c.weight));
  const imbalance = describeImbalance(total);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(content.title, 150) } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: clip(
            `\`${view.slug}\` · id \`${view.id}\`${content.level ? ` · ${escapeMrkdwn(content.level)}` : ''} · ` +
              `*v${version.number}* by ${who(version)} ${when(version.createdAt)}` +
              (version.externalVersion ? ` · platform version ${escapeMrkdwn(version.externalVersion)}` : '') +
              (version.note ? ` · “${escapeMrkdwn(version.note)}”` : ''),
          ),
        },
      ],
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Competencies* · weights total *${formatWeight(total)}* ${imbalance ? `⚠️ not balanced: ${imbalance}` : '✅ balanced'}`,
      },
    },
  ];
  for (const competency of content.competencies) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(
          `*${escapeMrkdwn(competency.name)}* · \`${competency.id}\` · weight *${formatWeight(competency.weight)}*\n` +
            escapeMrkdwn(competency.definition),
        ),
      },
    });
  }
  blocks.push({ type: 'divider' });
  const mustHaves = content.mustHaves.length
    ? content.mustHaves.map((m) => `• ${escapeMrkdwn(m.text)}${m.required ? '' : ' _(nice to have)_'}`).join('\n')
    : '_none_';
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`*Must-haves*\n${mustHaves}`) } });
  const questions = content.interviewQuestions;
  const round = content.behavioralRound;
  blocks.push({
    type: 'section',
    fields: [
      {
        type: 'mrkdwn',
        text: `*Interview questions*\n${escapeMrkdwn(questions.source)} · auto-publish ${questions.autoPublish ? 'on' : 'off'} · candidate sees ${questions.candidateSees}`,
      },
      {
        type: 'mrkdwn',
        text: `*Behavioral round*\nround ${round.round} · ${escapeMrkdwn(round.mode)} · ${round.prompts} prompts · interviewer ${escapeMrkdwn(round.interviewer)}`,
      },
    ],
  });
  const perCompetency = live.competencies
    .map((c) => `\`${c.id}\` ${c.average ?? '—'} (n=${c.n})`)
    .join(' · ');
  blocks.push({
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: clip(
        `*Live performance*\nInterviews *${live.interviews}* · completed *${live.completed}* · abandoned *${live.abandoned}* · ` +
          `completion rate *${percent(live.completionRate)}* · average score *${live.averageScore ?? '—'}*\n${perCompetency}`,
      ),
    },
  });
  const text =
    `${content.title} (${view.slug}, v${version.number}): ` +
    content.competencies.map((c) => `${c.name} ${formatWeight(c.weight)}`).join(', ');
  return { text, blocks };
}
