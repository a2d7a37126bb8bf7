import { useEffect } from 'react';

/** "Cart · shop": screen readers announce the title after a client-side navigation. */
export function useDocumentTitle(title: string | undefined) {
  useEffect(() => {
    document.title = title ? `${title} · shop` : 'shop';
  }, [title]);
}
