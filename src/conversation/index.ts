export { runCommand } from './commands';
export { savedReply } from './saved';
export { paragraph, phraseInlines, plainText, replyText, sentence, type Block, type Inline, type Reply, type Tone } from './document';
export { errorPhrase, errorReply } from './errors';
export {
  checkEditDraft,
  EDIT_FORM_FIELDS,
  type CheckedEdit,
  type EditFormDraft,
  type EditFormField,
  type EditFormRow,
  type FormTarget,
} from './edit-form';
export { channelGoneNotice, channelPausedNotice, deadLettersNotice, type DeadLetter } from './notices';
export type { ConversationRequest, ConversationServices, Vocabulary } from './request';
export {
  checkMustHavesDraft,
  checkSettingsDraft,
  MAX_MUST_HAVE_ROWS,
  moveRow,
  type CheckedMustHaves,
  type CheckedSettings,
  type MustHaveRow,
  type MustHavesDraft,
  type MustHaveTarget,
  type SettingsDraft,
  type SettingsField,
  type SettingsTarget,
} from './part-forms';
