import { createRoot } from 'react-dom/client';
import { configureClient, rpc } from './api';
import { App, initialLocale } from './App';

// The first question to the server leaves before React's first render, not after it.
configureClient({ locale: initialLocale() });
const firstStatus = rpc('setup.status');
createRoot(document.getElementById('root')!).render(<App firstStatus={firstStatus} />);
