import { RunPage } from './components/RunPage.js';
import { RunsList } from './components/RunsList.js';
import { useRoute } from './route.js';

export function App() {
  const route = useRoute();
  return (
    <>
      <header className="topbar">
        <a className="brand" href="#/">
          <span className="brand-mark" aria-hidden="true">◧</span> glassbox
        </a>
        <span className="tagline">runs, training curves and explanations, checkpoint by checkpoint</span>
      </header>
      <main className="page">
        {route.page === 'run' ? <RunPage key={route.id} id={route.id} /> : <RunsList />}
      </main>
    </>
  );
}
