import { completionFigure } from '../../domain/completion';
import { MAX_MUST_HAVE_LENGTH, type MustHave } from '../../domain/spec';
import { describeImbalance, formatWeight, sumWeights } from '../../domain/weights';
import type { SpecView } from '../../services/spec-views';
import type { SlackReply as Reply } from './blocks';
import { context, divider, fields, header, pack, section } from './blocks';
import { code, joinMrkdwn, type Mrkdwn, mrkdwn } from './mrkdwn';
import { oneLine, when, who } from './text';

/**
 * Under Slack's 3,000 characters per section. Twenty long must-haves take several sections (escaping
 * can make one 2,500 characters), so none is cut off with its number.
 */
const MUST_HAVES_PER_SECTION = 2900;

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
  for (const text of pack(mustHaveRows(content.mustHaves), MUST_HAVES_PER_SECTION)) blocks.push(section(text));
  const questions = content.interviewQuestions;
  const round = content.behavioralRound;
  blocks.push(
    fields([
      mrkdwn`*Interview questions*\n${questions.source} · candidate sees ${questions.candidateSees} of the questions · auto-publish ${questions.autoPublish ? 'on' : 'off'}`,
      mrkdwn`*Behavioral round*\nround ${round.round} · ${round.mode} · ${round.prompts} prompt${round.prompts === 1 ? '' : 's'} · interviewer ${round.interviewer}`,
    ]),
  );
  blocks.push(
    context(
      mrkdwn`Change it: ${code(`/spec edit ${view.slug} musthaves`)} or ${code(`/spec edit ${view.slug} settings`)}; one line: ${code(`/spec musthave add ${view.slug} <text>`)}, ${code(`/spec questions ${view.slug} <1-10>`)}`,
    ),
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

/**
 * The heading, then "1. … _(required)_", "2. … _(nice to have)_": commands name a must-have by its
 * number, so each is one line (its own text cannot forge a number) and a whole row for `pack`.
 */
function mustHaveRows(mustHaves: readonly MustHave[]): Mrkdwn[] {
  if (mustHaves.length === 0) return [mrkdwn`*Must-haves*\n_none_`];
  const required = mustHaves.filter((m) => m.required).length;
  const heading = mrkdwn`*Must-haves* · ${required} required · ${mustHaves.length - required} nice to have`;
  const rows = mustHaves.map(
    (m, index) =>
      mrkdwn`${index + 1}. ${oneLine(m.text, MAX_MUST_HAVE_LENGTH)} ${m.required ? mrkdwn`_(required)_` : mrkdwn`_(nice to have)_`}`,
  );
  return [heading, ...rows];
}
