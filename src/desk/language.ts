/** The languages the desk speaks to customers in (DESIGN §10: zh/en). */
export type Lang = 'en' | 'zh';

/** A customer's language, from what they wrote: Chinese when the text holds Han characters. */
export const languageOf = (text: string): Lang => (/\p{Script=Han}/u.test(text) ? 'zh' : 'en');
