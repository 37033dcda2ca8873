/**
 * What the benchmark sends: Telegram private-chat text updates from a fixed population of
 * customers, each text carrying a sequence number so the observer can match the announcement on
 * the agent event stream to the delivery that caused it. Deterministic (seeded), so two runs send
 * the same traffic.
 */

/** Epoch milliseconds with sub-millisecond precision; comparable across threads and processes. */
export const clock = (): number => performance.timeOrigin + performance.now();

/** Appended to every customer text; `(bench #<seq>)` cannot occur in a reply's text. */
export const inboundMarker = (seq: number): string => `(bench #${seq})`;
export const INBOUND_MARKER = /\(bench #(\d+)\)/;
export const replyText = (index: number): string => `Thanks for waiting — we are checking this now. (bench reply #${index})`;
export const REPLY_MARKER = /\(bench reply #(\d+)\)/;

/** update_id of sequence 0; Telegram's own ids are large, increasing integers. */
const UPDATE_ID_BASE = 710_000_000;
/** Private chat ids are the users' ids: positive, up to 52 bits (Bot API User.id). */
const FIRST_CUSTOMER_ID = 5_100_000_000;

export interface Customer {
  readonly id: number;
  readonly first_name: string;
  readonly last_name?: string;
  readonly username?: string;
  readonly language_code: string;
}

const FIRST_NAMES = ['Ana', 'Wei', 'Olga', 'Mateo', 'Aisha', 'Kenji', 'Lena', 'Tomás', '小明', 'Priya', 'Jonas', 'Fatima', 'Igor', 'Chloé', 'Minh', 'Sara'];
const LAST_NAMES = ['Silva', 'Zhang', 'Petrova', 'García', 'Khan', 'Sato', 'Müller', 'Nguyen', '王', 'Kowalski'];
const LANGUAGES = ['en', 'zh-hans', 'ru', 'es', 'pt-br', 'de', 'ja', 'ar'];

/** What customers of a wallet app write to support, short and long, in several languages. */
export const TEXTS = [
  'hello??',
  'ok thanks',
  'My withdrawal has been pending for 3 hours. Can you check what is going on?',
  '我的钱包被盗了，所有的 USDT 都不见了，怎么办？',
  '¿Cómo cambio el correo electrónico de mi cuenta? No me llega el código.',
  'I sent USDT on the wrong network (BEP20 instead of ERC20). Is there any way to recover it? The amount is not small and I am really worried.',
  'Где мой депозит? Прошло уже два дня, а баланс не изменился.',
  'The app crashes every time I open the swap screen (Android 14, Pixel 7, version 4.12.0). I reinstalled it twice already.',
  'Someone from "support" asked me for my recovery phrase in a DM. Is that you? I did not give it yet.',
  'Minha conta foi bloqueada depois de trocar de celular. Preciso acessar urgente, tenho uma transferência pendente.',
  'Can I get a refund of the network fee for the failed transaction? Hash 0x9f3c2a7e41b0d8c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2',
  'Hi! Just wanted to say the new staking page is great. One question though: when are rewards paid out — daily or weekly? And is there a minimum amount to unstake? I could not find it in the help center, the article about staking seems to be out of date (it still shows the old screens).',
];

/** mulberry32: small, fast, seedable; the traffic must be the same on every run. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Builds the updates. Each customer is a private chat; every new update picks a customer at
 * random, so early deliveries open conversations and later ones land in existing ones, and the
 * chat's `message_id` increases as on Telegram (the dedup key is `chat:message_id`).
 */
export class TelegramTraffic {
  private readonly customers: Customer[];
  private readonly lastMessageId: Int32Array;
  private readonly pick: () => number;

  constructor(options: { customers: number; seed: number; firstCustomerId?: number }) {
    const rnd = random(options.seed);
    const first = options.firstCustomerId ?? FIRST_CUSTOMER_ID;
    this.customers = Array.from({ length: options.customers }, (_, index) => {
      const withLast = rnd() < 0.6;
      const withUsername = rnd() < 0.5;
      return {
        id: first + index,
        first_name: FIRST_NAMES[Math.floor(rnd() * FIRST_NAMES.length)]!,
        ...(withLast ? { last_name: LAST_NAMES[Math.floor(rnd() * LAST_NAMES.length)]! } : {}),
        ...(withUsername ? { username: `user_${(first + index).toString(36)}` } : {}),
        language_code: LANGUAGES[Math.floor(rnd() * LANGUAGES.length)]!,
      };
    });
    this.lastMessageId = new Int32Array(options.customers);
    this.pick = rnd;
  }

  /** The Update for sequence number `seq`, sent by the customer at `dateMs`. */
  update(seq: number, dateMs: number): Record<string, unknown> {
    const index = Math.floor(this.pick() * this.customers.length);
    const customer = this.customers[index]!;
    this.lastMessageId[index] = this.lastMessageId[index]! + 1;
    const text = `${TEXTS[seq % TEXTS.length]!} ${inboundMarker(seq)}`;
    return {
      update_id: UPDATE_ID_BASE + seq,
      message: {
        message_id: this.lastMessageId[index]!,
        from: { is_bot: false, ...customer },
        chat: {
          id: customer.id,
          first_name: customer.first_name,
          ...(customer.last_name ? { last_name: customer.last_name } : {}),
          ...(customer.username ? { username: customer.username } : {}),
          type: 'private',
        },
        date: Math.floor(dateMs / 1000),
        text,
      },
    };
  }
}
