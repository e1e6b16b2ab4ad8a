import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles/base.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);

// App is imported after the window API is resolved (api/index.ts awaits it), so a missing
// bridge becomes a readable message instead of a blank window.
import('./App').then(
  ({ App }) =>
    root.render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  (error: unknown) =>
    root.render(
      <div className="state state-error" role="alert">
        <h1>AssetDesk could not start</h1>
        <p>{error instanceof Error ? error.message : String(error)}</p>
      </div>,
    ),
);
