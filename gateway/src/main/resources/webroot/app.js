// vegart playground: one page over the public API (same origin). No dependencies, no build step.
'use strict';

const STORE_KEY = 'vegart.apiKey';
const STORE_HISTORY = 'vegart.history';
const MAX_HISTORY = 50;
const TERMINAL = new Set(['succeeded', 'failed', 'expired', 'canceled']);
const FIELD_LABELS = {
  prompt: 'Prompt', num_inference_steps: 'Steps', width: 'Size', height: 'Size', num_images: 'Images',
  output_format: 'Format', seed: 'Seed', decoder: 'Fast decoder',
};
const FIELD_CONTROLS = {
  prompt: 'prompt', num_inference_steps: 'steps', width: 'size', height: 'size', num_images: 'images',
  output_format: 'format', seed: 'seed', decoder: 'fast',
};

const $ = (id) => document.getElementById(id);
let watch = null; // the job being followed: { id, controller, timer }

// ---------- small helpers ----------

function human(seconds) {
  seconds = Math.max(0, Math.round(seconds));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min${seconds % 60 ? ` ${seconds % 60} s` : ''}`;
  const m = Math.floor((seconds % 3600) / 60);
  return `${Math.floor(seconds / 3600)} h${m ? ` ${m} min` : ''}`;
}

function clock(date) {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) node.append(c);
  return node;
}

function key() {
  return localStorage.getItem(STORE_KEY) || '';
}

// ---------- messages ----------

function showMessage(text, kind = 'error', details = []) {
  const box = $('message');
  box.replaceChildren(el('p', { text }));
  if (details.length) box.append(el('ul', {}, ...details.map((d) => el('li', { text: d }))));
  box.dataset.kind = kind;
  box.hidden = false;
}

function clearMessage() {
  const box = $('message');
  box.hidden = true;
  box.replaceChildren();
  delete box.dataset.kind;
  for (const c of document.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
}

function retryAfterSeconds(res) {
  const v = Number(res.headers.get('Retry-After'));
  return Number.isFinite(v) && v >= 0 ? v : null;
}

/** A refused request in plain words; the problem+json body gives the details. */
function showProblem(res, problem) {
  const wait = retryAfterSeconds(res);
  switch (res.status) {
    case 429: {
      const when = wait === null ? 'at midnight UTC' : `at ${clock(new Date(Date.now() + wait * 1000))} (in ${human(wait)})`;
      showMessage(`Today's quota for this key is used up. It resets ${when}.`, 'quota');
      break;
    }
    case 401:
      showMessage('This API key was not accepted (unknown or revoked). Check it, or ask the operator for a new one.', 'auth');
      break;
    case 503:
      showMessage(`The service is overloaded right now; nothing was charged. Try again${wait === null ? ' shortly' : ` in ${human(wait)}`}.`,
        'overloaded');
      break;
    case 400: {
      const errors = problem.errors || [];
      for (const e of errors) {
        const control = $(FIELD_CONTROLS[e.field]);
        if (control) control.setAttribute('aria-invalid', 'true');
      }
      showMessage('Please check the form:', 'invalid',
        errors.length ? errors.map((e) => `${FIELD_LABELS[e.field] || e.field}: ${e.message}`) : [problem.detail || 'invalid request']);
      break;
    }
    default:
      showMessage(problem.detail || `The gateway answered ${res.status}.`, 'error');
  }
}

// ---------- API ----------

async function api(path, options = {}) {
  const headers = { 'x-api-key': key(), ...(options.headers || {}) };
  let res;
  try {
    res = await fetch(path, { ...options, headers });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    const err = new Error('network');
    err.network = true;
    throw err;
  }
  quotaFromHeaders(res);
  return res;
}

async function body(res) {
  try {
    return await res.json();
  } catch {
    return {};
  }
}

// ---------- quota ----------

function showQuota(q) {
  const text = q.limit === null
    ? `Unlimited tier${q.tier ? ` (${q.tier})` : ''}: no daily quota.`
    : `${q.remaining} of ${q.limit} images left today · resets at ${clock(q.resetsAt)} (in ${human((q.resetsAt - Date.now()) / 1000)})`;
  $('quota').textContent = text;
  $('quota').dataset.remaining = q.remaining === null ? '' : String(q.remaining);
}

