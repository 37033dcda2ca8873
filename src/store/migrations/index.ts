import type { Migration, MigrationProvider } from 'kysely';
import * as m001 from './001-initial.js';
import * as m002 from './002-search.js';
import * as m003 from './003-inbox.js';
import * as m004 from './004-revisions-events.js';
import * as m005 from './005-sent-parts.js';
import * as m006 from './006-outbox-desk.js';
import * as m007 from './007-safety.js';
import * as m008 from './008-sla.js';
import * as m009 from './009-teams.js';
import * as m010 from './010-outbox-claims.js';
import * as m011 from './011-sla-wake.js';
import * as m012 from './012-csat.js';
import * as m013 from './013-handoff.js';
import * as m014 from './014-kb.js';
import * as m015 from './015-canned.js';
import * as m016 from './016-audit.js';
import * as m017 from './017-identity.js';
import * as m018 from './018-customer-notes.js';
import * as m019 from './019-records-jobs.js';
import * as m020 from './020-webhooks.js';
import * as m021 from './021-automation.js';
import * as m022 from './022-agent-bots.js';

/** Versioned migrations, applied in order at start. Never edit one that has shipped; add the next. */
export const migrations: Record<string, Migration> = {
  '001-initial': m001,
  '002-search': m002,
  '003-inbox': m003,
  '004-revisions-events': m004,
  '005-sent-parts': m005,
  '006-outbox-desk': m006,
  '007-safety': m007,
  '008-sla': m008,
  '009-teams': m009,
  '010-outbox-claims': m010,
  '011-sla-wake': m011,
  '012-csat': m012,
  '013-handoff': m013,
  '014-kb': m014,
  '015-canned': m015,
  '016-audit': m016,
  '017-identity': m017,
  '018-customer-notes': m018,
  '019-records-jobs': m019,
  '020-webhooks': m020,
  '021-automation': m021,
  '022-agent-bots': m022,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
