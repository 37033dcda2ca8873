/**
 * The words of wallet support that the search must treat as one (issue 16): customers write
 * "tx", "eth", "U", "币安", "电报", articles write "transaction", "Ethereum", "USDT", "交易所",
 * "Telegram". Pure data, applied the same way to articles and questions, so a question finds an
 * article whichever of the words each uses. Grown from how customers phrase things (the fixtures'
 * questions in test/fixtures/kb among them); extend it from real queries that find nothing.
 */

/** English stop words, plus the filler of support chats ("hi", "please", "anyone"). */
export const EN_STOP: ReadonlySet<string> = new Set(
  (
    'a an the and or but if then so of to in on at by for with from into onto about as is are was were be been being am do does did doing done ' +
    'have has had having i me my mine we us our you your yours he him his she her it its they them their this that these those there here ' +
    'what which who whom whose when where why how can could would should will shall may might must not no yes just very too also still yet ' +
    'any some all each every more most much many such own same other than up down out over again once only both few nor off ' +
    'get gets getting got gotten go goes going went gone make makes making made want wants wanted need needs know knew thing things something anything ' +
    'someone somebody way like really actually please pls plz hi hello hey hiya thanks thank thx ok okay dear sir madam guys team anyone ' +
    "i'm im i've ive i'd id it's don't dont doesn't doesnt didn't didnt can't cant won't wont isn't isnt wasn't wasnt haven't havent what's whats"
  ).split(' '),
);

/** Irregular forms and the misspellings every support inbox sees, before stemming. */
export const EN_FORMS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    bought: 'buy',
    sent: 'send',
    withdrew: 'withdraw',
    withdrawn: 'withdraw',
    paid: 'pay',
    lost: 'lose',
    took: 'take',
    taken: 'take',
    gave: 'give',
    given: 'give',
    stole: 'steal',
    stolen: 'steal',
    chose: 'choose',
    chosen: 'choose',
    froze: 'freeze',
    frozen: 'freeze',
    forgot: 'forget',
    forgotten: 'forget',
    shown: 'show',
    faster: 'speed',
    quicker: 'speed',
    accelerate: 'speed',
    recieve: 'receive',
    recieved: 'received',
    recived: 'received',
    adress: 'address',
    withdrawl: 'withdrawal',
    transfered: 'transferred',
    transfering: 'transferring',
    pasword: 'password',
  }),
);

/**
 * Aliases: words (as stemmed) that stand for one term, replaced by it on both sides.
 * Related: terms a word implies, added beside it (an exchange's name implies "exchange").
 */
export const EN_ALIASES: ReadonlyMap<string, string> = new Map([
  ...['tx', 'txn', 'txs', 'transaction'].map((w) => [w, 'transaction'] as const),
  ...['txid', 'hash'].map((w) => [w, 'hash'] as const),
  ...['eth', 'ether', 'ethereum'].map((w) => [w, 'ethereum'] as const),
  ...['btc', 'bitcoin'].map((w) => [w, 'bitcoin'] as const),
  ...['bsc', 'bnb'].map((w) => [w, 'bnb'] as const),
  ...['seed', 'mnemonic', 'phrase'].map((w) => [w, 'phrase'] as const),
  ...['otp', '2fa'].map((w) => [w, '2fa'] as const),
  ...['pick', 'select', 'choos'].map((w) => [w, 'choos'] as const),
  ...['iphone', 'android', 'mobil', 'phon'].map((w) => [w, 'phon'] as const),
  ...['wrong', 'mistak', 'accidental', 'accidentally', 'mistaken', 'incorrect', 'wrongly'].map((w) => [w, 'wrong'] as const),
  ...['see', 'visibl', 'display', 'appear', 'show'].map((w) => [w, 'show'] as const),
  ...['approval', 'approv', 'permission', 'allowanc'].map((w) => [w, 'approv'] as const),
  ...['day', 'daily'].map((w) => [w, 'day'] as const),
  ...['login', 'signin', 'logon', 'sign'].map((w) => [w, 'sign'] as const),
  ...['u', 'usdt', 'tether'].map((w) => [w, 'usdt'] as const),
  ...['cashout'].map((w) => [w, 'withdraw'] as const),
  ...['min', 'mins', 'minut'].map((w) => [w, 'minut'] as const),
  ...['hr', 'hrs', 'hour'].map((w) => [w, 'hour'] as const),
  ...['withdraw', 'withdrawal'].map((w) => [w, 'withdraw'] as const),
  ...['tg', 'telegram'].map((w) => [w, 'telegram'] as const),
  ...['weixin', 'wechat'].map((w) => [w, 'wechat'] as const),
]);

