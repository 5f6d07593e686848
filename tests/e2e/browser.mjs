// Shared by the browser suites' scripts (ui.mjs, devices.mjs): Chromium as
// docs/TESTING.md asks, and one result line a check for the shell suite
// ("RESULT\tok|fail\tname\twhy", read by e2e_browser in lib.sh).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require(process.env.NODE_PATH ? join(process.env.NODE_PATH, 'playwright-core') : 'playwright-core');

/** The variable k, or a clear error naming the suite that sets it. */
export function env(k, suite) {
	if (!process.env[k]) throw new Error(`${k} is not set (run ${suite})`);
	return process.env[k];
}

export const results = { failures: 0 };

export function result(ok, name, why = '') {
	if (!ok) results.failures++;
	console.log(['RESULT', ok ? 'ok' : 'fail', name, String(why).replace(/\s+/g, ' ').slice(0, 400)].join('\t'));
}

/** Run a check; it returns a reason to fail or nothing. An exception is a failure
 * with its message, never a hang or a crash. */
export async function check(name, fn) {
	try {
		const why = await fn();
		result(!why, name, why || '');
	} catch (e) {
		result(false, name, e?.message ?? e);
	}
}

/** How long a check waits for something that depends on traffic, the server or
 * React rendering: long enough for a slow, loaded CI machine. A wait only costs this
 * when the feature is broken, since every wait is for the expected state. */
export const WAIT_MS = 30000;

/** Switch the page to a view through its nav button, and wait until the view shows:
 * the nav changes the location hash and the page follows on hashchange, a task later
 * than the click, so reading the view straight after the click can see the old one. */
export async function show(page, view) {
	await page.click(`[data-testid=nav-${view}]`);
	await page.waitForSelector(`[data-testid=nav-${view}][aria-current=page]`, { timeout: WAIT_MS });
}

/** Wait until fn(arg), run in the page at every animation frame, is true: true if it
 * came to be, false if it did not within timeout (the check then says what it saw). */
export async function waitTrue(page, fn, arg, timeout = WAIT_MS) {
	try {
		await page.waitForFunction(fn, arg, { timeout });
		return true;
	} catch (e) {
		if (e?.name === 'TimeoutError') return false;
		throw e;
	}
}

/** Poll a check's own test, fn() returning a reason to fail or nothing, until it
 * passes or timeout has gone; the last reason, or '' once it passed. For state that
 * comes in its own time (a stats tick, a store's next frame): wait for exactly what
 * the check asserts, never for a fixed time. */
export async function until(fn, timeout = WAIT_MS, intervalMs = 200) {
	const end = Date.now() + timeout;
	for (;;) {
		const why = (await fn()) || '';
		if (!why || Date.now() >= end) return why;
		await new Promise((res) => setTimeout(res, intervalMs));
	}
}

/** Headless Debian Chromium in a fresh profile: the browser context, its page, and
 * close(), which also removes the profile. */
export async function launch({ viewport = { width: 1280, height: 800 }, ...options } = {}) {
	const profile = mkdtempSync(join(tmpdir(), 'gt-e2e-chrome-'));
	const browser = await chromium.launchPersistentContext(profile, {
		executablePath: '/usr/bin/chromium',
		headless: true,
		viewport,
		args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
		...options,
	});
	const page = browser.pages()[0] ?? (await browser.newPage());
	page.setDefaultTimeout(WAIT_MS);
	// GT_E2E_CPU_SLOWDOWN=N runs the page's scripts N times slower (Chromium's CPU
	// throttling): a way to try the suites as a slow CI machine would run them
	const slowdown = Number(process.env.GT_E2E_CPU_SLOWDOWN || 0);
	if (slowdown > 1) await (await browser.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: slowdown });
	const close = async () => {
		await browser.close().catch(() => {});
		rmSync(profile, { recursive: true, force: true });
	};
	return { browser, page, close };
}
