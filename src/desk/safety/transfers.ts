import { createHash } from 'node:crypto';
import { base58, bech32, bech32m, createBase58check } from '@scure/base';

/**
 * What support asks a customer for when funds go missing — transaction hashes, addresses and
 * amounts — found in their messages, so the agent copies them or opens an explorer instead of
 * retyping 64 characters. Pure; what the redactor removed is never here (it is not in the text).
 */
export type Chain = 'bitcoin' | 'evm' | 'tron' | 'solana';
export type DetailKind = 'tx' | 'address' | 'amount';

export interface TransferDetail {
  readonly kind: DetailKind;
  readonly value: string;
  /** Chains it may belong to: one for an address, two for a bare 64-hex hash (Bitcoin or TRON). */
  readonly chains: readonly Chain[];
}

const sha256 = (data: Uint8Array): Uint8Array => createHash('sha256').update(data).digest();
const base58check = createBase58check(sha256);
const B58 = '1-9A-HJ-NP-Za-km-z';

const decodes = (decode: () => Uint8Array): Uint8Array | undefined => {
  try {
    return decode();
  } catch {
    return undefined;
  }
};

/** bc1… (SegWit v0 bech32, v1+ bech32m), tb1… on testnet: the checksum must hold. */
function isBech32Address(text: string): boolean {
  const lower = text.toLowerCase();
  if (text !== lower && text !== text.toUpperCase()) return false;
  for (const codec of [bech32, bech32m]) {
    const decoded = decodes(() => {
      const { prefix, words } = codec.decode(lower as `${string}1${string}`, 90);
      return prefix === 'bc' || prefix === 'tb' ? Uint8Array.from(words) : new Uint8Array();
    });
    if (decoded && decoded.length > 0) return (decoded[0] === 0) === (codec === bech32);
  }
  return false;
}

/** Base58check of 21 bytes: 0x00/0x05 Bitcoin P2PKH/P2SH, 0x41 TRON. */
const versionOf = (text: string): number | undefined => {
  const bytes = decodes(() => base58check.decode(text));
  return bytes && bytes.length === 21 ? bytes[0] : undefined;
};

const PATTERNS: { kind: DetailKind; pattern: RegExp; chains(match: string, context: string): Chain[] | undefined }[] = [
  { kind: 'tx', pattern: /(?<![0-9a-fA-Fx])0x[0-9a-fA-F]{64}(?![0-9a-fA-F])/g, chains: () => ['evm'] },
  {
    kind: 'tx',
    pattern: /(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])/g,
    chains: (_, context) => (/\b(btc|bitcoin)\b|比特币/i.test(context) ? ['bitcoin'] : /\b(trx|tron|trc-?20)\b|波场/i.test(context) ? ['tron'] : ['bitcoin', 'tron']),
  },
  { kind: 'tx', pattern: new RegExp(`(?<![${B58}])[${B58}]{86,88}(?![${B58}])`, 'g'), chains: (m) => (decodes(() => base58.decode(m))?.length === 64 ? ['solana'] : undefined) },
  { kind: 'address', pattern: /(?<![0-9a-zA-Z])0x[0-9a-fA-F]{40}(?![0-9a-fA-F])/g, chains: () => ['evm'] },
  { kind: 'address', pattern: /(?<![0-9a-zA-Z])(?:bc1|tb1|BC1|TB1)[02-9ac-hj-np-zAC-HJ-NP-Z]{8,87}(?![0-9a-zA-Z])/g, chains: (m) => (isBech32Address(m) ? ['bitcoin'] : undefined) },
  {
    kind: 'address',
    pattern: new RegExp(`(?<![${B58}])[13T][${B58}]{25,34}(?![${B58}])`, 'g'),
    chains: (m) => {
      const version = versionOf(m);
      return version === 0x41 ? ['tron'] : version === 0x00 || version === 0x05 ? ['bitcoin'] : undefined;
    },
  },
  {
    kind: 'address',
    pattern: new RegExp(`(?<![${B58}])[${B58}]{32,44}(?![${B58}])`, 'g'),
    // Any 32 bytes are a Solana address, so ask for a mix that words and numbers do not have.
    chains: (m) => (/[a-z]/.test(m) && /[A-Z]/.test(m) && /\d/.test(m) && versionOf(m) === undefined && decodes(() => base58.decode(m))?.length === 32 ? ['solana'] : undefined),
  },
];

/** "0.05 BTC", "1,200 USDT", "500U", "$300", "300 美元" — an amount with its currency. */
const AMOUNT = /(?<![A-Za-z0-9.])(?:\$\s?\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?\s?(?:btc|eth|usdt|usdc|trx|sol|bnb|dai|matic|pol|ton|u|美元|元|刀)(?![\p{L}\p{N}]))/giu;

/** Every detail of one text, in order of appearance, each value once. */
export function findTransferDetails(text: string): TransferDetail[] {
  const found: { at: number; end: number; detail: TransferDetail }[] = [];
  const taken = (start: number, end: number): boolean => found.some((f) => start < f.end && end > f.at);
  for (const { kind, pattern, chains } of PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      if (taken(m.index, m.index + m[0].length)) continue;
      // What the customer said before it names the chain ("USDT (TRC20) … hash …").
      const context = text.slice(Math.max(0, m.index - 100), m.index);
      const on = chains(m[0], context);
      if (on) found.push({ at: m.index, end: m.index + m[0].length, detail: { kind, value: m[0], chains: on } });
    }
  }
  for (const m of text.matchAll(AMOUNT)) {
    if (!taken(m.index, m.index + m[0].length)) found.push({ at: m.index, end: m.index + m[0].length, detail: { kind: 'amount', value: m[0].trim(), chains: [] } });
  }
  const seen = new Set<string>();
  return found
    .sort((a, b) => a.at - b.at)
    .map((f) => f.detail)
    .filter((d) => !seen.has(d.value) && seen.add(d.value));
}

/** Where an agent looks a hash or an address up, per chain; admins may point elsewhere (`desk.safety.explorers`). */
export const defaultExplorers: Readonly<Record<`${Chain}.${'tx' | 'address'}`, string>> = {
  'bitcoin.tx': 'https://mempool.space/tx/{value}',
  'bitcoin.address': 'https://mempool.space/address/{value}',
  'evm.tx': 'https://etherscan.io/tx/{value}',
  'evm.address': 'https://etherscan.io/address/{value}',
  'tron.tx': 'https://tronscan.org/#/transaction/{value}',
  'tron.address': 'https://tronscan.org/#/address/{value}',
  'solana.tx': 'https://solscan.io/tx/{value}',
  'solana.address': 'https://solscan.io/account/{value}',
};

/** Explorer links of a detail: the admin's template for `<chain>.<kind>` or `<chain>`, else ours. */
export function explorerLinks(detail: TransferDetail, explorers: Readonly<Record<string, string>>): { chain: Chain; url: string }[] {
  const kind = detail.kind;
  if (kind === 'amount') return [];
  return detail.chains.map((chain) => {
    const template = explorers[`${chain}.${kind}`] ?? explorers[chain] ?? defaultExplorers[`${chain}.${kind}`];
    return { chain, url: template.replaceAll('{value}', encodeURIComponent(detail.value)).replaceAll('{kind}', kind) };
  });
}
