// The analysts' dashboard (served at /dashboard): plain JavaScript, no framework, nothing from
// another host. It calls this server's GraphQL API with the analyst's key, which it keeps in
// sessionStorage only (never in a URL, never in localStorage).
(() => {
  'use strict';

  const KEY_STORAGE = 'scx.dashboard.apiKey';
  const SVG = 'http://www.w3.org/2000/svg';

  /** The contract's payment groups, in its order, with the names analysts use. */
  const PAYMENT_GROUPS = [
    ['JSA_18_24', 'JSA 18–24'],
    ['JSA_25_PLUS', 'JSA 25+'],
    ['JSA_EARLY_ACCESS', 'JSA early access'],
    ['JSA_EX_IB', 'JSA ex-IB'],
    ['ESA_VOLUNTEER', 'ESA volunteers'],
    ['ESA_NEW_CLAIMANT', 'New ESA claimants'],
    ['ESA_EX_IB', 'ESA ex-IB'],
    ['IB_IS', 'IB/IS'],
    ['JSA_PRISON_LEAVER', 'JSA prison leavers'],
  ];
  const GROUP_LABEL = new Map(PAYMENT_GROUPS);
  const GROUP_ORDER = new Map(PAYMENT_GROUPS.map(([code], i) => [code, i]));
  const groupLabel = (code) => (code ? GROUP_LABEL.get(code) ?? code : 'All payment groups');

  const CONNECT_QUERY = `query DashboardConnect {
  viewer { role organisation { name } }
  cpas { code name }
}`;

  const PERFORMANCE_QUERY = `query DashboardPerformance($cpaCode: Int!, $from: Date!, $to: Date!) {
  cpaPerformance(cpaCode: $cpaCode, from: $from, to: $to, groupBy: [PRIME, PAYMENT_GROUP]) {
    from
    to
    rows { prime { id name } paymentGroup referrals jobOutcomes jobOutcomeRate suppressed }
  }
}`;

  const ALLOCATION_QUERY = `query DashboardAllocation($cpaCode: Int!, $from: Date!, $to: Date!, $paymentGroup: PaymentGroup) {
  allocationCheck(cpaCode: $cpaCode, from: $from, to: $to, paymentGroup: $paymentGroup) {
    randomReferrals
    degreesOfFreedom
    test { chiSquare pValue }
    suppressed
    shares { contract { id reference prime { id name } } expectedShare randomShare randomReferrals }
  }
}`;

  // ------------------------------------------------------------------ formatting

  const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
  /** A rate or share (0..1) as a percentage with one decimal. */
  const percent = (value) => `${(value * 100).toFixed(1)}%`;
  const fixed = (value, digits) => value.toFixed(digits);
  const pValueText = (p) => (p !== 0 && p < 0.0001 ? p.toExponential(2) : p.toFixed(4));
  const count = (value) => (value === null || value === undefined ? 'suppressed' : integer.format(value));
  /** The exact number, as a data-* attribute carries it ("" for null). */
  const exact = (value) => (value === null || value === undefined ? '' : String(value));

  // ------------------------------------------------------------------ the page

  const $ = (id) => document.getElementById(id);
  const el = {
    keyForm: $('key-form'),
    key: $('api-key'),
    forget: $('forget'),
    viewer: $('viewer'),
    reportForm: $('report-form'),
    cpa: $('cpa'),
    from: $('from'),
    to: $('to'),
    allocationGroup: $('allocation-group'),
    show: $('show'),
    error: $('error'),
    status: $('status'),
    results: $('results'),
    performance: $('performance'),
    chart: $('chart'),
    table: $('performance-table'),
    allocation: $('allocation'),
    allocationSummary: $('allocation-summary'),
    allocationTable: $('allocation-table'),
  };

  function h(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? '' : String(value));
    }
    node.append(...children);
    return node;
  }

  function s(tag, attributes = {}, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value !== undefined && value !== null) node.setAttribute(name, String(value));
    }
    node.append(...children);
    return node;
  }

  function setStatus(text) {
    el.status.textContent = text;
  }

  function clearError() {
    el.error.hidden = true;
    el.error.replaceChildren();
    delete el.error.dataset.code;
  }

  function showError(error, context) {
    const problems = error instanceof ApiError ? error.problems : [{ code: 'ERROR', message: String(error && error.message ? error.message : error) }];
    const lines = [];
    const seen = new Set();
    for (const problem of problems) {
      const line = explain(problem);
      if (!seen.has(line)) lines.push(line);
      seen.add(line);
    }
    el.error.replaceChildren(
      h('strong', {}, context),
      h('ul', {}, ...lines.map((line) => h('li', {}, line))),
    );
    el.error.dataset.code = problems.map((p) => p.code).join(' ');
    el.error.hidden = false;
  }

  function explain({ code, message }) {
    switch (code) {
      case 'UNAUTHENTICATED':
        return 'The API does not recognise this key (UNAUTHENTICATED). Check that you pasted the whole key, or ask an administrator for a new one.';
      case 'FORBIDDEN':
        return "This key's role may not read these figures (FORBIDDEN): the dashboard is for ANALYST (or ADMIN) keys.";
      case 'NOT_FOUND':
        return `Not found (NOT_FOUND): ${message}`;
      case 'NETWORK':
        return message;
      default:
        return `${message} (${code})`;
    }
  }

  // ------------------------------------------------------------------ the API

  class ApiError extends Error {
    constructor(problems) {
      super(problems.map((p) => `${p.code}: ${p.message}`).join('; '));
      this.problems = problems;
    }
    has(code) {
      return this.problems.some((p) => p.code === code);
    }
  }

  async function graphql(query, variables) {
    const key = sessionStorage.getItem(KEY_STORAGE);
    if (!key) throw new ApiError([{ code: 'UNAUTHENTICATED', message: 'no key' }]);
    let response;
    try {
      response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (error) {
      throw new ApiError([{ code: 'NETWORK', message: `The API could not be reached: ${error.message}` }]);
    }
    let body;
    try {
      body = await response.json();
    } catch {
      throw new ApiError([{ code: `HTTP_${response.status}`, message: `The API answered HTTP ${response.status} without a GraphQL result` }]);
    }
    if (Array.isArray(body.errors) && body.errors.length > 0) {
      throw new ApiError(
        body.errors.map((e) => ({ code: (e.extensions && e.extensions.code) || 'ERROR', message: e.message || 'Unknown error' })),
      );
    }
    if (!body.data) throw new ApiError([{ code: `HTTP_${response.status}`, message: 'The API answered without data' }]);
    return body.data;
  }

  // ------------------------------------------------------------------ connecting

  function forgetKey() {
    sessionStorage.removeItem(KEY_STORAGE);
    el.key.value = '';
    el.viewer.hidden = true;
    el.viewer.textContent = '';
    el.cpa.replaceChildren(h('option', { value: '' }, 'Connect with a key first'));
    el.cpa.disabled = true;
    el.show.disabled = true;
    hideResults();
  }

  async function connect() {
    clearError();
    setStatus('Connecting…');
    try {
      const data = await graphql(CONNECT_QUERY);
      const cpas = [...data.cpas].sort((a, b) => a.code - b.code);
      const previous = el.cpa.value;
      el.cpa.replaceChildren(
        h('option', { value: '' }, cpas.length ? 'Choose a CPA' : 'No CPA in the registry'),
        ...cpas.map((cpa) => h('option', { value: cpa.code }, `${cpa.code} — ${cpa.name}`)),
      );
      if (cpas.some((cpa) => String(cpa.code) === previous)) el.cpa.value = previous;
      el.cpa.disabled = false;
      el.show.disabled = false;
      el.viewer.textContent = `Connected as ${data.viewer.role} of ${data.viewer.organisation.name}.`;
      if (data.viewer.role === 'PROVIDER') {
        el.viewer.textContent += " A provider's key shows its own prime contracts' figures only, and no allocation check.";
      } else if (data.viewer.role !== 'ANALYST' && data.viewer.role !== 'ADMIN') {
        el.viewer.textContent += ' This role may not read performance or allocation figures.';
      }
      el.viewer.hidden = false;
      setStatus(`${cpas.length} CPAs loaded.`);
    } catch (error) {
      if (error instanceof ApiError && error.has('UNAUTHENTICATED')) forgetKey();
      setStatus('');
      showError(error, 'Could not connect.');
    }
  }

  // ------------------------------------------------------------------ the report

  function hideResults() {
    el.performance.hidden = true;
    el.allocation.hidden = true;
    el.results.dataset.state = 'empty';
  }

  function countCell(field, value, suppressed) {
    if (value === null || value === undefined) {
      return h(
        'td',
        { class: 'num', 'data-field': field, 'data-value': '', 'data-suppressed': String(Boolean(suppressed)) },
        suppressed ? suppressedMark() : h('span', { class: 'na', title: 'not applicable' }, 'n/a'),
      );
    }
    return h('td', { class: 'num', 'data-field': field, 'data-value': exact(value), 'data-suppressed': 'false' }, integer.format(value));
  }

  function suppressedMark() {
    return h(
      'span',
      { class: 'suppressed' },
      h('abbr', { title: 'suppressed: under the disclosure threshold' }, '–'),
      h('span', { class: 'visually-hidden' }, ' suppressed'),
    );
  }

  /** Rows sorted by prime name, then payment group in the contract's order. */
  function sortRows(rows) {
    const name = (row) => (row.prime ? row.prime.name : '');
    return [...rows].sort(
      (a, b) => name(a).localeCompare(name(b)) || (GROUP_ORDER.get(a.paymentGroup) ?? 99) - (GROUP_ORDER.get(b.paymentGroup) ?? 99),
    );
  }

  function renderTable(rows) {
    const body = el.table.tBodies[0];
    body.replaceChildren(
      ...rows.map((row) => {
        const rate = row.jobOutcomeRate;
        const rateCell =
          rate === null || rate === undefined
            ? h(
                'td',
                { class: 'num', 'data-field': 'jobOutcomeRate', 'data-value': '', 'data-suppressed': String(row.suppressed) },
                row.suppressed ? suppressedMark() : h('span', { class: 'na', title: 'not applicable' }, 'n/a'),
              )
            : h('td', { class: 'num', 'data-field': 'jobOutcomeRate', 'data-value': exact(rate), 'data-suppressed': 'false' }, percent(rate));
        return h(
          'tr',
          {
            'data-prime-id': row.prime ? row.prime.id : '',
            'data-payment-group': row.paymentGroup ?? '',
            'data-suppressed': String(row.suppressed),
          },
          h('th', { scope: 'row', 'data-field': 'prime' }, row.prime ? row.prime.name : '(no prime)'),
          h('td', { 'data-field': 'paymentGroup' }, groupLabel(row.paymentGroup)),
          countCell('referrals', row.referrals, row.suppressed),
          countCell('jobOutcomes', row.jobOutcomes, row.suppressed),
          rateCell,
          h('td', { 'data-field': 'suppressed' }, row.suppressed ? 'yes' : 'no'),
        );
      }),
    );
    if (rows.length === 0) {
      body.append(h('tr', { class: 'empty' }, h('td', { colspan: 6 }, 'No referrals were made in this CPA in this period.')));
    }
  }

  /** A grouped bar chart, drawn as SVG: one group per payment group, one bar per prime. */
  function renderChart(rows, cpaLabel, from, to) {
    const primes = [];
    for (const row of rows) {
      const id = row.prime ? row.prime.id : '';
      if (!primes.some((p) => p.id === id)) primes.push({ id, name: row.prime ? row.prime.name : '(no prime)' });
    }
    const groups = [...new Set(rows.map((row) => row.paymentGroup ?? ''))].sort(
      (a, b) => (GROUP_ORDER.get(a) ?? 99) - (GROUP_ORDER.get(b) ?? 99),
    );
    if (rows.length === 0) {
      el.chart.replaceChildren(h('p', { class: 'hint' }, 'Nothing to chart.'));
      return;
    }
    const rates = rows.map((row) => row.jobOutcomeRate).filter((rate) => typeof rate === 'number');
    const maxRate = rates.length ? Math.max(...rates) : 0;
    // The axis runs to the next 10% above the highest rate (at least 10%, at most 100%).
    const yMax = Math.min(1, Math.max(0.1, Math.ceil(maxRate * 10 - 1e-9) / 10));

    const bar = 28;
    const barGap = 4;
    const groupGap = 24;
    const plotHeight = 240;
    const margin = { top: 24, right: 16, bottom: 48, left: 56 };
    const barsWidth = primes.length * bar + (primes.length - 1) * barGap;
    const groupWidth = Math.max(120, barsWidth + groupGap);
    const width = margin.left + groups.length * groupWidth + margin.right;
    const height = margin.top + plotHeight + margin.bottom;
    const y = (rate) => margin.top + plotHeight - (rate / yMax) * plotHeight;

    const titleId = 'chart-title';
    const descId = 'chart-desc';
    const svg = s('svg', {
      id: 'outcome-chart',
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'img',
      'aria-labelledby': `${titleId} ${descId}`,
      'data-y-max': yMax,
      'data-plot-height': plotHeight,
    });
    const described = rows
      .map((row) => {
        const who = `${row.prime ? row.prime.name : '(no prime)'}, ${groupLabel(row.paymentGroup)}`;
        if (typeof row.jobOutcomeRate === 'number') return `${who}: ${percent(row.jobOutcomeRate)}`;
        return `${who}: ${row.suppressed ? 'suppressed' : 'no rate'}`;
      })
      .join('; ');
    svg.append(
      s('title', { id: titleId }, `Job outcome rate by payment group and prime, ${cpaLabel}, referrals from ${from} to ${to}`),
      s('desc', { id: descId }, `${described}. The same figures are in the table below.`),
    );

    // Axis and grid: five steps up to yMax.
    const axis = s('g', { class: 'axis', 'aria-hidden': 'true' });
    for (let i = 0; i <= 5; i++) {
      const rate = (yMax * i) / 5;
      const lineY = y(rate);
      axis.append(
        s('line', { class: i === 0 ? 'baseline' : 'grid', x1: margin.left, x2: width - margin.right, y1: lineY, y2: lineY }),
        s('text', { class: 'tick', x: margin.left - 8, y: lineY + 4, 'text-anchor': 'end' }, `${Math.round(rate * 1000) / 10}%`),
      );
    }
    axis.append(
      s(
        'text',
        { class: 'axis-label', x: 14, y: margin.top + plotHeight / 2, 'text-anchor': 'middle', transform: `rotate(-90 14 ${margin.top + plotHeight / 2})` },
        'Job outcome rate',
      ),
    );
    svg.append(axis);

    for (const [g, group] of groups.entries()) {
      const left = margin.left + g * groupWidth + (groupWidth - barsWidth) / 2;
      const groupNode = s('g', { class: 'payment-group', 'data-payment-group': group });
      for (const [p, prime] of primes.entries()) {
        const row = rows.find((r) => (r.prime ? r.prime.id : '') === prime.id && (r.paymentGroup ?? '') === group);
        if (!row) continue;
        const x = left + p * (bar + barGap);
        const rate = row.jobOutcomeRate;
        const hasRate = typeof rate === 'number';
        const top = hasRate ? y(rate) : y(0);
        const label = `${prime.name}, ${groupLabel(group)}: ${
          hasRate ? `${percent(rate)} (${count(row.jobOutcomes)} job outcomes of ${count(row.referrals)} referrals)` : row.suppressed ? 'suppressed' : 'no rate'
        }`;
        groupNode.append(
          s(
            'rect',
            {
              class: `bar series-${p % 8}${hasRate ? '' : ' no-value'}`,
              x,
              y: top,
              width: bar,
              height: hasRate ? y(0) - top : 0,
              'aria-label': label,
              'data-prime-id': prime.id,
              'data-prime-name': prime.name,
              'data-payment-group': group,
              'data-job-outcome-rate': exact(rate),
              'data-job-outcomes': exact(row.jobOutcomes),
              'data-referrals': exact(row.referrals),
              'data-suppressed': String(row.suppressed),
            },
            s('title', {}, label),
          ),
          s(
            'text',
            { class: hasRate ? 'value' : 'value suppressed', x: x + bar / 2, y: top - 6, 'text-anchor': 'middle', 'aria-hidden': 'true' },
            hasRate ? percent(rate) : '–',
          ),
        );
      }
      groupNode.append(
        s(
          'text',
          { class: 'group-label', x: margin.left + g * groupWidth + groupWidth / 2, y: margin.top + plotHeight + 20, 'text-anchor': 'middle', 'aria-hidden': 'true' },
          groupLabel(group),
        ),
      );
      svg.append(groupNode);
    }

    const legend = h(
      'ul',
      { class: 'legend', 'aria-label': 'Primes' },
      ...primes.map((prime, p) => {
        const swatch = s('svg', { width: 12, height: 12, viewBox: '0 0 12 12', 'aria-hidden': 'true' }, s('rect', { class: `series-${p % 8}`, width: 12, height: 12 }));
        return h('li', { 'data-prime-id': prime.id }, swatch, ` ${prime.name}`);
      }),
      h('li', { class: 'legend-note' }, h('span', { class: 'suppressed' }, '–'), ' suppressed'),
    );
    el.chart.replaceChildren(h('div', { class: 'chart-scroll' }, svg), legend);
  }

  /** A figure the API withholds (null) shows as suppressed, never as 0. */
  function renderAllocation(check) {
    const test = check.test;
    const summary = {
      referrals: [check.randomReferrals, (v) => integer.format(v)],
      chiSquare: [test && test.chiSquare, (v) => fixed(v, 3)],
      degreesOfFreedom: [check.degreesOfFreedom, String],
      pValue: [test && test.pValue, pValueText],
    };
    for (const dd of el.allocationSummary.querySelectorAll('dd[data-field]')) {
      const [value, format] = summary[dd.dataset.field];
      const withheld = value === null || value === undefined;
      dd.dataset.value = exact(value);
      dd.dataset.suppressed = String(withheld);
      dd.replaceChildren(withheld ? suppressedMark() : format(value));
    }
    const shares = [...check.shares].sort((a, b) => a.contract.prime.name.localeCompare(b.contract.prime.name));
    const shareCell = (field, value) =>
      value === null || value === undefined
        ? h('td', { class: 'num', 'data-field': field, 'data-value': '', 'data-suppressed': 'true' }, suppressedMark())
        : h('td', { class: 'num', 'data-field': field, 'data-value': exact(value), 'data-suppressed': 'false' }, percent(value));
    el.allocationTable.tBodies[0].replaceChildren(
      ...shares.map((share) =>
        h(
          'tr',
          { 'data-contract-id': share.contract.id },
          h('th', { scope: 'row', 'data-field': 'prime' }, share.contract.prime.name),
          h('td', { 'data-field': 'reference' }, share.contract.reference),
          shareCell('expectedShare', share.expectedShare),
          shareCell('observedShare', share.randomShare),
          countCell('referrals', share.randomReferrals, true),
        ),
      ),
    );
  }

  let request = 0;

  async function show() {
    clearError();
    const cpaCode = Number(el.cpa.value);
    const from = el.from.value;
    const to = el.to.value;
    const paymentGroup = el.allocationGroup.value || null;
    if (!el.cpa.value) return showError(new Error('Choose a CPA.'), 'Cannot show the figures.');
    if (!from || !to) return showError(new Error('Give both dates of the period.'), 'Cannot show the figures.');
    if (from > to) return showError(new Error('The period ends before it starts.'), 'Cannot show the figures.');
    const mine = ++request;
    const cpaLabel = el.cpa.selectedOptions[0].textContent;
    el.results.dataset.state = 'loading';
    el.results.setAttribute('aria-busy', 'true');
    setStatus(`Loading ${cpaLabel}, ${from} to ${to}…`);
    const [performance, allocation] = await Promise.allSettled([
      graphql(PERFORMANCE_QUERY, { cpaCode, from, to }),
      graphql(ALLOCATION_QUERY, { cpaCode, from, to, paymentGroup }),
    ]);
    if (mine !== request) return; // a later request replaced this one
    el.results.setAttribute('aria-busy', 'false');
    const failures = [];
    if (performance.status === 'fulfilled') {
      const rows = sortRows(performance.value.cpaPerformance.rows);
      renderChart(rows, cpaLabel, from, to);
      renderTable(rows);
      el.performance.hidden = false;
    } else {
      el.performance.hidden = true;
      failures.push(['Could not load the job outcome rates.', performance.reason]);
    }
    if (allocation.status === 'fulfilled') {
      renderAllocation(allocation.value.allocationCheck);
      el.allocation.querySelector('h2').textContent = `Allocation check — ${groupLabel(paymentGroup)}`;
      el.allocation.hidden = false;
    } else {
      el.allocation.hidden = true;
      failures.push(['Could not load the allocation check.', allocation.reason]);
    }
    if (failures.length > 0) {
      const problems = failures.flatMap(([, reason]) =>
        reason instanceof ApiError ? reason.problems : [{ code: 'ERROR', message: String(reason && reason.message ? reason.message : reason) }],
      );
      showError(new ApiError(problems), failures.map(([context]) => context).join(' '));
      if (problems.some((p) => p.code === 'UNAUTHENTICATED')) forgetKey();
      el.results.dataset.state = 'error';
      setStatus('');
    } else {
      el.results.dataset.state = 'ready';
      setStatus(`Showing ${cpaLabel}, referrals from ${from} to ${to}.`);
    }
  }

  // ------------------------------------------------------------------ start

  function isoDate(date) {
    const pad = (n) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  }

  function start() {
    // The last 12 months, today included.
    const today = new Date();
    el.to.value = isoDate(today);
    el.from.value = isoDate(new Date(today.getFullYear() - 1, today.getMonth(), today.getDate() + 1));
    el.allocationGroup.append(...PAYMENT_GROUPS.map(([code, label]) => h('option', { value: code }, label)));

    el.keyForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const key = el.key.value.trim();
      if (!key) return showError(new Error('Enter your API key.'), 'Could not connect.');
      sessionStorage.setItem(KEY_STORAGE, key);
      void connect();
    });
    el.forget.addEventListener('click', () => {
      clearError();
      forgetKey();
      setStatus('The key is forgotten.');
    });
    el.reportForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void show();
    });

    const stored = sessionStorage.getItem(KEY_STORAGE);
    if (stored) {
      el.key.value = stored;
      void connect();
    }
  }

  start();
})();
