// The panel is rendered on the server; this script only keeps it current: the shown workspaces' states and
// the totals follow Control's change stream, "select all" ticks a page's rows, and logs can be followed.
(() => {
  const live = document.querySelector('[data-live]');
  if (live) {
    // Only the rows on this page, and the totals: the stream never sends the whole table.
    const users = [...new Set([...document.querySelectorAll('[data-workspace]')].map(row => row.dataset.workspace))];

    const countCards = totals => {
      document.querySelectorAll('[data-count]').forEach(card => {
        card.textContent = totals[card.dataset.count] || 0;
      });
    };

    const show = change => {
      document.querySelectorAll(`[data-workspace="${CSS.escape(change.userName)}"]`).forEach(row => {
        const state = row.querySelector('[data-state]');
        if (state) {
          state.textContent = change.state;
          state.className = `state state-${change.state}`;
          state.title = change.lastError || '';
        }
        const desired = row.querySelector('[data-desired]');
        if (desired) desired.textContent = change.desiredState;
        const error = row.querySelector('[data-error]');
        if (error) error.textContent = change.lastError || '';
      });
    };

    const source = new EventSource(`/api/workspaces/changes?users=${encodeURIComponent(users.join(','))}`);
    source.addEventListener('workspace', event => show(JSON.parse(event.data)));
    source.addEventListener('totals', event => countCards(JSON.parse(event.data)));
    source.addEventListener('ready', () => {
      live.textContent = 'live';
      live.classList.add('on');
    });
    source.onerror = () => {
      // EventSource reconnects by itself and gets a fresh snapshot of the rows and totals.
      live.textContent = 'reconnecting…';
      live.classList.remove('on');
    };
  }

  document.querySelector('[data-select-all]')?.addEventListener('change', event => {
    document.querySelectorAll('input[name="users"][form="bulk"]').forEach(box => { box.checked = event.target.checked; });
  });

  const follow = document.querySelector('[data-follow-logs]');
  const logs = document.getElementById('logs');
  let following = null;
  follow?.addEventListener('click', async () => {
    if (following) {
      following.abort();
      return;
    }
    following = new AbortController();
    follow.textContent = 'Stop following';
    try {
      const response = await fetch(follow.dataset.followLogs, { signal: following.signal });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        logs.textContent += (logs.textContent && !logs.textContent.endsWith('\n') ? '\n' : '') + value.replace(/\n$/, '');
        logs.scrollTop = logs.scrollHeight;
      }
    } catch (error) {
      if (error.name !== 'AbortError') logs.textContent += `\n[could not follow the logs: ${error.message}]`;
    } finally {
      following = null;
      follow.textContent = 'Follow live';
    }
  });
})();

const bytes = n => {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) { n /= 1024; unit++; }
  return `${unit === 0 ? n : n.toFixed(1)} ${units[unit]}`;
};

// The use of the running workspaces on this page of the table, read once when it loads: one stats call per running
// row shown (a page at most, two at a time), never for the whole table and never on a timer.
(() => {
  const cells = [...document.querySelectorAll('[data-row-stats]')];
  const next = async () => {
    const cell = cells.shift();
    if (!cell) return;
    try {
      const response = await fetch(cell.dataset.rowStats);
      if (response.ok) {
        const stats = await response.json();
        cell.textContent = `${bytes(stats.memoryBytes)} of ${bytes(stats.memoryLimitBytes)}, ${stats.cpuPercent.toFixed(1)} % CPU, `
          + `${stats.pids}${stats.pidsLimit ? ` of ${stats.pidsLimit}` : ''} processes`;
      }
    } catch {
      // Left as rendered: the engine's use is a nicety here, the workspace page has the details.
    }
    await next();
  };
  next();
  next();
})();

// A workspace's resource use, from the engine through Control's API, refreshed while the page is open.
(() => {
  const usage = document.querySelector('[data-stats]');
  if (!usage) return;
  const note = document.querySelector('[data-stats-note]');
  const set = (name, text) => { usage.querySelector(`[data-stat="${name}"]`).textContent = text; };
  const refresh = async () => {
    try {
      const response = await fetch(usage.dataset.stats);
      if (response.ok) {
        const stats = await response.json();
        set('cpu', `${stats.cpuPercent.toFixed(2)} %`);
        set('memory', `${bytes(stats.memoryBytes)} of ${bytes(stats.memoryLimitBytes)}`);
        set('pids', stats.pidsLimit ? `${stats.pids} of ${stats.pidsLimit}` : stats.pids);
        note.textContent = `From the engine at ${new Date().toLocaleTimeString()}.`;
      } else {
        ['cpu', 'memory', 'pids'].forEach(name => set(name, '—'));
        note.textContent = (await response.json()).detail ?? response.statusText;
      }
    } catch (error) {
      note.textContent = `Could not reach Control: ${error.message}`;
    }
  };
  refresh();
  setInterval(refresh, 5000);
})();
