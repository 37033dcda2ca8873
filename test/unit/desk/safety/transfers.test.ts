import { describe, expect, it } from 'vitest';
import { explorerLinks, findTransferDetails } from '../../../../src/desk/safety/transfers.js';

const evmTx = `0x${'5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060'}`;
const bareTx = '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b';

describe('transfer details', () => {
  it('finds hashes, addresses of every chain and amounts, each once, in order', () => {
    const text = [
      `I sent 0.5 ETH to 0x52908400098527886E0F7030069857D2E4169EE7, tx ${evmTx}`,
      `then 1,200 USDT (TRC20) to TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t, hash ${bareTx}`,
      'btc to bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 and 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa, sol to So11111111111111111111111111111111111111112',
      `again: ${evmTx}`,
    ].join('\n');
    expect(findTransferDetails(text).map((d) => [d.kind, d.value, d.chains.join('/')])).toEqual([
      ['amount', '0.5 ETH', ''],
      ['address', '0x52908400098527886E0F7030069857D2E4169EE7', 'evm'],
      ['tx', evmTx, 'evm'],
      ['amount', '1,200 USDT', ''],
      ['address', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 'tron'],
      ['tx', bareTx, 'tron'],
      ['address', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'bitcoin'],
      ['address', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'bitcoin'],
      ['address', 'So11111111111111111111111111111111111111112', 'solana'],
    ]);
  });

  it('refuses look-alikes: a bech32 typo, a bad base58 checksum, a plain long word', () => {
    expect(findTransferDetails('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb supercalifragilisticexpialidocious')).toEqual([]);
  });

  it('links each chain to its explorer, or to the one an admin set', () => {
    const [tx] = findTransferDetails(`hash ${bareTx}`);
    expect(tx!.chains).toEqual(['bitcoin', 'tron']);
    expect(explorerLinks(tx!, {}).map((l) => l.url)).toEqual([`https://mempool.space/tx/${bareTx}`, `https://tronscan.org/#/transaction/${bareTx}`]);
    expect(explorerLinks(tx!, { tron: 'https://explorer.example/{kind}/{value}' })[1]!.url).toBe(`https://explorer.example/tx/${bareTx}`);
  });

  it('reads Chinese amounts', () => {
    expect(findTransferDetails('我转了 500U，还有300 美元').map((d) => d.value)).toEqual(['500U', '300 美元']);
  });
});
