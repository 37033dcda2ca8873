/**
 * Words of wallet support chat that ICU's Chinese dictionary (Intl.Segmenter, Node 20) does not
 * know and splits into single characters — 币安 → 币|安, 助记词 → 助|记|词, 余额 → 余|额 — so
 * the recovery-phrase detector saw "从币安提过来半天了" as random characters. Listed in simplified
 * and traditional form; words ICU already has (钱包, 转账, 交易所, 授权, 地址, 手续 …) are left out,
 * and a word ending in one it has (手续费 = 手续|费) is listed whole so its last character counts.
 * A random phrase hits one of these two-character words with odds of about 1 in 2048² per pair.
 */
export const walletWords: readonly string[] = [
  // Coins, chains, exchanges.
  '币安', '欧易', '火币', '主币', '代币', '法币', '比特币', '以太坊', '以太币', '泰达币', '稳定币', '狗狗币', '莱特币', '瑞波币', '门罗币',
  '波场', '主网', '测试网', '公链', '主链', '侧链', '跨链', '跨链桥', '区块链', '链上', '链下', '币种', '币价', '币圈',
  // Keys and phrases.
  '助记词', '助记', '私钥', '公钥', '密钥', '秘钥', '私匙',
  // Moving funds.
  '提币', '充币', '充提', '打币', '卖币', '买币', '换币', '盗币', '到账', '入账', '提现', '充值', '转出', '转错', '转错链', '充错', '提错',
  '手续费', '矿工费', '燃料费', '网络费', '余额', '额度', '哈希', '确认数', '闪兑', '滑点', '质押', '锁仓', '解锁', '挖矿', '矿池', '年化',
  '爆仓', '平仓', '开仓', '撤单', '交易对',
  // The app and the support desk.
  '验证码', '验证器', '二维码', '浏览器', '去中心化', '客服', '工单', '截图', '相册', '链接', '私聊', '推特', '实名', '人脸', '被盗', '盗号', '刷单',
  // Traditional forms.
  '幣安', '歐易', '火幣', '主幣', '代幣', '比特幣', '穩定幣', '波場', '主網', '公鏈', '跨鏈', '區塊鏈', '鏈上', '幣種', '幣價',
  '助記詞', '助記', '私鑰', '公鑰', '密鑰', '提幣', '充幣', '盜幣', '到賬', '到帳', '入帳', '提現', '礦工費', '閃兌', '滑點', '挖礦', '解鎖',
  '驗證碼', '驗證器', '二維碼', '截圖', '相冊', '被盜',
];
