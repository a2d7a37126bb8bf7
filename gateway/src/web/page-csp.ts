/**
 * Helmet's default policy without `upgrade-insecure-requests`: the pages are also read over plain
 * http (a laptop, a kind NodePort), where that directive would send every request to https.
 */
export function pageCsp({ inlineStyles }: { inlineStyles: boolean }): string {
  return (
    `default-src 'self'; script-src 'self'; style-src 'self'${inlineStyles ? " 'unsafe-inline'" : ''}; ` +
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; " +
    "base-uri 'self'; form-action 'self'"
  );
}
