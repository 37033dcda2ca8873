import { z } from 'zod';
import { defineContract } from '../../api/route.js';
import { response } from '../../api/schemas.js';

/** The safety feature's routes (DESIGN §10). */

export const TransferDetail = response(
  'TransferDetail',
  z.object({
    kind: z.enum(['tx', 'address', 'amount']),
    value: z.string().describe('As the customer wrote it, to copy.'),
    chains: z.array(z.enum(['bitcoin', 'evm', 'tron', 'solana'])).describe('Chains it may belong to (a bare 64-hex hash: Bitcoin or TRON).'),
    links: z.array(z.object({ chain: z.enum(['bitcoin', 'evm', 'tron', 'solana']), url: z.string() })).describe('Block-explorer pages, per chain (`desk.safety.explorers`).'),
    messageId: z.string().describe('The first message that mentions it.'),
    mentions: z.number().int().describe('How many messages mention it.'),
  }),
);
export const TransferDetails = response('TransferDetails', z.object({ items: z.array(TransferDetail) }));

export const safetyRoutes = defineContract({
  transferDetails: {
    method: 'get',
    path: '/api/conversations/:id/transfer-details',
    tags: ['desk'],
    summary: 'Transaction hashes, addresses and amounts the customer gave',
    description: "Additive (DESIGN §10). Found in the customer's messages of the conversation, newest last, each value once, with explorer links.",
    auth: 'agent',
    params: z.object({ id: z.string().max(64) }),
    response: { kind: 'json', status: 200, schema: TransferDetails, description: 'Every detail found.' },
    errors: [401, 404],
  },
});
