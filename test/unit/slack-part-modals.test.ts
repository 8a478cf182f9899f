import { buildMustHavesModal, mustHavesDraftOf, parseMustHavesSubmission } from '../../src/slack/edit-modal/must-haves-modal';
import { buildSettingsModal, parseSettingsSubmission } from '../../src/slack/edit-modal/settings-modal';
import { stateOf, type SentView } from '../support/slack-views';

const base = { specId: 'spec-1', slug: 'payments', baseVersion: 3 };
const many = Array.from({ length: 20 }, (_, i) => ({ text: `Must-have number ${i + 1}`, required: i % 2 === 0 }));

describe('the must-haves modal', () => {
  it('holds the spec’s twenty must-haves inside Slack’s 100 blocks, and says why there is no Add button', () => {
    const view = buildMustHavesModal({ ...base, draft: mustHavesDraftOf(many) });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const json = JSON.stringify(view);
    expect(json).not.toContain('must_have_add');
    expect(json).toContain('20 must-haves is the most a spec holds');
  });

  it('offers Move up only below the first row and Move down only above the last', () => {
    const view = buildMustHavesModal({ ...base, draft: mustHavesDraftOf(many.slice(0, 3)) }) as unknown as SentView;
    const menus = view.blocks
      .filter((b) => b.accessory?.action_id === 'must_have_row')
      .map((b) => b.accessory!.options!.map((o) => o.value));
    expect(menus).toEqual([
      ['down:r0', 'remove:r0'],
      ['up:r1', 'down:r1', 'remove:r1'],
      ['up:r2', 'remove:r2'],
    ]);
  });

  it('reads the texts and choices back as the spec’s must-haves, spaces tidied', () => {
    const view = buildMustHavesModal({ ...base, draft: mustHavesDraftOf(many.slice(0, 2)) }) as unknown as SentView;
    const parsed = parseMustHavesSubmission({
      private_metadata: view.private_metadata,
      state: stateOf(view, { 'm:r0:text': '  Go,   Rust\nor Kotlin ', 'm:r1:required': 'required' }) as never,
    });
    expect(parsed).toMatchObject({
      ok: true,
      mustHaves: [
        { text: 'Go, Rust or Kotlin', required: true },
        { text: 'Must-have number 2', required: true },
      ],
    });
  });
});

describe('the settings modal', () => {
  const content = {
    interviewQuestions: { source: 'ai-generated', autoPublish: true, candidateSees: 3 },
    behavioralRound: { round: 2, mode: 'voice', prompts: 4, interviewer: 'Cal' },
  };

  it('starts from the current settings and reads an unchanged form back as the same values', () => {
    const view = buildSettingsModal({ ...base, content }) as unknown as SentView;
    const parsed = parseSettingsSubmission({ private_metadata: view.private_metadata, state: stateOf(view) as never });
    expect(parsed).toMatchObject({
      ok: true,
      interviewQuestions: { candidateSees: 3, autoPublish: true },
      behavioralRound: { prompts: 4, mode: 'voice' },
    });
  });

  it('pins a tampered choice to its field', () => {
    const view = buildSettingsModal({ ...base, content }) as unknown as SentView;
    const parsed = parseSettingsSubmission({
      private_metadata: view.private_metadata,
      state: stateOf(view, { 'b:prompts': '0', 'q:candidate_sees': 'three' }) as never,
    });
    expect(parsed).toEqual({
      ok: false,
      errors: {
        'q:candidate_sees': 'Choose how many questions a candidate sees: 1 to 10.',
        'b:prompts': 'Choose how many behavioral prompts: 1 to 10.',
      },
    });
  });
});
