import type { types as slack, ViewOutput } from '@slack/bolt';
import fixture from '../../fixtures/payments-platform-spec.json';
import { isPanelistError } from '../../src/domain/errors';
import { MAX_COMPETENCIES, MAX_NAME_LENGTH, type SpecContent } from '../../src/domain/spec';
import { parseSpecDocument } from '../../src/domain/spec-file';
import type { SpecView } from '../../src/services/spec-views';
import {
  ADD_COMPETENCY_ACTION_ID,
  applyRowAction,
  buildEditModal,
  competencyBlockId,
  draftFromSpec,
  EDIT_MODAL_CALLBACK_ID,
  initialValues,
  MAX_MODAL_COMPETENCIES,
  parseEditSubmission,
  REMOVE_COMPETENCY_ACTION_ID,
  type EditDraft,
  type EditModalPayload,
} from '../../src/slack/edit-modal';

// Compile-time: Bolt's view payload can be handed straight to the parsers.
const acceptsBoltView: (view: ViewOutput) => unknown = parseEditSubmission;
void acceptsBoltView;

function fixtureContent(): SpecContent {
  const parsed = parseSpecDocument(fixture);
  if (!parsed.ok) throw new Error('fixture does not parse');
  return parsed.content;
}

function specView(content: SpecContent = fixtureContent()): SpecView {
  return {
    id: fixture.id,
    slug: fixture.slug,
    content,
    version: {
      number: 3,
      authorPlatform: 'slack',
      authorId: 'U1',
      authorName: 'Ada',
      createdAt: new Date('2025-01-01T00:00:00Z'),
      note: null,
      source: 'edit',
      revertedFrom: null,
      externalVersion: null,
    },
    live: { interviews: 0, completed: 0, abandoned: 0, averageScore: null, competencies: [] },
  };
}

function modalFor(draft: EditDraft, errors?: string[]): slack.ModalView {
  return buildEditModal({ specId: fixture.id, slug: fixture.slug, baseVersion: 3, draft, errors });
}

const inputs = (view: slack.ModalView) => view.blocks.filter((b): b is slack.InputBlock => b.type === 'input');

/** What Slack would send back: every input's initial value, with the user's edits on top. */
function typed(view: slack.ModalView, edits: Record<string, string | null> = {}): EditModalPayload {
  const values: EditModalPayload['state']['values'] = {};
  for (const block of inputs(view)) {
    const element = block.element as slack.PlainTextInput;
    const blockId = block.block_id ?? '';
    const value = blockId in edits ? edits[blockId] : (element.initial_value ?? null);
    values[blockId] = { [element.action_id ?? '']: { value } };
  }
  return { private_metadata: view.private_metadata ?? '', state: { values } };
}

function metadataOf(view: slack.ModalView): { specId: string; slug: string; baseVersion: number; keys: string[] } {
  return JSON.parse(view.private_metadata ?? '');
}

function errorsOf(payload: EditModalPayload): Record<string, string> {
  const result = parseEditSubmission(payload);
  if (result.ok) throw new Error('expected the submission to be refused');
  return result.errors;
}

function draftWithRows(count: number, nameLength = 20): EditDraft {
  return {
    title: 'Big spec',
    note: '',
    competencies: Array.from({ length: count }, (_, i) => ({
      key: `r${i}`,
      id: `competency_${i}`,
      name: `Competency ${i} `.padEnd(nameLength, 'x'),
      weight: i === 0 ? formatted(100 - 5 * (count - 1)) : '0.05',
      definition: 'd'.repeat(2000),
    })),
  };
}

