export { runCommand, savedReply } from './commands';
export { markedText, paragraph, plainText, replyText, sentence, type Block, type Inline, type Reply, type Tone } from './document';
export { errorReply } from './errors';
export type { ConversationRequest, ConversationServices, Vocabulary } from './request';