export const EN_RELATED: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ...['binanc', 'okx', 'okex', 'kraken', 'coinbas', 'bybit', 'kucoin', 'huobi', 'htx', 'bitget', 'gate', 'bitfinex', 'mexc'].map((w) => [w, ['exchang']] as const),
  ...['erc20'].map((w) => [w, ['ethereum']] as const),
  ...['trc20'].map((w) => [w, ['tron']] as const),
  ...['bep20'].map((w) => [w, ['bnb']] as const),
  ...['expensiv', 'cheap', 'cheaper', 'cost', 'costly', 'charg', 'gas'].map((w) => [w, ['fee']] as const),
  ...['reject', 'declin', 'deni', 'refus'].map((w) => [w, ['fail']] as const),
  ...['trad'].map((w) => [w, ['swap']] as const),
  ...['kyc'].map((w) => [w, ['verification', 'identity']] as const),
  ...['legit', 'legitimat', 'fak', 'phish', 'fraud', 'scammer'].map((w) => [w, ['scam']] as const),
  ...['unstak', 'earn'].map((w) => [w, ['stak']] as const),
  ...['unlock'].map((w) => [w, ['lock', 'unstak']] as const),
  ...['authenticator'].map((w) => [w, ['2fa']] as const),
  ...['nft', 'nfts'].map((w) => [w, ['collectibl']] as const),
]);

/** Two-word phrases that are one term ("cash out"), applied to the lowercased text before it is split. */
export const EN_PHRASES: readonly [RegExp, string][] = [
  [/\bcash(?:ing|ed)?[\s-]+out\b/gu, ' cashout '],
  [/\blog(?:ged|ging)?[\s-]+in(?:to)?\b/gu, ' login '],
  [/\bsign(?:ed|ing)?[\s-]+in(?:to)?\b/gu, ' login '],
  [/\b(erc|trc|bep|spl)[\s-]?(20|721|1155)\b/gu, ' $1$2 '],
  [/\btwo[\s-]+factor\b/gu, ' 2fa '],
  [/\bsmart[\s-]+chain\b/gu, ' bnb '],
];

/**
 * Chinese: a variant found anywhere in a run of Han characters adds the terms of what it stands
 * for (words and pairs, not single characters), so "币安" also finds "交易所" and "电报" finds
 * "Telegram".
 */
export const ZH_RELATED: readonly [string, string][] = [
  ['币安', '交易所 binance'],
  ['欧易', '交易所 okx'],
  ['火币', '交易所'],
  ['抹茶', '交易所'],
  ['交易平台', '交易所'],
  ['电报', 'telegram'],
  ['飞机', 'telegram'],
  ['微信', 'wechat'],
  ['推特', 'twitter'],
  ['苹果', '手机 iphone'],
  ['安卓', '手机 android'],
  ['华为', '手机'],
  ['小米', '手机'],
  ['换机', '手机'],
  ['矿工费', '手续费 gas'],
  ['油费', '手续费 gas'],
  ['燃料费', '手续费 gas'],
  ['贵', '手续费 费用'],
  ['便宜', '手续费 费用'],
  ['闪兑', '兑换 swap'],
  ['换币', '兑换 swap'],
  ['币安链', 'bnb 智能链'],
  ['币安智能链', 'bnb 智能链'],
  ['波场', 'tron trc20'],
  ['以太坊', 'ethereum'],
  ['比特币', 'bitcoin'],
  ['链', '网络'],
  ['撤掉', '撤销 取消'],
  ['撤回', '撤销 取消'],
  ['收回', '撤销 取消'],
  ['实名', '身份认证 kyc'],
  ['出金', '提现'],
  ['找不到', '看不到 显示'],
  ['不见了', '看不到 显示'],
  ['不显示', '看不到 显示'],
  ['没显示', '看不到 显示'],
  ['谷歌验证', '验证器 2fa'],
  ['谷歌', 'google'],
  ['被拒', '拒绝 失败'],
  ['不成功', '失败'],
  ['骗', '诈骗'],
  ['官方', '诈骗'],
  ['私聊', '私信'],
  ['没到', '到账'],
  ['没收到', '到账'],
  ['收不到', '没有 收到'],
  ['卡住', '处理中 加速'],
  ['卡了', '卡住 处理中 加速'],
  ['快点', '加速'],
  ['单词', '助记词'],
  ['私钥', '助记词'],
];

/** Han characters that say nothing about the topic (particles, pronouns, politeness). */
export const ZH_STOP_CHARS: ReadonlySet<string> = new Set([...'的了吗呢吧啊呀哦嗯么我你您他她它们是在和与及就都也还这那个有要想请问一下些哪谁嘛啦哈喂把被给让']);

/** Chinese words with no topic; a run of Han characters is split where one stands. */
export const ZH_STOP_WORDS: readonly string[] = [
  '为什么',
  '怎么办',
  '能不能',
  '是不是',
  '有没有',
  '怎么回事',
  '什么',
  '怎么',
  '怎样',
  '如何',
  '请问',
  '你好',
  '您好',
  '在吗',
  '在不在',
  '谢谢',
  '麻烦',
  '一下',
  '我们',
  '你们',
  '他们',
  '可以',
  '为啥',
  '咋办',
  '现在',
  '已经',
  '然后',
  '但是',
  '因为',
  '所以',
  '这个',
  '那个',
  '哪个',
  '一个',
  '客服',
  '老是',
  '一直',
  '明明',
  '好像',
  '之前',
  '结果',
  '本来',
  '应该',
  '还是',
];
