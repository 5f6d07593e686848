// Vite build of the UI into dist/, served by `gotracer serve` (GT_WEB_ROOT).
// GT_DEV_SERVER=ws://127.0.0.1:8080 proxies the WebSocket and downloads in `npm run dev`.
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const backend = process.env.GT_DEV_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
	plugins: [react()],
	base: './',
	build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
	server: {
		proxy: {
			'/ws': { target: backend, ws: true },
			'/api': { target: backend },
		},
	},
	test: { include: ['src/**/*.test.ts'], environment: 'node', css: true },
});
