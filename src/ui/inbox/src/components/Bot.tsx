import { useI18n } from '../context';
import { BotIcon } from '../icons';
import { Spinner } from './common';

/** In the list: the FAQ bot holds this conversation (nobody on the team is expected to answer yet). */
export function BotChip() {
  const { t } = useI18n();
  return (
    <span className="bot-chip" data-testid="bot-chip" title={t('bot.chipTitle')}>
      <BotIcon size={11} />
      {t('bot.chip')}
    </span>
  );
}

/** Under the header: the bot answers from the knowledge base until it hands over, or an agent takes it. */
export function BotBanner({ busy, onTakeOver }: { busy: boolean; onTakeOver: () => void }) {
  const { t } = useI18n();
  return (
    <div className="bot-banner" role="note" data-testid="bot-banner">
      <BotIcon size={16} />
      <span>
        <strong>{t('bot.banner')}</strong> {t('bot.bannerHint')}
      </span>
      <button type="button" className="button" onClick={onTakeOver} disabled={busy} data-testid="take-over">
        {busy ? <Spinner size={12} /> : null}
        {t('bot.takeOver')}
      </button>
    </div>
  );
}