function formatted(hundredths: number): string {
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

const weightBlock = (key: string) => competencyBlockId(key, 'weight');

describe('buildEditModal', () => {
  const view = modalFor(draftFromSpec(specView()));

  it('is a modal Slack will accept for the fixture spec', () => {
    expect(view.type).toBe('modal');
    expect(view.callback_id).toBe(EDIT_MODAL_CALLBACK_ID);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.submit?.text).toBe('Save');
    expect(view.close?.text).toBe('Cancel');
    expect(metadataOf(view)).toMatchObject({
      specId: fixture.id,
      slug: fixture.slug,
      baseVersion: 3,
      keys: ['r0', 'r1', 'r2', 'r3', 'r4'],
    });
  });

  it('says which version is being edited and what the weights add up to', () => {
    const summary = JSON.stringify(view.blocks[0]);
    expect(summary).toContain('Editing *v3*');
    expect(summary).toContain('weights must total 1.00');
    expect(summary).toContain('Weights add up to 1.00');
  });

  it('gives each row a Remove button carrying its key and four inputs showing the draft', () => {
    const header = view.blocks.find((b) => b.block_id === competencyBlockId('r2', 'header')) as slack.SectionBlock;
    expect(header.text?.text).toContain('Postgres Schema Design for Scale');
    expect(header.accessory).toMatchObject({ type: 'button', action_id: REMOVE_COMPETENCY_ACTION_ID, value: 'r2' });
    const shown = Object.fromEntries(inputs(view).map((b) => [b.block_id, (b.element as slack.PlainTextInput).initial_value]));
    expect(shown).toMatchObject({
      'c:r2:name': 'Postgres Schema Design for Scale',
      'c:r2:id': 'postgres_schema_design',
      'c:r2:weight': '0.20',
      title: 'Senior Backend Engineer — Payments Platform',
    });
    expect(shown['c:r2:definition']).toMatch(/^Design normalized schemas/);
    const definition = inputs(view).find((b) => b.block_id === 'c:r2:definition')?.element as slack.PlainTextInput;
    expect(definition).toMatchObject({ multiline: true, max_length: 2000, action_id: 'value' });
  });

  it('initialValues is exactly what the inputs show', () => {
    const draft = draftFromSpec(specView());
    const values = initialValues(draft);
    for (const block of inputs(view)) {
      expect((block.element as slack.PlainTextInput).initial_value ?? '').toBe(values[block.block_id ?? '']);
    }
  });

  it('ends with an Add button and an optional note', () => {
    const actions = view.blocks.find((b) => b.type === 'actions') as slack.ActionsBlock;
    expect(actions.elements[0]).toMatchObject({ action_id: ADD_COMPETENCY_ACTION_ID });
    const note = view.blocks[view.blocks.length - 1] as slack.InputBlock;
    expect(note).toMatchObject({ block_id: 'note', optional: true, label: { text: 'What changed and why' } });
  });

  it('shows a draft that does not add up as it is', () => {
    const draft = draftFromSpec(specView());
    draft.competencies[0]!.weight = '0.25';
    expect(JSON.stringify(modalFor(draft).blocks[0])).toContain('Weights add up to 0.95; they must total 1.00 (add 0.05).');
  });

  it('escapes user text in mrkdwn', () => {
    const draft = draftFromSpec(specView());
    draft.competencies[0]!.name = 'A <b> & C';
    const header = modalFor(draft).blocks.find((b) => b.block_id === 'c:r0:header') as slack.SectionBlock;
    expect(header.text?.text).toContain('A &lt;b&gt; &amp; C');
  });
});

describe('the row cap', () => {
  it('is the most rows that fit in 100 blocks, one below the domain maximum', () => {
    expect(MAX_MODAL_COMPETENCIES).toBe(19);
    expect(MAX_MODAL_COMPETENCIES).toBeLessThanOrEqual(MAX_COMPETENCIES);
  });

  it('fits in 100 blocks at the cap, even with an error line', () => {
    const view = modalFor(draftWithRows(MAX_MODAL_COMPETENCIES), ['something went wrong']);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });

  it('replaces the Add button with a line saying why at the cap', () => {
    const view = modalFor(draftWithRows(MAX_MODAL_COMPETENCIES));
    expect(view.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(view.blocks)).toContain('19 competencies is the most one Slack edit form holds');
  });

  it('keeps private_metadata under 3000 characters at the cap with long names', () => {
    const view = modalFor(draftWithRows(MAX_MODAL_COMPETENCIES, MAX_NAME_LENGTH));
    expect(view.private_metadata!.length).toBeLessThan(3000);
  });

  it('refuses a draft beyond the cap with a message the caller can show', () => {
    const attempt = () => modalFor(draftWithRows(MAX_COMPETENCIES));
    expect(attempt).toThrow(/holds at most 19/);
    try {
      attempt();
    } catch (error) {
      expect(isPanelistError(error) && error.code).toBe('invalid_input');
      expect((error as Error).message).toContain('/spec weights senior-backend-payments');
    }
  });

  it('refuses to add a row at the cap, inline, keeping every row', () => {
    const view = applyRowAction(typed(modalFor(draftWithRows(MAX_MODAL_COMPETENCIES))), { action_id: ADD_COMPETENCY_ACTION_ID });
    expect(metadataOf(view).keys).toHaveLength(MAX_MODAL_COMPETENCIES);
    expect(JSON.stringify(view.blocks.find((b) => b.block_id === 'errors'))).toContain('remove one before adding another');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });

  it('reports too many rows inline on a submission that has them', () => {
    const payload = typed(modalFor(draftWithRows(3)));
    const metadata = JSON.parse(payload.private_metadata);
    metadata.keys = Array.from({ length: 20 }, (_, i) => `r${i}`);
    payload.private_metadata = JSON.stringify(metadata);
    expect(errorsOf(payload)[competencyBlockId('r19', 'name')]).toContain('holds at most 19 competencies and this one has 20; remove 1');
  });
});

