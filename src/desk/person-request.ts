/**
 * A customer asking for a person, in English or Chinese, anywhere in a message: the FAQ bot hands
 * off on it, and the knowledge base's search never calls an article a confident answer to it.
 * One list, so the two never disagree. English words are whole words ("agent", not "user-agents").
 */
const PATTERNS = [
  /(?<![\p{L}\p{N}_-])(?:humans?|agents?|(?:a |real )?person|operator|representative|someone real|live (?:agent|person|chat|support)|support staff|talk to (?:someone|somebody|support|an? agent)|speak (?:to|with) (?:someone|somebody|an? agent))(?![\p{L}\p{N}_-])/iu,
  /人工|真人|活人|找客服|联系客服|客服人员|转客服|接客服/u,
];

export const asksForPerson = (text: string): boolean => {
  const normalized = text.normalize('NFKC');
  return PATTERNS.some((p) => p.test(normalized));
};
