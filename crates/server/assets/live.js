// pitwall live timing: subscribes to /api/live (Server-Sent Events) and applies each event
// as it arrives, the way LiveState::apply does on the server (crates/server/src/live/state.rs).
// The running lap time is interpolated between `tick` events. Every value from the feed is
// written with textContent: names and messages are data, never markup.
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
    sectors: $('sectors'),
    pb: $('pb'),
    theo: $('theo'),
    sb: $('sb'),
    head: $('last-head'),
    body: $('last-body'),
  };
  const LAST_LAPS = 10;
  // Never extrapolate the timer further than this past the last tick (a pause, a stall).
  const MAX_EXTRAPOLATION_MS = 1000;

  let names = { cars: {}, tracks: {}, session_types: {} };
  let state = null;
  // Per completed lap seen live: was it a personal best, its delta to the PB before it.
  const flags = {};
  const clock = { lapId: null, ms: 0, at: 0, rate: 1 };

  // Times as pitwall_core::format writes them.
  function pad(n, width) { return String(n).padStart(width, '0'); }
  function lapTime(ms) {
    if (ms === null || ms === undefined) { return '-'; }
    return Math.floor(ms / 60000) + ':' + pad(Math.floor(ms / 1000) % 60, 2) + '.' + pad(ms % 1000, 3);
  }
  function sectorTime(ms) {
    if (ms === null || ms === undefined) { return '-'; }
    if (ms >= 60000) { return lapTime(ms); }
    return Math.floor(ms / 1000) + '.' + pad(ms % 1000, 3);
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

  function counts(lap) { return lap.valid && !lap.out_lap && !lap.in_lap && lap.time_ms > 0; }

  // The state, moved on by one event.
  function apply(ev) {
    if (ev.type === 'snapshot') {
      state = ev.state;
      root.dataset.stream = 'open';
      resetClock(state.lap);
      renderAll();
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
        break;
      case 'session_started':
        state.connected = true;
        state.session = ev.session;
        state.reference = ev.reference;
        state.lap = null;
        state.last_laps = [];
        state.session_best_ms = null;
        renderAll();
        break;
      case 'session_ended':
        state.lap = null;
        if (state.session && state.session.id === ev.session_id) {
          state.session.ended_at_ms = ev.at_ms;
        }
        renderLap();
        break;
      case 'lap_started':
        state.lap = {
          lap_id: ev.lap_id, number: ev.number, current_ms: 0, sector: 0, valid: true,
          out_lap: ev.out_lap, sectors: [], delta_ms: null, started_at_ms: ev.at_ms,
        };
        resetClock(state.lap);
        renderLap();
        break;
      case 'tick': {
        const lap = running(ev.lap_id);
        if (lap) {
          lap.current_ms = ev.current_ms;
          lap.sector = ev.sector;
          lap.valid = ev.valid;
          tickClock(lap);
          renderLap();
        }
        break;
      }
      case 'sector_completed': {
        const lap = running(ev.lap_id);
        if (lap) {
          while (lap.sectors.length <= ev.sector) { lap.sectors.push(null); }
          lap.sectors[ev.sector] = ev.time_ms;
          lap.valid = ev.valid;
          lap.delta_ms = ev.delta_ms;
          lap.sector = ev.sector + 1;
          renderLap();
        }
        break;
      }
      case 'lap_completed':
        completed(ev);
        break;
      case 'lap_abandoned':
        if (running(ev.lap_id)) {
          state.lap = null;
          renderLap();
        }
        break;
      default:
        break;
    }
  }

  function running(lapId) {
    return state.lap && state.lap.lap_id === lapId ? state.lap : null;
  }

  function completed(ev) {
    const lap = ev.lap;
    flags[lap.id] = { pb: ev.personal_best, delta: ev.delta_ms };
    if (state.lap && state.lap.lap_id === lap.id) { state.lap = null; }
    state.last_laps.unshift(lap);
    state.last_laps.length = Math.min(state.last_laps.length, LAST_LAPS);
    if (ev.session_best) { state.session_best_ms = lap.time_ms; }
    if (counts(lap)) {
      const ref = state.reference || (state.reference = {
        pb_ms: null, pb_sectors: [], best_sectors: [], theoretical_best_ms: null,
      });
      if (ev.personal_best) {
        ref.pb_ms = lap.time_ms;
        ref.pb_sectors = lap.sectors.slice();
      }
      lap.sectors.forEach(function (t, i) {
        while (ref.best_sectors.length <= i) { ref.best_sectors.push(null); }
        if (t && (ref.best_sectors[i] === null || t < ref.best_sectors[i])) { ref.best_sectors[i] = t; }
      });
      const known = ref.best_sectors.length > 0 && ref.best_sectors.every(function (t) { return t !== null; });
      ref.theoretical_best_ms = known ? ref.best_sectors.reduce(function (a, b) { return a + b; }, 0) : null;
    }
    renderLap();
    renderRefs();
    renderLastLaps(lap.id);
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
  function sectorCount() {
    const n = state && state.session ? state.session.sector_count : 3;
    return Math.max(1, n || 3);
  }

  function renderAll() {
    renderStatus();
    renderSession();
    renderLap();
    renderRefs();
    renderLastLaps(null);
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

  function sectorClass(i, t) {
    const ref = state.reference;
    if (t === null || t === undefined || !ref) { return ''; }
    const best = ref.best_sectors[i];
    const pb = ref.pb_sectors[i];
    if (best && t <= best) { return 'c-sb'; }
    if (pb && t <= pb) { return 'c-pb'; }
    return pb ? 'slower' : '';
  }

  function renderLap() {
    const lap = state.lap;
    const n = sectorCount();
    setText(el.lapNo, lap ? String(lap.number) : '-');
    if (!lap) { setText(el.running, '-:--.---'); }
    setClass(el.running, 'running', lap && !lap.valid ? 'c-inv' : '');
    setText(el.delta, delta(lap ? lap.delta_ms : null));
    setClass(el.delta, 'd', lap && lap.delta_ms ? (lap.delta_ms < 0 ? 'gain' : 'loss') : '');
    while (el.sectors.children.length > n) { el.sectors.lastChild.remove(); }
    while (el.sectors.children.length < n) {
      const li = document.createElement('li');
      const label = document.createElement('span');
      label.className = 'label';
      const t = document.createElement('span');
      t.className = 't';
      li.append(label, t);
      el.sectors.append(li);
    }
    Array.prototype.forEach.call(el.sectors.children, function (li, i) {
      const t = lap ? lap.sectors[i] : null;
      const classes = [];
      if (lap && lap.sector === i) { classes.push('current'); }
      const colour = lap ? sectorClass(i, t) : '';
      if (colour) { classes.push(colour); }
      if (li.className !== classes.join(' ')) { li.className = classes.join(' '); }
      setText(li.firstChild, 'S' + (i + 1));
      setText(li.lastChild, sectorTime(t));
    });
  }

  function renderRefs() {
    const ref = state.reference;
    setText(el.pb, lapTime(ref ? ref.pb_ms : null));
    setText(el.theo, lapTime(ref ? ref.theoretical_best_ms : null));
    setText(el.sb, lapTime(state.session_best_ms));
  }

  function cell(text, className) {
    const td = document.createElement('td');
    td.className = className;
    td.textContent = text;
    return td;
  }
  function tag(text, className) {
    const span = document.createElement('span');
    span.className = 'tag ' + className;
    span.textContent = text;
    return span;
  }

  function renderLastLaps(freshId) {
    const n = sectorCount();
    const head = [cell('Lap', 'num')];
    for (let i = 0; i < n; i++) { head.push(cell('S' + (i + 1), 'num')); }
    head.push(cell('Time', 'num'), cell('Δ PB', 'num'), cell('', ''));
    el.head.replaceChildren.apply(el.head, head.map(function (td) {
      const th = document.createElement('th');
      th.className = td.className;
      th.textContent = td.textContent;
      return th;
    }));
    const pb = state.reference ? state.reference.pb_ms : null;
    const rows = state.last_laps.map(function (lap) {
      const tr = document.createElement('tr');
      tr.dataset.lap = lap.id;
      const seen = own(flags, lap.id);
      let colour = '';
      if (!lap.valid) {
        colour = 'c-inv';
        tr.className = 'inv';
      } else if (counts(lap) && state.session_best_ms !== null && lap.time_ms <= state.session_best_ms) {
        colour = 'c-sb';
      } else if (counts(lap) && ((seen && seen.pb) || (pb !== null && lap.time_ms <= pb))) {
        colour = 'c-pb';
      }
      if (lap.id === freshId) { tr.classList.add('fresh'); }
      tr.append(cell(String(lap.number), 'num'));
      for (let i = 0; i < n; i++) { tr.append(cell(sectorTime(lap.sectors[i]), 'num')); }
      tr.append(cell(lapTime(lap.time_ms), colour ? 'num lt ' + colour : 'num lt'));
      const d = seen ? seen.delta : (pb !== null && lap.time_ms > 0 ? lap.time_ms - pb : null);
      const dCell = cell('', 'num');
      const dSpan = document.createElement('span');
      dSpan.className = d ? (d < 0 ? 'd gain' : 'd loss') : 'd';
      dSpan.textContent = delta(d);
      dCell.append(dSpan);
      tr.append(dCell);
      const tags = cell('', 'tags');
      if (!lap.valid) { tags.append(tag('INVALID', 'inv')); }
      if (lap.out_lap) { tags.append(tag('OUT', 'out')); }
      if (lap.in_lap) { tags.append(tag('IN', 'in')); }
      tr.append(tags);
      return tr;
    });
    el.body.replaceChildren.apply(el.body, rows);
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
