// Hex and ASCII of the selected packet. The selected field's bytes are
// highlighted; clicking a byte selects the innermost field that covers it.
import { useMemo } from 'react';
import { hexRows } from '../lib/hexmap';

interface Props {
	bytes: Uint8Array;
	highlight: [number, number]; // [start, end)
	onByte: (offset: number) => void;
}

export function HexView({ bytes, highlight, onByte }: Props) {
	const rows = useMemo(() => hexRows(bytes), [bytes]);
	const [hs, he] = highlight;
	const cls = (off: number) => (off >= hs && off < he ? 'hl' : undefined);
	const onClick = (e: React.MouseEvent<HTMLDivElement>) => {
		const off = (e.target as HTMLElement).dataset.off;
		if (off !== undefined) onByte(Number(off));
	};
	return (
		<div className="hex" onClick={onClick} aria-label="Packet bytes">
			{rows.map((r) => (
				<div className="hexrow" key={r.offset}>
					<span className="off">{r.offsetText}</span>
					<span className="bytes">
						{r.cells.map((c, i) => (
							<span key={i} data-off={r.offset + i} className={cls(r.offset + i)}>
								{c}
							</span>
						))}
					</span>
					<span className="ascii">
						{r.ascii.map((c, i) => (
							<span key={i} data-off={r.offset + i} className={cls(r.offset + i)}>
								{c}
							</span>
						))}
					</span>
				</div>
			))}
		</div>
	);
}
