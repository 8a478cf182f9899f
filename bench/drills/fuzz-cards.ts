import { BOT_APP_ID, type FakeBotConnector, TENANT_ID } from '../../test/support/fake-bot-connector';
import { DEMO_SPEC_ID } from '../../test/support/interview-events';
import type { EdgeInput } from './fuzz-edges';
import { status } from './http-status';
import { chance, modalValue, pick, randomWord } from './fuzz-inputs';
import type { Rig } from './rig';

/**
 * The Teams edit card's actions, fuzzed: a signed `adaptiveCard/action` invoke whose verb, form
 * state and inputs are what a changed client could send. Each must be answered 200 with a card or
 * a message in words (the form again with errors, a refusal, "open a new form"), never a 5xx.
 */
const VERBS = [
  'panelist.edit.save',
  'panelist.edit.add',
  'panelist.edit.remove',
  'panelist.edit.move',
  'panelist.edit.part',
  'panelist.edit.cancel',
  'panelist.edit.nope',
  '',
];
const PARTS = ['competencies', 'mustHaves', 'settings', 'everything', '', null];
const OWNER = { id: '29:fuzz-owner', aadObjectId: 'aad-fuzz-owner', name: 'Fuzz Owner' };

function formState(): unknown {
  if (chance(0.1)) return pick([undefined, null, 'x', [], {}, { specId: DEMO_SPEC_ID }]);
  const keys = Array.from({ length: Math.floor(Math.random() * 6) }, (_, i) => (chance(0.9) ? `r${i}` : randomWord(40)));
  return {
    specId: chance(0.9) ? DEMO_SPEC_ID : randomWord(),
    slug: chance(0.9) ? 'senior-backend-payments' : randomWord(),
    baseVersion: pick([1, 2, 3, 0, -1, 1.5, 99999, '1']),
    part: pick(PARTS),
    keys,
    next: pick([keys.length, 0, -5, 1e9, 'x']),
  };
}

function cardData(state: unknown): Record<string, unknown> {
  const data: Record<string, unknown> = { panelist: state };
  const keys = (state as { keys?: unknown })?.keys;
  const rowKeys = Array.isArray(keys) ? (keys as string[]) : ['r0'];
  for (const key of rowKeys) {
    if (chance(0.6)) data[`m_${key}_text`] = modalValue('m:text');
    if (chance(0.4)) data[`m_${key}_required`] = pick(['required', 'nice', '', randomWord()]);
    if (chance(0.4)) data[`c_${key}_weight`] = modalValue('c:weight');
    if (chance(0.3)) data[`c_${key}_name`] = modalValue('c:name');
  }
  for (const id of ['candidateSees', 'prompts']) if (chance(0.5)) data[id] = pick(['1', '5', '10', '0', '11', 'x', '', 3]);
  if (chance(0.5)) data.mode = pick(['voice', 'text', 'video', '']);
  if (chance(0.5)) data.autoPublish = pick(['true', 'false', 'maybe', true]);
  if (chance(0.5)) data.note = modalValue('note');
  if (chance(0.3)) data.remove = pick(rowKeys.length > 0 ? rowKeys : ['r0']);
  if (chance(0.3)) data.move = pick(['up', 'down', 'sideways']);
  if (chance(0.3)) data.part = pick(PARTS);
  return data;
}

export function cardActionInput(rig: Rig, connector: FakeBotConnector): EdgeInput {
  const verb = pick(VERBS);
  const activity = {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `fuzz-${randomWord()}`,
    serviceUrl: connector.serviceUrl,
    channelId: 'msteams',
    from: OWNER,
    recipient: { id: `28:${BOT_APP_ID}`, name: 'Panelist' },
    conversation: { id: 'a:fuzz-cards', conversationType: 'personal', tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID } },
    value: { action: { type: 'Action.Execute', verb, data: { ...cardData(formState()), verb } }, trigger: 'manual' },
  };
  return {
    kind: 'teams edit card action',
    expect: [200],
    send: () =>
      status(`${rig.baseUrl}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${connector.sign()}` },
        body: JSON.stringify(activity),
      }),
  };
}