/** The IETF draft headers: RateLimit-Policy: "daily";q=100;w=86400 and RateLimit: "daily";r=37;t=5400. */
function quotaFromHeaders(res) {
  const rl = res.headers.get('RateLimit');
  const policy = res.headers.get('RateLimit-Policy');
  if (!rl || !policy) return;
  const r = /r=(\d+)/.exec(rl);
  const t = /t=(\d+)/.exec(rl);
  const q = /q=(\d+)/.exec(policy);
  if (r && t && q) showQuota({ remaining: Number(r[1]), limit: Number(q[1]), resetsAt: new Date(Date.now() + Number(t[1]) * 1000) });
}

async function refreshQuota() {
  if (!key()) {
    $('quota').textContent = 'Enter your API key to see your quota.';
    return;
  }
  try {
    const res = await api('/v1/usage');
    if (res.status === 401) {
      $('quota').textContent = 'This key is not accepted.';
      return;
    }
    if (res.ok) {
      const u = await body(res);
      showQuota({ remaining: u.remaining ?? null, limit: u.limit ?? null, tier: u.tier, resetsAt: new Date(u.resets_at) });
    }
  } catch {
    $('quota').textContent = 'Quota unknown: the gateway cannot be reached.';
  }
}

// ---------- options from the OpenAPI document ----------

async function loadOptions() {
  let schema = null;
  try {
    const res = await fetch('/openapi.json');
    if (res.ok) schema = (await res.json()).components.schemas.SubmitRequest;
  } catch {
    // answered below
  }
  if (!schema) showMessage('Could not read the supported sizes from the gateway; showing defaults.', 'error');
  const props = (schema && schema.properties) || {};
  const sizes = (schema && schema['x-vegart-sizes']) || ['1024x1024'];
  const defaultSize = props.width && props.width.default ? `${props.width.default}x${props.height.default}` : sizes[0];
  $('size').replaceChildren(...sizes.map((s) => el('option', { value: s, selected: s === defaultSize, text: s.replace('x', ' × ') })));
  const steps = props.num_inference_steps || {};
  $('steps').min = steps.minimum || 1;
  $('steps').max = steps.maximum || 8;
  const maxImages = (props.num_images && props.num_images.maximum) || 4;
  $('images').replaceChildren(...Array.from({ length: maxImages }, (_, i) => el('option', { value: i + 1, text: String(i + 1) })));
  const formats = (props.output_format && props.output_format.enum) || ['png', 'jpeg', 'webp'];
  $('format').replaceChildren(...formats.map((f) => el('option', { value: f, text: f.toUpperCase() })));
}

// ---------- submit ----------

function requestBody() {
  const [width, height] = $('size').value.split('x').map(Number);
  const req = {
    prompt: $('prompt').value.trim(),
    num_inference_steps: Number($('steps').value),
    width, height,
    num_images: Number($('images').value),
    output_format: $('format').value,
    decoder: $('fast').checked ? 'fast' : 'full',
  };
  if ($('seed-fixed').checked) req.seed = Number($('seed').value);
  return req;
}

async function submit(event) {
  event.preventDefault();
  clearMessage();
  if (!key()) {
    showMessage('Enter your API key first.', 'auth');
    $('api-key').focus();
    return;
  }
  if (!$('prompt').value.trim()) {
    $('prompt').setAttribute('aria-invalid', 'true');
    showMessage('Write a prompt first.', 'invalid');
    $('prompt').focus();
    return;
  }
  if ($('seed-fixed').checked && !/^\d+$/.test($('seed').value)) {
    $('seed').setAttribute('aria-invalid', 'true');
    showMessage('A fixed seed is a whole number of 0 or more.', 'invalid');
    $('seed').focus();
    return;
  }
  const button = $('generate-button');
  button.disabled = true;
  try {
    const res = await api('/v1/jobs', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(requestBody()),
    });
    if (!res.ok) {
      showProblem(res, await body(res));
      return;
    }
    const job = await res.json();
    remember(job);
    follow(job);
  } catch (e) {
    if (e.network) showMessage('Could not reach the gateway. Is it running?', 'network');
    else throw e;
  } finally {
    button.disabled = false;
  }
}

