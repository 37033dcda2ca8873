import { useI18n } from '../context';
import type { MessageKey } from '../i18n';
import { Dialog } from './common';

const general: [string[], MessageKey][] = [
  [['j'], 'help.next'],
  [['k'], 'help.prev'],
  [['r'], 'help.reply'],
  [['n'], 'help.note'],
  [['e'], 'help.resolve'],
  [['/'], 'help.search'],
  [['?'], 'help.help'],
  [['Esc'], 'help.esc'],
];

const composer: [string[], MessageKey][] = [
  [['Enter'], 'help.send'],
  [['Shift', 'Enter'], 'help.newline'],
  [['Esc'], 'help.esc'],
];

export function HelpDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const table = (rows: [string[], MessageKey][]) => (
    <dl className="shortcuts">
      {rows.map(([keys, label]) => (
        <div className="shortcut" key={`${keys.join('+')}-${label}`}>
          <dt>
            {keys.map((key, index) => (
              <span key={key}>
                {index > 0 ? <span className="plus">+</span> : null}
                <kbd>{key}</kbd>
              </span>
            ))}
          </dt>
          <dd>{t(label)}</dd>
        </div>
      ))}
    </dl>
  );
  return (
    <Dialog title={t('help.title')} onClose={onClose} testId="shortcuts-help">
      <div className="shortcut-columns">
        <section>
          <h3>{t('help.list')}</h3>
          {table(general)}
        </section>
        <section>
          <h3>{t('help.composer')}</h3>
          {table(composer)}
        </section>
      </div>
      <p className="muted small">{t('help.note2')}</p>
    </Dialog>
  );
}