describe('parseEditSubmission', () => {
  const view = modalFor(draftFromSpec(specView()));

  it('round-trips the fixture spec unchanged', () => {
    const result = parseEditSubmission(typed(view));
    expect(result).toEqual({
      ok: true,
      specId: fixture.id,
      slug: fixture.slug,
      baseVersion: 3,
      content: { title: fixture.title, competencies: fixtureContent().competencies },
      note: '',
    });
  });

  it('reads edits, trimming stray spaces, and the note', () => {
    const result = parseEditSubmission(
      typed(view, { 'c:r0:name': '  Payments Design ', 'c:r0:id': ' payments_design ', note: ' Renamed after debrief ' }),
    );
    expect(result.ok && result.content.competencies[0]).toMatchObject({ id: 'payments_design', name: 'Payments Design', weight: 30 });
    expect(result.ok && result.note).toBe('Renamed after debrief');
  });

  it.each(['30%', '0.3', '.30', '0.30'])('reads the weight %s as 30 hundredths', (weight) => {
    const result = parseEditSubmission(typed(view, { 'c:r0:weight': weight }));
    expect(result.ok && result.content.competencies[0]?.weight).toBe(30);
  });

  it('refuses text the database cannot store under its own field (NUL, half a surrogate pair), and keeps emoji', () => {
    const errors = errorsOf(typed(view, { 'c:r1:definition': 'Ledgers\u0000', 'c:r2:name': 'Kafka \ud800', note: 'note \u0000' }));
    expect(errors).toEqual({
      [competencyBlockId('r1', 'definition')]: 'It contains a NUL character (U+0000), which cannot be stored; remove it and send again.',
      [competencyBlockId('r2', 'name')]:
        'It contains a broken character (half of a UTF-16 surrogate pair), which cannot be stored; remove it and send again.',
      note: 'It contains a NUL character (U+0000), which cannot be stored; remove it and send again.',
    });
    expect(parseEditSubmission(typed(view, { 'c:r2:name': 'Kafka 🚀' })).ok).toBe(true);
  });

  it('puts an unbalanced sum on the last weight, with the sum and the difference', () => {
    const errors = errorsOf(typed(view, { 'c:r0:weight': '0.25' }));
    expect(Object.keys(errors)).toEqual([weightBlock('r4')]);
    expect(errors[weightBlock('r4')]).toBe('Weights add up to 0.95; they must total 1.00 (add 0.05).');
  });

  it('says what to remove when the sum is over', () => {
    expect(errorsOf(typed(view, { 'c:r1:weight': '0.35' }))[weightBlock('r4')]).toContain('remove 0.10');
  });

  it('refuses more than two decimals on that weight, without a misleading sum', () => {
    const errors = errorsOf(typed(view, { 'c:r1:weight': '0.333' }));
    expect(Object.keys(errors)).toEqual([weightBlock('r1')]);
    expect(errors[weightBlock('r1')]).toMatch(/more than two decimals/);
  });

  it('refuses a weight outside 0–1', () => {
    expect(errorsOf(typed(view, { 'c:r1:weight': '1.5' }))[weightBlock('r1')]).toMatch(/between 0 and 1/);
    expect(errorsOf(typed(view, { 'c:r1:weight': '-0.1' }))[weightBlock('r1')]).toMatch(/not a weight/);
  });

  it('puts a duplicate id on the second occurrence', () => {
    const errors = errorsOf(typed(view, { 'c:r3:id': 'financial_systems_design' }));
    expect(errors['c:r0:id']).toBeUndefined();
    expect(errors['c:r3:id']).toBe('The id "financial_systems_design" is used twice; ids must be unique.');
  });

  it('explains a malformed id', () => {
    expect(errorsOf(typed(view, { 'c:r2:id': 'Bad Id' }))['c:r2:id']).toMatch(/"Bad Id" is not a valid id: use 2–64 lowercase letters/);
  });

  it('refuses an empty name, whether blank or missing', () => {
    expect(errorsOf(typed(view, { 'c:r1:name': '   ' }))['c:r1:name']).toBe('The name is empty.');
    expect(errorsOf(typed(view, { 'c:r1:name': null }))['c:r1:name']).toBe('The name is empty.');
  });

  it('refuses an empty title and definition on their own blocks', () => {
    const errors = errorsOf(typed(view, { title: ' ', 'c:r4:definition': '' }));
    expect(errors).toEqual({ title: 'The title is empty.', 'c:r4:definition': 'The definition is empty.' });
  });

  it('refuses a form whose private_metadata it cannot read', () => {
    const payload = { ...typed(view), private_metadata: '{"specId":1}' };
    expect(() => parseEditSubmission(payload)).toThrow(/run `\/spec edit` again/);
  });

  it('hands back the response_url the modal was opened with', () => {
    const opened = buildEditModal({
      specId: fixture.id,
      slug: fixture.slug,
      baseVersion: 3,
      draft: draftFromSpec(specView()),
      responseUrl: 'https://hooks.slack.com/commands/T1/2/abc',
    });
    const rebuilt = applyRowAction(typed(opened), { action_id: REMOVE_COMPETENCY_ACTION_ID, value: 'r99' });
    const saved = parseEditSubmission(typed(rebuilt));
    expect(saved.ok && saved.responseUrl).toBe('https://hooks.slack.com/commands/T1/2/abc');
  });
});

