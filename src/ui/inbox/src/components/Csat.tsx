import { useI18n } from '../context';
import { csatHow, csatLabel, csatTone, stars, type ConversationCsat } from '../csat';
import { QuoteIcon, StarIcon } from '../icons';

/** The list's chip: "★ 4", red for 1–2, grey for 3, green for 4–5; named "Rated 4 of 5". */
export function CsatChip({ csat }: { csat: ConversationCsat }) {
  const { t } = useI18n();
  const tone = csatTone(csat.rating);
  const label = csatLabel(csat, t);
  return (
    <span className={`csat-chip csat-${tone}`} data-testid="csat-chip" data-rating={csat.rating} data-tone={tone} role="img" aria-label={label} title={label}>
      <StarIcon size={11} />
      <span aria-hidden="true">{csat.rating}</span>
    </span>
  );
}

/**
 * The conversation header's rating: the stars, how and when the customer gave it, and their
 * comment — customer text, so React renders it as text (never as markup).
 */
export function CsatSummary({ csat }: { csat: ConversationCsat }) {
  const { t, lang } = useI18n();
  const tone = csatTone(csat.rating);
  const how = csatHow(csat, t, lang);
  return (
    <div className={`csat-summary csat-${tone}`} role="group" aria-label={t('csat.title')} data-testid="csat-summary" data-rating={csat.rating} data-via={csat.via ?? ''}>
      <span className="csat-title">{t('csat.title')}</span>
      <span className="csat-stars" role="img" aria-label={csatLabel(csat, t)} title={csatLabel(csat, t)}>
        <span aria-hidden="true">{stars(csat.rating)}</span>
      </span>
      <span className="csat-score" aria-hidden="true">
        {csat.rating}/5
      </span>
      <time className="csat-how" dateTime={csat.ratedAt} data-testid="csat-how">
        {how}
      </time>
      {csat.comment ? (
        <blockquote className="csat-comment" title={t('csat.comment')}>
          <QuoteIcon size={13} />
          <span className="visually-hidden">{`${t('csat.comment')}: `}</span>
          <span data-testid="csat-comment">{csat.comment}</span>
        </blockquote>
      ) : null}
    </div>
  );
}
