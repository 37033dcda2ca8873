import { asksForPerson } from '../person-request.js';

/**
 * What a customer's message means to the FAQ bot (issue 16), from its text alone: pure. Asking for
 * a person wins over everything ("human", "人工" at any time); a bare greeting is not a question
 * to search for; a bare "yes" / "解决了" right after an answer confirms it on channels without
 * buttons ("1" and "2" are the typed forms of the two options there).
 */
export type Intent = 'person' | 'solved' | 'greeting' | 'question';

const GREETING = /^(hi|hello|hey|hiya|yo|good (morning|afternoon|evening)|hi there|hello there|你好|您好|在吗|在不在|哈喽|嗨|hello\?)$/iu;
const SOLVED = /^(yes|yep|yeah|yes thanks|solved|it worked|that worked|that helped|thanks|thank you|thx|ok thanks|1|是|是的|好的|解决了|已解决|问题解决了|可以了|谢谢|好了)$/iu;
const NOT_SOLVED = /^(2|no|nope|not solved|didn't help|没有|没解决|不行|没用)$/iu;

/** The message with the punctuation and emoji around it, and repeated spaces, removed. */
const core = (text: string): string =>
  text
    .normalize('NFKC')
    .replace(/[\p{P}\p{S}\s]+$/gu, '')
    .replace(/^[\p{P}\p{S}\s]+/gu, '')
    .replace(/\s+/g, ' ')
    .trim();

/** `afterAnswer`: the bot's last answer waits for the customer's verdict. */
export function intentOf(text: string, afterAnswer: boolean): Intent {
  const bare = core(text);
  if (asksForPerson(bare) || (afterAnswer && NOT_SOLVED.test(bare))) return 'person';
  if (afterAnswer && SOLVED.test(bare)) return 'solved';
  if (GREETING.test(bare)) return 'greeting';
  return 'question';
}
