/**
 * The view named in the URL's hash (#/overview). Hash routes need no server-side fallback: the app serves
 * only `/`, `/index.html` and `/assets/**` to anonymous callers, and reloading a view must still work.
 */
import { useEffect, useState } from 'preact/hooks';

export const VIEWS = ['overview', 'experts', 'playground', 'history', 'fleet'] as const;
export type View = (typeof VIEWS)[number];

export function viewOf(hash: string): View {
  const name = hash.replace(/^#\/?/, '');
  return (VIEWS as readonly string[]).includes(name) ? (name as View) : 'overview';
}

export function useHashRoute(): View {
  const [view, setView] = useState<View>(() => viewOf(location.hash));
  useEffect(() => {
    const changed = (): void => { setView(viewOf(location.hash)); };
    window.addEventListener('hashchange', changed);
    // Effects run after the first paint: a hash set between the first render and this subscription fired its
    // event before anyone listened, so the route is read once more now.
    changed();
    return () => { window.removeEventListener('hashchange', changed); };
  }, []);
  return view;
}
