import { createRoot } from 'react-dom/client';
import '../ui/base.css';
import { SessionProvider } from '../api/session';
import { Console } from './console';

createRoot(document.getElementById('root')!).render(
  <SessionProvider>
    <Console />
  </SessionProvider>,
);