describe('applyRowAction', () => {
  const opened = modalFor(draftFromSpec(specView()));
  const shown = (view: slack.ModalView) =>
    Object.fromEntries(inputs(view).map((b) => [b.block_id, (b.element as slack.PlainTextInput).initial_value ?? '']));

  it('adds an empty row with weight 0.00 and keeps what was typed', () => {
    const view = applyRowAction(typed(opened, { 'c:r1:name': 'Typed but unsaved', note: 'why' }), { action_id: ADD_COMPETENCY_ACTION_ID });
    const keys = metadataOf(view).keys;
    expect(keys).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    expect(shown(view)).toMatchObject({ 'c:r1:name': 'Typed but unsaved', note: 'why', 'c:r5:weight': '0.00', 'c:r5:name': '' });
    expect(metadataOf(view)).toMatchObject({ specId: fixture.id, slug: fixture.slug, baseVersion: 3 });
  });

  it('removes the row it was asked to and keeps the rest as typed', () => {
    // r2 held 0.20; moving it onto r3 keeps the total at 1.00 so the result can be saved.
    const view = applyRowAction(typed(opened, { 'c:r3:weight': '0.35' }), { action_id: REMOVE_COMPETENCY_ACTION_ID, value: 'r2' });
    expect(metadataOf(view).keys).toEqual(['r0', 'r1', 'r3', 'r4']);
    expect(shown(view)['c:r3:weight']).toBe('0.35');
    expect(view.blocks.some((b) => b.block_id?.startsWith('c:r2:'))).toBe(false);
    const saved = parseEditSubmission(typed(view));
    expect(saved.ok && saved.content.competencies.map((c) => c.id)).toEqual([
      'financial_systems_design',
      'distributed_systems_reliability',
      'production_ownership',
      'fastapi_kafka_systems',
    ]);
  });

  it('never reuses a removed row key', () => {
    const added = applyRowAction(typed(opened), { action_id: ADD_COMPETENCY_ACTION_ID });
    const removed = applyRowAction(typed(added, { 'c:r5:name': 'Gone' }), { action_id: REMOVE_COMPETENCY_ACTION_ID, value: 'r5' });
    const again = applyRowAction(typed(removed), { action_id: ADD_COMPETENCY_ACTION_ID });
    const keys = metadataOf(again).keys;
    expect(keys).not.toContain('r5');
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys[keys.length - 1]).toBe('r6');
    expect(shown(again)['c:r6:name']).toBe('');
  });

  it('refuses to remove the last row, keeping it and saying why', () => {
    let view = opened;
    for (const key of ['r0', 'r1', 'r2', 'r3']) view = applyRowAction(typed(view), { action_id: REMOVE_COMPETENCY_ACTION_ID, value: key });
    const refused = applyRowAction(typed(view, { 'c:r4:weight': '1' }), { action_id: REMOVE_COMPETENCY_ACTION_ID, value: 'r4' });
    expect(metadataOf(refused).keys).toEqual(['r4']);
    expect(shown(refused)['c:r4:weight']).toBe('1');
    expect(JSON.stringify(refused.blocks)).toContain('the last one cannot be removed');
  });

  it('ignores a click on a row that is already gone', () => {
    const view = applyRowAction(typed(opened), { action_id: REMOVE_COMPETENCY_ACTION_ID, value: 'r99' });
    expect(metadataOf(view).keys).toEqual(metadataOf(opened).keys);
    expect(view.blocks.some((b) => b.block_id === 'errors')).toBe(false);
  });
});
