// pitwall live timing: subscribes to /api/live (Server-Sent Events). The running lap's number,
// time (interpolated between `tick` events) and delta come from the events; everything with a
// timing colour, a mark or a count (the running lap's sectors and marks, the references, the
// last laps) is fetched as HTML from the page's data-board address (GET /live/board) after
// each sector and lap: the server renders it with the same functions as the session page, so
// this script computes no colour of its own. Every value from the feed is written with
// textContent: names and messages are data, never markup.
'use strict';

(function () {
  const root = document.getElementById('live');
  if (!root) {
    return;
  }
  const $ = function (id) { return document.getElementById(id); };
  const el = {
    status: $('status'),
    title: $('session-title'),
    meta: $('session-meta'),
    lapNo: $('lap-number'),
    running: $('running'),
    delta: $('delta'),
  };
  // The parts of the board swapped in from /live/board, by id: their children are replaced,
  // the elements themselves stay.
  const BOARD_PARTS = ['running-marks', 'sectors', 'cards', 'last-head', 'last-body'];
  // Never extrapolate the timer further than this past the last tick (a pause, a stall).
  const MAX_EXTRAPOLATION_MS = 1000;

  let names = { cars: {}, tracks: {}, session_types: {} };
  let state = null;
  // Board fetches: one at a time, and one more if something happened meanwhile.
  const board = { busy: false, again: false };
  const clock = { lapId: null, ms: 0, at: 0, rate: 1 };

  // Times as pitwall_core::format writes them.
  function pad(n, width) { return String(n).padStart(width, '0'); }
  function lapTime(ms) {
    if (ms === null || ms === undefined) { return '-'; }
    return Math.floor(ms / 60000) + ':' + pad(Math.floor(ms / 1000) % 60, 2) + '.' + pad(ms % 1000, 3);
  }
  function delta(ms) {
    if (ms === null || ms === undefined) { return '-'; }
    const abs = Math.abs(ms);
    return (ms < 0 ? '-' : '+') + Math.floor(abs / 1000) + '.' + pad(abs % 1000, 3);
  }

  // Readable names as pitwall_core::names gives them; names.json has the tables.
  const CAPITALS = ['gt', 'gt2', 'gt3', 'gt4', 'gtc', 'tcx', 'amg', 'bmw', 'amr', 'ktm', 'lms',
    'rs', 'cs', 'st', 'mc', 'nsx', 'gp', 'us', 'uk'];
  function prettify(id) {
    if (!id) { return 'Unknown'; }
    if (!/^[A-Za-z0-9_-]+$/.test(id)) { return id; }
    const words = id.split(/[_-]/).filter(function (w) { return w; }).map(function (w) {
      const lower = w.toLowerCase();
      return CAPITALS.includes(lower) ? lower.toUpperCase() : w.charAt(0).toUpperCase() + w.slice(1);
    });
    return words.length ? words.join(' ') : id;
  }
  function own(table, key) {
    return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : null;
  }
  function trackName(id) {
    const known = own(names.tracks, id);
    if (known) { return known; }
    const m = /^(.*)_(20\d\d)$/.exec(id || '');
    if (m && own(names.tracks, m[1])) { return own(names.tracks, m[1]) + ' ' + m[2]; }
    return prettify(id);
  }
  function carName(id) { return own(names.cars, id) || prettify(id); }
  function sessionTypeName(label) { return own(names.session_types, label) || label; }

  // The state, moved on by one event: only what this script draws itself (status, session,
  // the running lap's number, time and delta); the board is fetched.
  function apply(ev) {
    if (ev.type === 'snapshot') {
      state = ev.state;
      root.dataset.stream = 'open';
      resetClock(state.lap);
      renderStatus();
      renderSession();
      renderLap();
      refreshBoard();
      return;
    }
    if (!state) { return; }
    switch (ev.type) {
      case 'status':
        state.connected = ev.connected;
        state.message = ev.message;
        if (!ev.connected) { state.lap = null; }
        renderStatus();
        renderLap();
        refreshBoard();
        break;
      case 'session_started':
        state.connected = true;
        state.session = ev.session;
        state.lap = null;
        renderStatus();
        renderSession();
        renderLap();
        refreshBoard();
        break;
      case 'session_ended':
        state.lap = null;
        renderLap();
        refreshBoard();
        break;
      case 'lap_started':
        state.lap = {
          lap_id: ev.lap_id, number: ev.number, current_ms: 0, valid: true, delta_ms: null,
        };
        resetClock(state.lap);
        renderLap();
        refreshBoard();
        break;
      case 'tick': {
        const lap = running(ev.lap_id);
        if (lap) {
          const lost = lap.valid && !ev.valid;
          lap.current_ms = ev.current_ms;
          lap.valid = ev.valid;
          tickClock(lap);
          renderLap();
          if (lost) { refreshBoard(); }
        }
        break;
      }
      case 'sector_completed': {
        const lap = running(ev.lap_id);
        if (lap) {
          lap.valid = ev.valid;
          lap.delta_ms = ev.delta_ms;
          renderLap();
        }
        refreshBoard();
        break;
      }
      case 'lap_completed':
        if (running(ev.lap.id)) { state.lap = null; }
        renderLap();
        refreshBoard();
        break;
      case 'lap_abandoned':
        if (running(ev.lap_id)) { state.lap = null; }
        renderLap();
        refreshBoard();
        break;
      default:
        break;
    }
  }

  function running(lapId) {
    return state.lap && state.lap.lap_id === lapId ? state.lap : null;
  }

  // The board as the server renders it now; its parts replace ours child by child.
  function refreshBoard() {
    if (board.busy) {
      board.again = true;
      return;
    }
    board.busy = true;
    fetch(root.dataset.board, { headers: { Accept: 'text/html' } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html !== null) { swapBoard(html); }
      })
      .catch(function () { /* the next event fetches again */ })
      .finally(function () {
        board.busy = false;
        if (board.again) {
          board.again = false;
          refreshBoard();
        }
      });
  }
  function swapBoard(html) {
    const fresh = new DOMParser().parseFromString(html, 'text/html');
    BOARD_PARTS.forEach(function (id) {
      const mine = $(id);
      const theirs = fresh.getElementById(id);
      if (!mine || !theirs) { return; }
      if (mine.className !== theirs.className) { mine.className = theirs.className; }
      mine.replaceChildren.apply(mine, Array.from(theirs.childNodes));
    });
  }

  // The running timer: the last tick, moved on at the rate the ticks have been coming.
  function resetClock(lap) {
    clock.lapId = lap ? lap.lap_id : null;
    clock.ms = lap ? lap.current_ms : 0;
    clock.at = performance.now();
    clock.rate = clock.rate || 1;
  }
  function tickClock(lap) {
    const now = performance.now();
    if (clock.lapId === lap.lap_id) {
      const dt = now - clock.at;
      const dms = lap.current_ms - clock.ms;
      if (dt > 20 && dms > 0) {
        const rate = Math.min(100, Math.max(0.05, dms / dt));
        clock.rate = 0.5 * clock.rate + 0.5 * rate;
      }
    }
    clock.lapId = lap.lap_id;
    clock.ms = lap.current_ms;
    clock.at = now;
  }
  function frame(now) {
    const lap = state && state.lap;
    if (lap && clock.lapId === lap.lap_id) {
      const ahead = Math.min(Math.max(now - clock.at, 0), MAX_EXTRAPOLATION_MS) * clock.rate;
      setText(el.running, lapTime(Math.floor(clock.ms + ahead)));
    }
    window.requestAnimationFrame(frame);
  }

  function setText(node, text) {
    if (node && node.textContent !== text) { node.textContent = text; }
  }
  function setClass(node, base, extra) {
    const cls = extra ? base + ' ' + extra : base;
    if (node.className !== cls) { node.className = cls; }
  }

  function renderStatus() {
    setText(el.status, state.message || (state.connected ? 'Connected' : 'Waiting for the collector…'));
    setClass(el.status, 'status', state.connected ? 'on' : 'off');
  }

  function renderSession() {
    if (!state) { return; }
    const s = state.session;
    if (!s) {
      setText(el.title, 'No session yet');
      setText(el.meta, 'Start driving: the session appears here.');
      return;
    }
    setText(el.title, trackName(s.track) + ' · ' + carName(s.car));
    setText(el.meta, sessionTypeName(s.session_type) + ' · ' + s.driver);
  }

  function renderLap() {
    const lap = state.lap;
    setText(el.lapNo, lap ? String(lap.number) : '-');
    if (!lap) { setText(el.running, '-:--.---'); }
    setClass(el.running, 'running', lap && !lap.valid ? 'c-inv' : '');
    setText(el.delta, delta(lap ? lap.delta_ms : null));
    setClass(el.delta, 'd', lap && lap.delta_ms ? (lap.delta_ms < 0 ? 'gain' : 'loss') : '');
  }

  const source = new EventSource('/api/live');
  source.onmessage = function (message) {
    let ev;
    try {
      ev = JSON.parse(message.data);
    } catch (e) {
      return;
    }
    apply(ev);
  };
  source.onerror = function () {
    if (state) {
      state.connected = false;
      state.message = 'Connection to pitwall lost: reconnecting…';
      renderStatus();
    }
  };
  fetch(root.dataset.names)
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (n) {
      if (n) {
        names = n;
        renderSession();
      }
    })
    .catch(function () { /* keep the prettified ids */ });
  window.requestAnimationFrame(frame);
})();
