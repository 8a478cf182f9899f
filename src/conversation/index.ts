export { runCommand, savedReply } from './commands';
export { paragraph, phraseInlines, plainText, replyText, sentence, type Block, type Inline, type Reply, type Tone } from './document';
export { errorPhrase, errorReply } from './errors';
export { channelGoneNotice, channelPausedNotice, deadLettersNotice, type DeadLetter } from './notices';
export type { ConversationRequest, ConversationServices, Vocabulary } from './request';
