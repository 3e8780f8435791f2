// Browser tests of pitwall's dashboard in real headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core; no browser is ever downloaded). scripts/ci/browser.sh starts
// `pitwall run` and `pitwall simulate --scenario tests/browser/scenario.txt` and then runs
// this file with node's test runner:
//
//   PITWALL_URL   the server, e.g. http://127.0.0.1:41234
//   PITWALL_SCREENSHOTS   where screenshots go (default target/browser-screenshots)
//
// The tests follow the simulated drive: a lap appears on the live page as it completes (and
// how long after the event it was shown), then in the session's lap table; the hostile
// track and driver names of the second session are shown as text; every page loads without
// console errors or Content Security Policy violations, on a desktop and a phone screen.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.PITWALL_URL || 'http://127.0.0.1:8080';
const SHOTS = process.env.PITWALL_SCREENSHOTS || 'target/browser-screenshots';
const CHROMIUM = process.env.PITWALL_CHROMIUM || '/usr/bin/chromium';
const HOSTILE_TRACK = '<script>alert(1)</script>';
const HOSTILE_DRIVER = 'O\'Brien & "Sons"';
// The policy the server is meant to send; added to pages that come without one, so the
// pages are always tested under it.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'";
// Events must be on screen this soon after they reach a client.
const MAX_LATENCY_MS = 50;
const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 },
};

let browser;
let feed;
const found = {};

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await waitFor('the server', async () => (await fetch(BASE + '/')).ok, 30_000);
  feed = listen();
});

after(async () => {
  feed?.stop();
  await feed?.done;
  if (browser) {
    await browser.close();
  }
});

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(what, check, timeoutMs, everyMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) {
        return value;
      }
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ''}`);
}

// A page that records console errors, page errors, CSP violations, failed requests and
// dialogs (an alert() would mean a hostile string ran as script).
async function openPage(viewport = 'desktop', shared = null) {
  const context = shared || await browser.newContext({ viewport: VIEWPORTS[viewport] });
  const page = await context.newPage();
  const log = { errors: [], csp: [], dialogs: [], requests: [], sentCsp: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') {
      log.errors.push(m.text());
    }
    if (/Content Security Policy/i.test(m.text())) {
      log.csp.push(m.text());
    }
  });
  page.on('pageerror', (e) => log.errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // An EventSource closed by leaving the page is not a failure of the page.
    if (!r.url().includes('/api/live')) {
      log.errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
    }
  });
  page.on('request', (r) => log.requests.push(r.url()));
  page.on('dialog', async (d) => {
    log.dialogs.push(d.message());
    await d.dismiss();
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  // Documents come with the server's CSP, or with the expected one if it sent none.
  await page.route((url) => !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/assets/'),
    async (route) => {
      if (route.request().resourceType() !== 'document') {
        return route.continue();
      }
      const response = await route.fetch();
      const headers = response.headers();
      log.sentCsp.push(headers['content-security-policy'] || null);
      if (!headers['content-security-policy']) {
        headers['content-security-policy'] = CSP;
      }
      return route.fulfill({ response, headers });
    });
  return { page, log, context };
}

async function check(page, log, name) {
  const csp = await page.evaluate(() => window.__csp || []);
  assert.deepEqual(log.errors, [], `${name}: console errors`);
  assert.deepEqual([...log.csp, ...csp], [], `${name}: CSP violations`);
  assert.deepEqual(log.dialogs, [], `${name}: a dialog fired`);
}

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

// Times as the dashboard writes them.
function sectorTime(ms) {
  if (ms >= 60000) {
    return `${Math.floor(ms / 60000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`;
  }
  return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}`;
}

// A subscriber of /api/live of our own, for the whole run: every event with the time it
// reached a client. Tests wait on it instead of polling the server (which rate-limits).
function listen() {
  const events = [];
  let wake = () => {};
  const controller = new AbortController();
  const done = (async () => {
    const response = await fetch(BASE + '/api/live', { signal: controller.signal });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      const at = Date.now();
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = message.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
        if (data) {
          events.push({ at, ev: JSON.parse(data) });
        }
      }
      wake();
    }
  })().catch((e) => {
    if (e.name !== 'AbortError') {
      throw e;
    }
  });
  return {
    events,
    done,
    stop: () => controller.abort(),
    // The first event (from the start of the run) that `matches`.
    async next(what, matches, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = events.find((e) => matches(e.ev));
        if (hit) {
          return hit.ev;
        }
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        }
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 1000));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
    // When each sector time and lap reached us, keyed as the page's observer keys them.
    arrivals() {
      const arrived = new Map();
      for (const { at, ev } of events) {
        if (ev.type === 'lap_completed') {
          arrived.set(`lap ${ev.lap.id}`, at);
        } else if (ev.type === 'sector_completed' && ev.time_ms) {
          arrived.set(`sector ${ev.sector} ${sectorTime(ev.time_ms)}`, at);
        }
      }
      return arrived;
    },
  };
}

