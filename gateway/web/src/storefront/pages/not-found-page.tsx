import { Link } from 'wouter';
import { useDocumentTitle } from '../layout/use-document-title';

export function NotFoundPage() {
  useDocumentTitle('Page not found');
  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link href="/">Go to the shop’s front page</Link>
      </p>
    </>
  );
}
