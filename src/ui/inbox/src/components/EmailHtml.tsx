import { useEffect, useMemo, useState } from 'react';
import type { Translate } from '../i18n';
import type { Message } from '../types';

/**
 * The original HTML of a mail, on request. The server already sanitised it (no scripts, handlers,
 * forms, frames, loading CSS); here it is shown in an iframe that is sandboxed (no scripts, not
 * same-origin: it cannot reach the inbox or its session) under its own Content-Security-Policy:
 * images only from `data:` URLs — inline images are fetched with the agent's session and passed in
 * as such — and remote (https) images only after the agent asks, because loading them tells the
 * sender the mail was read, and from where.
 */
export function EmailHtml({ message, t }: { message: Message; t: Translate }) {
  const [open, setOpen] = useState(false);
  const [remote, setRemote] = useState(false);
  const html = message.html ?? '';
  const hasRemote = useMemo(() => /\sdata-remote-src="https:/i.test(html), [html]);
  const inline = useInlineImages(open ? html : '');
  // Built once the inline images are in (undefined until then): the frame is rendered once per
  // document rather than re-navigated while the images arrive.
  const srcdoc = useMemo(() => (open && inline ? frameDocument(html, inline, remote) : undefined), [open, html, inline, remote]);

  return (
    <div className="email-html" data-testid="email-html">
      <div className="email-html-bar">
        <button type="button" className="button small ghost" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="email-html-toggle">
          {open ? t('view.emailHide') : t('view.emailShow')}
        </button>
        {open && hasRemote && !remote ? (
          <>
            <span className="email-html-note">{t('view.emailRemoteBlocked')}</span>
            <button type="button" className="button small ghost" onClick={() => setRemote(true)} data-testid="email-remote-images">
              {t('view.emailRemoteShow')}
            </button>
          </>
        ) : null}
      </div>
      {open && srcdoc === undefined ? <div className="email-html-loading">{t('view.emailLoading')}</div> : null}
      {open && srcdoc !== undefined ? (
        <iframe
          className="email-html-frame"
          title={t('view.emailFrameTitle')}
          // No allow-scripts, no allow-same-origin: the mail runs nothing and reaches nothing of ours.
          // Popups only so its links can open in a new tab, outside the sandbox.
          sandbox="allow-popups allow-popups-to-escape-sandbox"
          referrerPolicy="no-referrer"
          srcDoc={srcdoc}
          data-testid="email-html-frame"
        />
      ) : null}
    </div>
  );
}

/**
 * Stored inline images the HTML points at (`data-attachment-id`), fetched with the session, as
 * data: URLs; undefined while they are being fetched (an image that fails to load is left out).
 */
function useInlineImages(html: string): ReadonlyMap<string, string> | undefined {
  const [images, setImages] = useState<{ html: string; map: ReadonlyMap<string, string> } | undefined>(undefined);
  useEffect(() => {
    const ids = [...new Set([...html.matchAll(/\sdata-attachment-id="([A-Za-z0-9_-]+)"/g)].map((m) => m[1]!))];
    if (ids.length === 0) {
      setImages({ html, map: new Map() });
      return;
    }
    const controller = new AbortController();
    void Promise.all(
      ids.map(async (id) => {
        try {
          const response = await fetch(`/api/attachments/${encodeURIComponent(id)}`, { credentials: 'same-origin', signal: controller.signal });
          const blob = await response.blob();
          if (!response.ok || !blob.type.startsWith('image/')) return undefined;
          return [id, await dataUrl(blob)] as const;
        } catch {
          return undefined;
        }
      }),
    ).then((entries) => {
      if (!controller.signal.aborted) setImages({ html, map: new Map(entries.filter((e): e is readonly [string, string] => e !== undefined)) });
    });
    return () => controller.abort();
  }, [html]);
  return images?.html === html ? images.map : undefined;
}

function dataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/**
 * The iframe's document. The HTML is rebuilt through an inert DOMParser document (it loads and
 * runs nothing): images get a `src` only from our data: URLs, or from their https address once
 * the agent allowed remote images; every other `src` is dropped.
 */
function frameDocument(html: string, inline: ReadonlyMap<string, string>, remote: boolean): string {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  for (const image of Array.from(doc.querySelectorAll('img'))) {
    image.removeAttribute('src');
    image.removeAttribute('srcset');
    const stored = image.getAttribute('data-attachment-id');
    const address = image.getAttribute('data-remote-src');
    if (stored && inline.has(stored)) image.setAttribute('src', inline.get(stored)!);
    else if (remote && address && /^https:\/\//i.test(address)) image.setAttribute('src', address);
  }
  const imageSources = remote ? 'data: https:' : 'data:';
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${imageSources}; style-src 'unsafe-inline'; font-src data:">
<meta name="referrer" content="no-referrer">
<base target="_blank">
<style>body{margin:8px;font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;overflow-wrap:anywhere}img{max-width:100%;height:auto}blockquote{margin:0 0 0 .8ex;padding-left:1ex;border-left:2px solid #d0d7de;color:#57606a}</style>
</head><body>${doc.body.innerHTML}</body></html>`;
}
