/** The shell: sign-in gate, navigation between the views, sign-out. */
import { useState } from 'preact/hooks';
import { session } from './api/http';
import { servedModel } from './api/models';
import { ExpertsView } from './features/experts/ExpertsView';
import { FleetView } from './features/fleet/FleetView';
import { HistoryView } from './features/history/HistoryView';
import { OverviewView } from './features/overview/OverviewView';
import { PlaygroundView } from './features/playground/PlaygroundView';
import { SignIn } from './features/signin/SignIn';
import { Failure, Loading } from './ui/StatusMessage';
import { useAsync } from './ui/useAsync';
import { useHashRoute, type View } from './ui/useHashRoute';

const TITLES: Record<View, string> = {
  overview: 'Overview',
  experts: 'Experts & plugins',
  playground: 'Routing playground',
  history: 'History',
  fleet: 'Fleet',
};

function CurrentView({ view, model }: { view: View; model: string }) {
  switch (view) {
    case 'overview': return <OverviewView model={model} />;
    case 'experts': return <ExpertsView model={model} />;
    case 'playground': return <PlaygroundView model={model} />;
    case 'history': return <HistoryView model={model} />;
    case 'fleet': return <FleetView model={model} />;
  }
}

function Dashboard({ onSignOut }: { onSignOut: () => void }) {
  const view = useHashRoute();
  const [model, reload] = useAsync(servedModel, 'model');
  return (
    <>
      <header>
        <span class="brand">Switchboard</span>
        <nav aria-label="Views">
          {(Object.keys(TITLES) as View[]).map((name) => (
            <a key={name} href={`#/${name}`} aria-current={name === view ? 'page' : undefined}>{TITLES[name]}</a>
          ))}
        </nav>
        {model.status === 'ready' && model.data !== null && <span class="model">Model: {model.data}</span>}
        <button type="button" onClick={onSignOut}>Sign out</button>
      </header>
      <main>
        <h1>{TITLES[view]}</h1>
        {model.status === 'loading' && <Loading what="the served model" />}
        {model.status === 'error' && <Failure error={model.error} onRetry={reload} />}
        {model.status === 'ready' && model.data === null && (
          <div class="status" role="status">
            <p>No model is loaded yet (it may still be loading).</p>
            <button type="button" onClick={reload}>Check again</button>
          </div>
        )}
        {model.status === 'ready' && model.data !== null && <CurrentView view={view} model={model.data} />}
      </main>
    </>
  );
}

export function App() {
  const [signedIn, setSignedIn] = useState(() => session.token() !== null);
  if (!signedIn) {
    return <SignIn onSignedIn={() => { setSignedIn(true); }} />;
  }
  return <Dashboard onSignOut={() => { session.signOut(); setSignedIn(false); }} />;
}
