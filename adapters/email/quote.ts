/**
 * Where the quoted history of a reply starts, so the conversation shows what the customer wrote
 * now rather than our own previous answer again. Heuristic by nature: when unsure it keeps the
 * text (a quote too many is harmless; a lost sentence is not).
 */

/** The end of an attribution line ("On Tue, … Alice <a@b.c> wrote:") in the languages our customers' mail clients use. */
const ATTRIBUTION_END =
  /(?:wrote|writes|schrieb|a écrit|escribió|escreveu|scrisse|schreef|skrev|kirjoitti|napisał\(a\)|napisał|написал\(а\)|написала|написал|yazdı|写道|寫道|のメッセージ|님이 작성)\s*[:：]\s*$/i;
const WROTE = /\b(?:wrote|schrieb|a écrit|escribió|escreveu|scrisse|schreef|skrev|kirjoitti|napisał|написал|yazdı)\b|写道|寫道|のメッセージ/i;
/** Words a (possibly wrapped) attribution starts with. */
const ATTRIBUTION_START = /^\s*(?:On|Am|Le|El|Em|Il|Op|Den|W dniu|В|在|於|\d{4}[-/年.]|\d{1,2}[./]\d{1,2}[./]\d{2,4})\b/i;
/** "… wrote:" at the end, or an attribution that names the author after the verb ("Am …, schrieb Alice <…>:"). */
const isAttribution = (line: string): boolean => ATTRIBUTION_END.test(line) || (ATTRIBUTION_START.test(line) && WROTE.test(line) && /[:：]\s*$/.test(line));
const ORIGINAL_MESSAGE = /^\s*-{2,}\s*(?:Original Message|Original message|This is a copy of the message.*|Ursprüngliche Nachricht|Message d'origine|Mensaje original|Messaggio originale|Oorspronkelijk bericht|Původní zpráva|原始邮件|原始郵件|原始信件)\s*-{2,}\s*$/i;
const FORWARD_MARKER = /(?:Forwarded message|Begin forwarded message|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado|转发的邮件|轉寄的郵件|转发邮件)/i;
/** Outlook's header block of the message replied to: "From: … / Sent: … / To: … / Subject: …" (bold in HTML, `*From:*` in some text renderings). */
const HEADER_FROM = /^\s*\*?(?:From|发件人|寄件者|Von|De|Van|Från|Od|От)\s*\*?\s*[:：]\s*\*?\s*\S/i;
const HEADER_SENT = /^\s*\*?(?:Sent|Date|发送时间|日期|寄件日期|Gesendet|Datum|Envoyé|Enviado|Fecha|Verzonden|Skickat|Отправлено)\s*\*?\s*[:：]/i;
const HEADER_TO_OR_SUBJECT = /^\s*\*?(?:To|Subject|Cc|收件人|主题|主旨|收件者|An|Betreff|À|Objet|Para|Asunto|Aan|Onderwerp|Till|Ämne|Кому|Тема)\s*\*?\s*[:：]/i;
const RULE = /^\s*_{10,}\s*$/;

export interface SplitText {
  /** What the sender wrote in this message. */
  readonly fresh: string;
  /** True when a quoted history was found and left out of `fresh`. */
  readonly cut: boolean;
}

export function splitQuoted(text: string): SplitText {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const cuts = [originalMessageCut(lines), outlookHeaderCut(lines), attributionCut(lines), quotedTailCut(lines)].filter((c): c is number => c !== undefined);
  if (cuts.length === 0) return { fresh: text.trim(), cut: false };
  const fresh = lines.slice(0, Math.min(...cuts)).join('\n').trim();
  // A message that is nothing but a quote (a forward without comment, a bare "reply") keeps it all.
  if (fresh === '') return { fresh: text.trim(), cut: false };
  return { fresh, cut: true };
}

function originalMessageCut(lines: readonly string[]): number | undefined {
  const index = lines.findIndex((line) => ORIGINAL_MESSAGE.test(line));
  return index >= 0 ? index : undefined;
}

/** "From:" followed within a few lines by "Sent:"/"Date:" and "To:"/"Subject:", not inside a forward. */
function outlookHeaderCut(lines: readonly string[]): number | undefined {
  for (let i = 0; i < lines.length; i += 1) {
    if (!HEADER_FROM.test(lines[i]!)) continue;
    const block = lines.slice(i + 1, i + 7);
    if (!block.some((line) => HEADER_SENT.test(line)) || !block.some((line) => HEADER_TO_OR_SUBJECT.test(line))) continue;
    const before = lines.slice(Math.max(0, i - 3), i);
    if (before.some((line) => FORWARD_MARKER.test(line))) continue;
    // Outlook draws a rule of underscores above the block.
    let start = i;
    for (let j = i - 1; j >= 0 && j >= i - 2; j -= 1) {
      if (RULE.test(lines[j]!)) start = j;
      else if (lines[j]!.trim() !== '') break;
    }
    return start;
  }
  return undefined;
}

/**
 * An attribution line followed only by `>`-quoted lines. When answers are interleaved with the
 * quote, the attribution is not a cut: the answers are the new text (the quoted tail still is).
 */
function attributionCut(lines: readonly string[]): number | undefined {
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (line.length > 400 || !isAttribution(line) || isQuoted(line)) continue;
    let start = i;
    // Gmail wraps long attributions: "On Tue, … Alice <" / "alice@example.com> wrote:".
    if (!ATTRIBUTION_START.test(line) && i > 0 && ATTRIBUTION_START.test(lines[i - 1]!)) start = i - 1;
    const rest = lines.slice(i + 1).filter((l) => l.trim() !== '');
    if (rest.length === 0 || rest.every(isQuoted)) return start;
  }
  return undefined;
}

/** The trailing block of `>` lines (and the attribution right above it, if any). */
function quotedTailCut(lines: readonly string[]): number | undefined {
  let end = lines.length - 1;
  while (end >= 0 && lines[end]!.trim() === '') end -= 1;
  if (end < 0 || !isQuoted(lines[end]!)) return undefined;
  let start = end;
  while (start > 0 && (isQuoted(lines[start - 1]!) || lines[start - 1]!.trim() === '')) start -= 1;
  while (start < end && lines[start]!.trim() === '') start += 1;
  let above = start - 1;
  while (above >= 0 && lines[above]!.trim() === '') above -= 1;
  if (above >= 0 && isAttribution(lines[above]!)) {
    start = above;
    if (above > 0 && !ATTRIBUTION_START.test(lines[above]!) && ATTRIBUTION_START.test(lines[above - 1]!)) start = above - 1;
  }
  return start;
}

const isQuoted = (line: string): boolean => /^\s*>/.test(line);
