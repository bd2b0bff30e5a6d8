/**
 * Sign-in: the admin token is entered once per tab, checked against an admin route, and kept in
 * sessionStorage only when the server accepts it.
 */
import { useState } from 'preact/hooks';
import { ApiError, getJson, session } from '../../api/http';
import type { PluginView } from '../../api/types';

/** Checks a token on an admin route that needs neither the model nor the database. */
async function verify(token: string): Promise<void> {
  session.signIn(token);
  try {
    await getJson<PluginView[]>('/api/admin/plugins');
  } catch (error) {
    session.signOut();
    throw error;
  }
}

export function refusalMessage(error: ApiError): string {
  if (error.status === 401 || error.status === 403) {
    return 'That token was not accepted. Use the admin token: the server prints it once at start-up, '
      + 'or it is the value of switchboard.security.admin-token.';
  }
  return `Could not check the token: ${error.message}`;
}

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      await verify(token.trim());
      onSignedIn();
    } catch (error) {
      setMessage(error instanceof ApiError ? refusalMessage(error) : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <h1>Switchboard</h1>
      <form onSubmit={(event) => void submit(event)}>
        <label for="admin-token">Admin token</label>
        <input id="admin-token" name="admin-token" type="password" autocomplete="off" required
          value={token} onInput={(event) => { setToken(event.currentTarget.value); }} />
        <button type="submit" disabled={busy || token.trim() === ''}>Sign in</button>
        <p class="hint">Kept in this browser tab only (sessionStorage); it is sent as a bearer token, never in a URL or cookie.</p>
        {message !== null && <p class="status error" role="alert">{message}</p>}
      </form>
    </main>
  );
}
