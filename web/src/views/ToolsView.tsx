// The Tools view: tools the server runs as jobs, each streaming its rows here. The
// port scan is the first; ping and traceroute join the list the same way.
import { PortScanTool } from '../components/PortScanTool';
import type { Session } from '../store/session';

export function ToolsView({ session }: { session: Session }) {
	return (
		<div className="traffic" data-testid="tools">
			<PortScanTool session={session} />
		</div>
	);
}
