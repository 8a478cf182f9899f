import { completionFigure } from '../../domain/completion';
import { describeImbalance, formatWeight, sumWeights } from '../../domain/weights';
import type { SpecView } from '../../services/spec-views';
import type { SlackReply as Reply } from './blocks';
import { context, divider, fields, header, section } from './blocks';
import { code, joinMrkdwn, mrkdwn } from './mrkdwn';
import { when, who } from './text';

/** `/spec show`: everything a hiring team needs to judge a spec, within Slack's 50-block limit. */
export function renderSpec(view: SpecView): Reply {
  const { content, version, live } = view;
  const total = sumWeights(content.competencies.map((c) => c.weight));
  const imbalance = describeImbalance(total);
  const blocks = [
    header(content.title),
    context(
      mrkdwn`${code(view.slug)} · id ${code(view.id)}${content.level ? mrkdwn` · ${content.level}` : ''} · *v${version.number}* by ${who(version)} ${when(version.createdAt)}${
        version.externalVersion ? mrkdwn` · platform version ${version.externalVersion}` : ''
      }${version.note ? mrkdwn` · “${version.note}”` : ''}`,
    ),
    section(
      mrkdwn`*Competencies* · weights total *${formatWeight(total)}* ${imbalance ? mrkdwn`⚠️ not balanced: ${imbalance}` : mrkdwn`✅ balanced`}`,
    ),
  ];
  for (const competency of content.competencies) {
    blocks.push(
      section(
        mrkdwn`*${competency.name}* · ${code(competency.id)} · weight *${formatWeight(competency.weight)}*\n${competency.definition}`,
      ),
    );
  }
  blocks.push(divider());
  const mustHaves = content.mustHaves.length
    ? joinMrkdwn(
        content.mustHaves.map((m) => mrkdwn`• ${m.text}${m.required ? '' : mrkdwn` _(nice to have)_`}`),
        '\n',
      )
    : mrkdwn`_none_`;
  blocks.push(section(mrkdwn`*Must-haves*\n${mustHaves}`));
  const questions = content.interviewQuestions;
  const round = content.behavioralRound;
  blocks.push(
    fields([
      mrkdwn`*Interview questions*\n${questions.source} · auto-publish ${questions.autoPublish ? 'on' : 'off'} · candidate sees ${questions.candidateSees}`,
      mrkdwn`*Behavioral round*\nround ${round.round} · ${round.mode} · ${round.prompts} prompts · interviewer ${round.interviewer}`,
    ]),
  );
  const perCompetency = joinMrkdwn(
    live.competencies.map((c) => mrkdwn`${code(c.id)} ${c.average ?? '—'} (n=${c.n})`),
    ' · ',
  );
  blocks.push(
    section(
      mrkdwn`*Live performance*\nInterviews *${live.interviews}* · completion *${completionFigure({ started: live.interviews, completed: live.completed })}* · ${live.abandoned} abandoned · average score *${live.averageScore ?? '—'}*\n${perCompetency}`,
    ),
  );
  const names = joinMrkdwn(
    content.competencies.map((c) => mrkdwn`${c.name} ${formatWeight(c.weight)}`),
    ', ',
  );
  return { text: mrkdwn`${content.title} (${view.slug}, v${version.number}): ${names}`, blocks };
}
