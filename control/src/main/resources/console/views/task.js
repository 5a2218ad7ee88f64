import {api} from '../api.js';
import {stateChart} from '../chart.js';
import {h, message, table, when} from '../dom.js';
import {actionButtons} from './tasks.js';

const EVERY_MS = 1500;

/** One task, live: its status and actions, devices per state as a chart, stages and device rows, polled. */
export function render(view, taskId) {
  const head = h('div', {id: 'task-head'});
  const status = h('div');
  const controls = h('div', {id: 'task-controls'});
  const chart = h('div', {id: 'task-chart'});
  const stages = h('div', {id: 'task-stages'});
  const devices = h('div', {id: 'task-devices'});
  let timer = null;
  let stopped = false;

  async function poll() {
    try {
      const path = `/tasks/${encodeURIComponent(taskId)}`;
      const [t, p] = await Promise.all([api('GET', path), api('GET', `${path}/progress?limit=500`)]);
      if (stopped) return;
      head.replaceChildren(h('dl', {class: 'facts'},
        h('dt', {text: 'Status'}), h('dd', {id: 'task-status', class: `status status-${t.status}`, text: t.status}),
        h('dt', {text: 'Target'}), h('dd', {text: `${p.targetVersion} (${t.firmwareId})`}),
        h('dt', {text: 'Devices'}), h('dd', {id: 'task-total', text: p.total}),
        h('dt', {text: 'Timed out'}), h('dd', {text: p.timedOut}),
        p.autoPausedAt ? [h('dt', {text: 'Auto-paused'}), h('dd', {text: `${when(p.autoPausedAt)} at stage ${p.autoPausedStage}`})] : null,
        p.rate ? [h('dt', {text: 'Rate'}), h('dd', {text: `${p.rate.perMinute}/min, ${p.rate.enrolled} let in, ${p.rate.heldByRate} held`})] : null,
        t.heldByCellCap ? [h('dt', {text: 'Held by cell cap'}), h('dd', {id: 'task-cell-held', text: `${t.heldByCellCap} devices`})] : null,
        h('dt', {text: 'Created'}), h('dd', {text: when(t.createdAt)})),
      actionButtons(t, done => {
        status.replaceChildren(message(`Task ${done.id} is ${done.status}.`, 'ok'));
        refresh();
      }, err => status.replaceChildren(message(err.message))));
      controls.replaceChildren(...listControls(t));
      chart.replaceChildren(stateChart(p.counts || {}, p.total || 0));
      stages.replaceChildren(!p.stages || p.stages.length === 0 ? h('p', {text: 'One stage: every device.'}) : table('stages', [
        {label: 'Stage', cell: s => s.stage + (s.stage === p.stage ? ' (current)' : '')},
        {label: 'Up to %', cell: s => s.percent},
        {label: 'Enrolled', cell: s => s.enrolled},
        {label: 'Succeeded', cell: s => s.succeeded},
        {label: 'Failed', cell: s => s.failed},
        {label: 'Success rate', cell: s => (s.successRate === null || s.successRate === undefined ? '' : `${Math.round(100 * s.successRate)} %`)},
      ], p.stages));
      devices.replaceChildren(p.devices.length === 0 ? h('p', {text: 'No device has checked in for this task yet.'}) : table('progress-devices', [
        {label: 'Device', cell: d => d.deviceId},
        {label: 'State', cell: d => d.state},
        {label: 'Downloaded', cell: d => h('progress', {max: 100, value: d.downloadPercent})},
        {label: '%', cell: d => d.downloadPercent},
        {label: 'Step', cell: d => d.step},
        {label: 'Attempts', cell: d => d.attempts},
        {label: 'Stage', cell: d => d.stage},
        {label: 'Timed out', cell: d => (d.timedOut ? 'yes' : '')},
      ], p.devices, d => ({'data-device': d.deviceId, 'data-state': d.state})));
    } catch (err) {
      if (!stopped) status.replaceChildren(message(err.message));
    }
  }

  function refresh() {
    clearTimeout(timer);
    poll().finally(() => { if (!stopped) timer = setTimeout(refresh, EVERY_MS); });
  }

  view.append(h('h2', {}, 'Task ', h('code', {text: taskId})), h('p', {}, h('a', {href: '#/tasks', text: '← all tasks'})),
    head, status, controls, h('h3', {text: 'Devices by state'}), chart, h('h3', {text: 'Stages'}), stages,
    h('h3', {text: 'Devices'}), devices);
  refresh();
  return () => { stopped = true; clearTimeout(timer); };
}

/** The task's controls that are lists or objects: maintenance windows, abort criteria, automatic rollback. */
function listControls(t) {
  const out = [];
  const windows = t.maintenanceWindows || [];
  if (windows.length) {
    out.push(h('h3', {text: 'Maintenance windows'}), h('ul', {id: 'task-windows'}, windows.map(w =>
      h('li', {'data-cron': w.cron, text: `${w.cron} for ${w.duration} (${w.zone})`}))));
  }
  const criteria = t.abortCriteria || [];
  if (criteria.length) {
    out.push(h('h3', {text: 'Abort criteria'}), h('ul', {id: 'task-abort'}, criteria.map(c =>
      h('li', {'data-failure-type': c.failureType, text: `${c.action} once ${c.failureType} failures reach `
        + `${c.thresholdPercentage} % of at least ${c.minNumberOfExecutedThings} finished devices`}))));
  }
  const r = t.autoRollback;
  if (r) {
    out.push(h('h3', {text: 'Automatic rollback'}), h('p', {id: 'task-auto-rollback', text: `to ${r.firmwareId} once `
      + `${r.thresholdPercentage} % of at least ${r.minNumberOfExecutedThings} finished devices failed`}));
  }
  return out;
}
