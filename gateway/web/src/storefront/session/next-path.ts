/** Only a path of this site may be a `next`: never `//elsewhere` or `https://elsewhere`. */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

/** The login page that comes back to `path` afterwards. */
export function loginPathFor(path: string): string {
  return path === '/' ? '/login' : `/login?next=${encodeURIComponent(path)}`;
}

/** Where the browser is now, path and query, for a `next`. */
export function currentPath(): string {
  return window.location.pathname + window.location.search;
}
