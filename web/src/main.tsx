// Entry: one session, one WebSocket to the server that served this page, the shell.
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { Session } from './store/session';
import { Connection, socketUrl } from './protocol/connection';
import './styles.css';

const session = new Session();
const conn = new Connection(socketUrl(location), {
	onMessage: (m) => session.handle(m),
	onState: (s) => session.setLink(s),
});
session.setSender((m) => conn.send(m));
conn.start();

// for the browser tests and for people poking at it from the console
(window as unknown as { gotracer: unknown }).gotracer = { session, conn };

createRoot(document.getElementById('root')!).render(<App session={session} onRetry={() => conn.retryNow()} />);
