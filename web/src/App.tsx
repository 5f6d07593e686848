// The shell: navigation between views, connection and capture state, the theme.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { CaptureView } from './views/CaptureView';
import { TrafficView } from './views/TrafficView';
import { DevicesView } from './views/DevicesView';
import { ToolsView } from './views/ToolsView';
import { PlaceholderView } from './views/PlaceholderView';
import { LinkStatus } from './components/LinkStatus';
import { CaptureControl } from './components/CaptureControl';
import type { Session } from './store/session';

const VIEWS = [
	{ id: 'capture', label: 'Capture' },
	{ id: 'traffic', label: 'Traffic' },
	{ id: 'devices', label: 'Devices' },
	{ id: 'tools', label: 'Tools' },
	{ id: 'wifi', label: 'WiFi' },
] as const;

type Theme = 'light' | 'dark';

function viewFromHash(): string {
	const h = location.hash.replace(/^#\/?/, '');
	return VIEWS.some((v) => v.id === h) ? h : 'capture';
}

function initialTheme(): Theme {
	const saved = localStorage.getItem('gotracer.theme');
	if (saved === 'light' || saved === 'dark') return saved;
	return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function App({ session, onRetry }: { session: Session; onRetry: () => void }) {
	const st = useSyncExternalStore(session.state.subscribe, session.state.get);
	const [view, setView] = useState(viewFromHash);
	const [theme, setTheme] = useState<Theme>(initialTheme);

	useEffect(() => {
		const on = () => setView(viewFromHash());
		addEventListener('hashchange', on);
		return () => removeEventListener('hashchange', on);
	}, []);
	// render the new view in the click's own event; the hash keeps Back and reloads right
	const show = (id: string) => {
		setView(id);
		location.hash = id;
	};
	// set before children render, so a chart built now reads the new theme's colours
	document.documentElement.dataset.theme = theme;
	useEffect(() => localStorage.setItem('gotracer.theme', theme), [theme]);

	const connected = st.link.status === 'connected';
	return (
		<div className="app">
			<header className="topbar">
				<span className="brand">
					GoTracer<small>{st.version}</small>
				</span>
				<nav className="nav" aria-label="Views">
					{VIEWS.map((v) => (
						<button key={v.id} aria-current={view === v.id ? 'page' : undefined} onClick={() => show(v.id)} data-testid={`nav-${v.id}`}>
							{v.label}
						</button>
					))}
				</nav>
				<span className="spacer" />
				<CaptureControl
					capture={st.capture}
					interfaces={st.interfaces}
					error={st.captureError}
					connected={connected}
					onStart={() => session.startCapture()}
					onStop={() => session.stopCapture()}
					onInterfaces={(names) => session.setInterfaces(names)}
				/>
				<LinkStatus link={st.link} onRetry={onRetry} />
				<button onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} title="Switch between dark and light" data-testid="theme">
					{theme === 'dark' ? '☀ Light' : '☾ Dark'}
				</button>
			</header>
			{st.notice && (
				<div className="notice" role="alert">
					{st.notice}
					<button onClick={() => session.dismissNotice()} aria-label="Dismiss">
						✕
					</button>
				</div>
			)}
			<main>
				{view === 'capture' && <CaptureView session={session} />}
				{view === 'traffic' && <TrafficView session={session} theme={theme} />}
				{view === 'devices' && <DevicesView session={session} />}
				{view === 'tools' && <ToolsView session={session} />}
				{view === 'wifi' && <PlaceholderView view={view} />}
			</main>
		</div>
	);
}