test('a lap driven by the simulator appears on the live page as it completes', async () => {
  const { page, log, context } = await openPage();
  await page.goto(BASE + '/live');
  await waitFor('the live feed', () => page.evaluate(() => document.getElementById('live').dataset.stream === 'open'), 10_000);
  // When each sector time and lap row showed up on screen.
  await page.evaluate(() => {
    window.__shown = {};
    const mark = (key) => {
      if (!(key in window.__shown)) {
        window.__shown[key] = Date.now();
      }
    };
    new MutationObserver(() => {
      document.querySelectorAll('#last-body tr').forEach((tr) => mark(`lap ${tr.dataset.lap}`));
    }).observe(document.getElementById('last-body'), { childList: true });
    new MutationObserver(() => {
      document.querySelectorAll('#sectors li').forEach((li, i) => {
        const t = li.querySelector('.t').textContent;
        if (t !== '-') {
          mark(`sector ${i} ${t}`);
        }
      });
    }).observe(document.getElementById('sectors'), { subtree: true, childList: true, characterData: true });
  });

  // The running timer moves between ticks.
  const t1 = await waitFor('a running lap', async () => {
    const t = await page.textContent('#running');
    return t !== '-:--.---' && t;
  }, 30_000);
  await sleep(400);
  const t2 = await page.textContent('#running');
  assert.notEqual(t1, t2, 'the running lap time moves');

  // Wait for a flying lap to complete (the out-lap comes first).
  const lap = await waitFor('a flying lap on the live page', () => page.evaluate(() => {
    const rows = [...document.querySelectorAll('#last-body tr')];
    const flying = rows.find((tr) => !tr.querySelector('.tag.out'));
    if (!flying) {
      return null;
    }
    const cells = [...flying.querySelectorAll('td')].map((td) => td.textContent);
    const time = flying.querySelector('td.lt').textContent;
    return { id: flying.dataset.lap, number: cells[0], time };
  }), 60_000);
  assert.match(lap.time, /^1:2\d\.\d{3}$/, 'a lap time of about 1:25');
  assert.equal(await page.textContent('#session-title'), 'Brands Hatch · McLaren 720S GT3 Evo');
  await sleep(300);
  await shot(page, 'live-running-desktop');

  // Latency: from the event reaching a client to it being on screen.
  const shown = await page.evaluate(() => window.__shown);
  const arrived = feed.arrivals();
  const latencies = Object.entries(shown)
    .filter(([key]) => arrived.has(key))
    .map(([key, at]) => ({ key, ms: at - arrived.get(key) }));
  console.log(`live latencies (ms): ${latencies.map((l) => `${l.key}: ${l.ms}`).join(', ')}`);
  assert.ok(latencies.some((l) => l.key.startsWith('lap ')), 'the lap event was timed');
  assert.ok(latencies.length >= 3, 'sector and lap events were timed');
  for (const l of latencies) {
    assert.ok(l.ms <= MAX_LATENCY_MS, `${l.key} shown ${l.ms} ms after the event`);
  }

  // No polling: one event stream, and the names once.
  const api = log.requests.filter((u) => u.includes('/api/'));
  assert.deepEqual(api, [BASE + '/api/live'], 'one EventSource, no polling');
  assert.equal(log.requests.filter((u) => u.includes('names.json')).length, 1);
  await check(page, log, 'live');
  await context.close();
  found.lap = lap;
});

