/**
 * Splits a long text into platform-sized parts, preferring paragraph, then line, then sentence,
 * then word boundaries, and never cutting a UTF-16 surrogate pair (emoji) in half.
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 1) throw new RangeError('limit must be positive');
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = lastBoundary(window, /\n\s*\n/g);
    if (cut < limit * 0.5) cut = Math.max(cut, lastBoundary(window, /\n/g));
    if (cut < limit * 0.5) cut = Math.max(cut, lastBoundary(window, /[.!?。！？…]+["')\]」』]*\s*/g));
    if (cut < limit * 0.5) cut = Math.max(cut, lastBoundary(window, /\s+/g));
    if (cut <= 0) cut = limit;
    // Never split a surrogate pair; with a limit of 1 the pair goes whole rather than never.
    if (isHighSurrogate(rest.charCodeAt(cut - 1))) cut = cut > 1 ? cut - 1 : cut + 1;
    const head = rest.slice(0, cut).trimEnd();
    if (head.length > 0) parts.push(head);
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

function lastBoundary(window: string, pattern: RegExp): number {
  let end = 0;
  for (const match of window.matchAll(pattern)) end = match.index + match[0].length;
  return end;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
