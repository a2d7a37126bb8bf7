import { createRoot } from 'react-dom/client';
import '../ui/base.css';
import { SessionProvider } from '../api/session';
import { Storefront } from './storefront';

createRoot(document.getElementById('root')!).render(
  <SessionProvider>
    <Storefront />
  </SessionProvider>,
);