test('the lap then appears in the session table', async () => {
  assert.ok(found.lap, 'the live test found a lap');
  const { page, log, context } = await openPage();
  await page.goto(BASE + '/');
  const link = page.locator('table.sessions tbody tr', { hasText: 'Brands Hatch' }).first().locator('a').first();
  await link.click();
  await page.waitForURL(/\/sessions\/[0-9a-f]{16}$/);
  found.sessionUrl = page.url();
  const row = page.locator('table.laps tbody tr').filter({
    has: page.locator('td:first-child', { hasText: new RegExp(`^${found.lap.number}$`) }),
  });
  await waitFor('the lap in the table', async () => (await row.count()) === 1, 5_000);
  const time = await row.locator('td.lt').textContent();
  assert.ok(time.endsWith(found.lap.time), `lap ${found.lap.number}: ${time} vs ${found.lap.time} live`);
  await check(page, log, 'session');
  await context.close();
});

test('hostile track and driver names are shown as text, never run', async () => {
  // The second session of the drive starts after the practice's in-lap.
  const started = await feed.next('the hostile session',
    (ev) => ev.type === 'session_started' && ev.session.track === HOSTILE_TRACK, 120_000);
  assert.equal(started.session.driver, HOSTILE_DRIVER, 'the simulator kept the driver whole');
  found.hostileId = started.session.id;
  const { page, log, context } = await openPage();
  await page.goto(BASE + '/');
  const row = page.locator('table.sessions tbody tr', { hasText: HOSTILE_TRACK }).first();
  assert.ok((await row.textContent()).includes(HOSTILE_DRIVER));
  await row.locator('a').first().click();
  await page.waitForURL(/\/sessions\/[0-9a-f]{16}$/);
  found.hostileUrl = page.url();
  assert.ok((await page.textContent('h1')).includes(HOSTILE_TRACK), 'track shown literally');
  assert.ok((await page.textContent('p.meta')).includes(HOSTILE_DRIVER), 'driver shown literally');
  assert.equal(await page.locator('main script, main b').count(), 0, 'no markup from data');
  assert.ok((await page.title()).includes(HOSTILE_TRACK));

  const live = await openPage();
  await live.page.goto(BASE + '/live');
  await waitFor('the hostile session live', async () =>
    (await live.page.textContent('#session-title')).includes(HOSTILE_TRACK), 10_000);
  assert.ok((await live.page.textContent('#session-meta')).includes(HOSTILE_DRIVER));
  await sleep(500);
  await check(live.page, live.log, 'live (hostile)');
  await check(page, log, 'hostile session');
  await live.context.close();
  await context.close();
});

test('every page loads without console errors or CSP violations, on desktop and phone', async () => {
  assert.ok(found.sessionUrl && found.hostileUrl, 'earlier tests found the sessions');
  // Let the drive finish, so the pages show everything it stored.
  await feed.next('the last lap of the drive',
    (ev) => ev.type === 'lap_completed' && ev.lap.time_ms === 106_500, 90_000);
  await feed.next('the end of the drive',
    (ev) => ev.type === 'session_ended' && ev.session_id === found.hostileId, 30_000);
  const pages = {
    sessions: '/',
    session: new URL(found.sessionUrl).pathname,
    'session-hostile': new URL(found.hostileUrl).pathname,
    bests: '/bests',
    live: '/live',
  };
  for (const viewport of Object.keys(VIEWPORTS)) {
    const context = await browser.newContext({ viewport: VIEWPORTS[viewport] });
    for (const [name, path] of Object.entries(pages)) {
      const { page, log } = await openPage(viewport, context);
      const response = await page.goto(BASE + path);
      assert.equal(response.status(), 200, `${name}: status`);
      await page.waitForLoadState('load');
      await sleep(name === 'live' ? 700 : 150);
      await shot(page, `${name}-${viewport}`);
      await check(page, log, `${name} (${viewport})`);
      if (!log.sentCsp.some((c) => c) && !found.toldCsp) {
        found.toldCsp = true;
        console.log(`the server sent no CSP header; pages tested under ${CSP}`);
      }
      if (viewport === 'phone') {
        // Nothing wider than the screen but the scrolling tables and charts.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `${name}: the page scrolls sideways by ${overflow}px`);
      }
      await page.close();
    }
    await context.close();
  }
});
