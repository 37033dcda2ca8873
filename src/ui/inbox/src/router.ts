import { useEffect, useState } from 'react';

export type Route =
  | { page: 'login' }
  | { page: 'inbox'; conversationId: string | null }
  | { page: 'agents' }
  | { page: 'teams' }
  | { page: 'channels' }
  | { page: 'canned' }
  | { page: 'desk' }
  | { page: 'reports' }
  /** The audit log (issue 17), admins. */
  | { page: 'audit' }
  /** Outbound webhooks (issue 18), admins. */
  | { page: 'webhooks' }
  /** The knowledge base: the list, one article (`articleId`), or `new` for the form of a new one. */
  | { page: 'kb'; articleId: string | null }
  /** Customers (issue 17): the search, or one customer's page (`contactId`). */
  | { page: 'customers'; contactId: string | null };

/** `#/conversations/<id>`, `#/agents`, `#/teams`, `#/channels`, `#/canned`, `#/desk`, `#/login`; anything else is the inbox. */
export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '');
  const [head, id] = path.split('/');
  switch (head) {
    case 'login':
      return { page: 'login' };
    case 'agents':
      return { page: 'agents' };
    case 'teams':
      return { page: 'teams' };
    case 'channels':
      return { page: 'channels' };
    case 'canned':
      return { page: 'canned' };
    case 'desk':
      return { page: 'desk' };
    case 'reports':
      return { page: 'reports' };
    case 'audit':
      return { page: 'audit' };
    case 'webhooks':
      return { page: 'webhooks' };
    case 'kb':
      return { page: 'kb', articleId: id ? decodeURIComponent(id) : null };
    case 'customers':
      return { page: 'customers', contactId: id ? decodeURIComponent(id) : null };
    case 'conversations':
      return { page: 'inbox', conversationId: id ? decodeURIComponent(id) : null };
    default:
      return { page: 'inbox', conversationId: null };
  }
}

export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'login':
      return '#/login';
    case 'agents':
      return '#/agents';
    case 'teams':
      return '#/teams';
    case 'channels':
      return '#/channels';
    case 'canned':
      return '#/canned';
    case 'desk':
      return '#/desk';
    case 'reports':
      return '#/reports';
    case 'audit':
      return '#/audit';
    case 'webhooks':
      return '#/webhooks';
    case 'kb':
      return route.articleId ? `#/kb/${encodeURIComponent(route.articleId)}` : '#/kb';
    case 'customers':
      return route.contactId ? `#/customers/${encodeURIComponent(route.contactId)}` : '#/customers';
    case 'inbox':
      return route.conversationId ? `#/conversations/${encodeURIComponent(route.conversationId)}` : '#/conversations';
  }
}

export function navigate(route: Route, replace = false): void {
  const href = hrefOf(route);
  if (location.hash === href) return;
  if (replace) {
    history.replaceState(null, '', href);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = href;
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