// ---------- following a job ----------

function stopFollowing() {
  if (!watch) return;
  if (watch.controller) watch.controller.abort();
  clearTimeout(watch.timer);
  watch = null;
}

function follow(job) {
  stopFollowing();
  $('results').replaceChildren();
  $('timeline').replaceChildren();
  $('progress').hidden = true;
  watch = { id: job.id, lastStatus: null, lastStep: -1 };
  showJob(job);
  if (!TERMINAL.has(job.status)) stream(job.id).catch(() => poll(job.id));
}

/** Server-sent events read with fetch (EventSource cannot send the API key header). */
async function stream(id) {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!watch || watch.id !== id) return;
    watch.controller = new AbortController();
    const res = await api(`/v1/jobs/${encodeURIComponent(id)}/events`, {
      headers: { Accept: 'text/event-stream' }, signal: watch.controller.signal,
    });
    if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n?/g, '\n');
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (onEvent(id, block)) return;
      }
    }
  }
  throw new Error('stream kept closing');
}

/** Handles one SSE block; true once the job ended. */
function onEvent(id, block) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (!data.length || !watch || watch.id !== id) return false;
  const payload = JSON.parse(data.join('\n'));
  if (name === 'progress') {
    showProgress(payload.steps_done, payload.steps_total);
    return false;
  }
  if (name === 'job') {
    showJob(payload);
    return TERMINAL.has(payload.status);
  }
  return false;
}

/** The fallback when the event stream cannot be had: read the job once a second. */
async function poll(id) {
  if (!watch || watch.id !== id) return;
  try {
    const res = await api(`/v1/jobs/${encodeURIComponent(id)}`);
    if (!res.ok) {
      showProblem(res, await body(res));
      return;
    }
    const job = await res.json();
    showJob(job);
    if (TERMINAL.has(job.status)) return;
  } catch (e) {
    if (e.name === 'AbortError') return;
  }
  if (watch && watch.id === id) watch.timer = setTimeout(() => poll(id), 1000);
}

function addTimeline(text) {
  const items = $('timeline');
  items.append(el('li', { text: `${clock(new Date())} ${text}` }));
}

function showProgress(done, total) {
  if (!watch || done <= watch.lastStep) return;
  watch.lastStep = done;
  $('live').dataset.state = 'running';
  const bar = $('progress');
  bar.hidden = false;
  bar.max = total;
  bar.value = done;
  $('status').textContent = done === 0 ? 'Running: starting' : `Running: step ${done} of ${total}`;
  addTimeline(done === 0 ? 'started on a worker' : `step ${done} of ${total}`);
}

function showJob(job) {
  // A job can finish before its first progress event reaches this page: its steps are all done then.
  if (job.status === 'succeeded' && watch && watch.lastStep < job.num_inference_steps) {
    showProgress(job.num_inference_steps, job.num_inference_steps);
  }
  $('live').dataset.state = job.status;
  const changed = watch && watch.lastStatus !== job.status;
  if (watch) watch.lastStatus = job.status;
  let text;
  switch (job.status) {
    case 'queued': {
      const ahead = job.queue_position;
      const eta = job.eta_seconds;
      text = 'Queued' + (ahead !== undefined && ahead !== null ? `: ${ahead} image(s) ahead` : '')
        + (eta !== undefined && eta !== null ? `, about ${human(eta)} to go` : '');
      break;
    }
    case 'running':
      text = watch && watch.lastStep >= 0 ? $('status').textContent : 'Running';
      break;
    case 'succeeded':
      text = `Done: seed ${job.seed}, ${job.inference_ms} ms of inference, ${job.queue_ms} ms in the queue.`;
      break;
    default: {
      const why = (job.error && (job.error.message || job.error.code)) || 'no reason given';
      text = `${job.status[0].toUpperCase()}${job.status.slice(1)}: ${why}`;
    }
  }
  $('status').textContent = text;
  if (changed) addTimeline(job.status);
  if (TERMINAL.has(job.status)) {
    $('progress').hidden = true;
    showImages(job);
    remember(job);
    refreshQuota();
  }
}

