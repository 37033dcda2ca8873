import { z } from 'zod';
import { defineContract } from '../api/route.js';
import { request, response } from '../api/schemas.js';

/** The desk's settings as the inbox's admin page reads and edits them (DESIGN §10). */

export const DeskSettingsItem = response(
  'DeskSettings',
  z.object({
    feature: z.string().describe('The desk feature (`auto-ack`, `safety`, …).'),
    settings: z
      .record(z.string(), z.unknown())
      .describe("The feature's keys of `desk:` as they apply now. Secrets (`llm.apiKey`) show as `********`; saving that back keeps the secret."),
    edited: z.object({ at: z.string(), by: z.string().nullable() }).nullable().describe("When an admin last changed them; null = the channels file's values."),
  }),
);
export const DeskSettingsList = response('DeskSettingsList', z.object({ items: z.array(DeskSettingsItem) }));
export const DeskSettingsUpdate = request('DeskSettingsUpdate', z.record(z.string(), z.unknown()).describe("The feature's keys of `desk:`; validated by the feature, errors name the field."));

const feature = z.object({ feature: z.string().max(64).describe('The desk feature.') });

export const deskRoutes = defineContract({
  listDeskSettings: {
    method: 'get',
    path: '/api/desk/settings',
    tags: ['desk'],
    summary: "The desk features' settings",
    description: "Additive (DESIGN §10). Each feature's slice of the channels file's `desk:` section, as edited by admins.",
    auth: 'agent',
    response: { kind: 'json', status: 200, schema: DeskSettingsList, description: 'Every feature.' },
    errors: [401],
  },
  updateDeskSettings: {
    method: 'put',
    path: '/api/desk/settings/:feature',
    tags: ['desk'],
    summary: "Change a desk feature's settings (admin)",
    description: 'Additive (DESIGN §10). Replaces the feature\'s settings; missing keys take their defaults. Every process applies them within seconds.',
    auth: 'admin',
    params: feature,
    body: DeskSettingsUpdate,
    response: { kind: 'json', status: 200, schema: DeskSettingsItem, description: 'The settings now in force.' },
    errors: [400, 401, 403, 404, 413],
  },
  resetDeskSettings: {
    method: 'delete',
    path: '/api/desk/settings/:feature',
    tags: ['desk'],
    summary: "Return a desk feature to the channels file's settings (admin)",
    description: 'Additive (DESIGN §10).',
    auth: 'admin',
    params: feature,
    response: { kind: 'json', status: 200, schema: DeskSettingsItem, description: 'The settings now in force.' },
    errors: [401, 403, 404],
  },
});