function showImages(job) {
  const figures = (job.images || []).map((img) => {
    const ext = img.format === 'jpeg' ? 'jpg' : img.format;
    const picture = el('img', {
      src: img.url, width: img.width, height: img.height,
      alt: `Image ${img.index + 1} for “${job.prompt}” (seed ${img.seed})`,
    });
    const caption = el('figcaption', {},
      el('span', { text: `Seed ${img.seed} · ${img.width} × ${img.height} · ${img.format.toUpperCase()} · ${Math.ceil(img.bytes / 1024)} KB` }),
      el('span', { text: `Inference ${job.inference_ms} ms · queue ${job.queue_ms} ms` }),
      el('span', { class: 'actions' },
        el('a', { href: img.url, download: `vegart-${job.id}-${img.index}.${ext}`, text: 'Download' }),
        el('button', { type: 'button', class: 'secondary', text: 'Use this seed', onclick: () => useSeed(img.seed) })));
    return el('figure', { 'data-seed': img.seed }, picture, caption);
  });
  $('results').replaceChildren(...figures);
}

function useSeed(seed) {
  $('seed-fixed').checked = true;
  $('seed').disabled = false;
  $('seed').value = seed;
  $('seed').focus();
}

// ---------- history ----------

function history() {
  try {
    return JSON.parse(localStorage.getItem(STORE_HISTORY)) || [];
  } catch {
    return [];
  }
}

function remember(job) {
  const entry = {
    id: job.id, prompt: job.prompt, status: job.status, seed: job.seed, width: job.width, height: job.height,
    images: job.num_images, created_at: job.created_at,
  };
  const list = [entry, ...history().filter((h) => h.id !== job.id)].slice(0, MAX_HISTORY);
  localStorage.setItem(STORE_HISTORY, JSON.stringify(list));
  renderHistory();
}

function renderHistory() {
  const list = history();
  const items = list.map((h) => el('li', {},
    el('button', { type: 'button', class: 'link', onclick: () => reopen(h.id), text: h.prompt }),
    el('span', { class: 'hint', text: ` ${h.status} · ${h.width} × ${h.height} · seed ${h.seed} · ${h.created_at ? new Date(h.created_at).toLocaleString() : ''}` })));
  $('history').replaceChildren(...(items.length ? items : [el('li', { class: 'hint', text: 'No jobs yet.' })]));
  $('clear-history').hidden = !list.length;
}

async function reopen(id) {
  clearMessage();
  try {
    const res = await api(`/v1/jobs/${encodeURIComponent(id)}`);
    if (res.status === 404) {
      showMessage('That job is not available with the current key.', 'error');
      return;
    }
    if (!res.ok) {
      showProblem(res, await body(res));
      return;
    }
    follow(await res.json());
  } catch (e) {
    if (e.network) showMessage('Could not reach the gateway. Is it running?', 'network');
  }
}

// ---------- key ----------

function showKeyState() {
  $('key-state').textContent = key() ? 'A key is saved in this browser.' : 'No key saved yet.';
  $('api-key').value = key();
}

function saveKey(event) {
  event.preventDefault();
  const value = $('api-key').value.trim();
  if (!value) {
    showMessage('Paste an API key first.', 'auth');
    $('api-key').focus();
    return;
  }
  localStorage.setItem(STORE_KEY, value);
  clearMessage();
  showKeyState();
  refreshQuota();
  $('prompt').focus();
}

function forgetKey() {
  localStorage.removeItem(STORE_KEY);
  showKeyState();
  refreshQuota();
}

// ---------- start ----------

function init() {
  $('key-form').addEventListener('submit', saveKey);
  $('forget-key').addEventListener('click', forgetKey);
  $('generate').addEventListener('submit', submit);
  $('prompt').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) $('generate').requestSubmit();
  });
  $('steps').addEventListener('input', () => { $('steps-value').textContent = $('steps').value; });
  for (const r of document.querySelectorAll('input[name="seed-mode"]')) {
    r.addEventListener('change', () => { $('seed').disabled = !$('seed-fixed').checked; });
  }
  $('clear-history').addEventListener('click', () => {
    localStorage.removeItem(STORE_HISTORY);
    renderHistory();
  });
  showKeyState();
  renderHistory();
  loadOptions();
  refreshQuota();
}

init();
