// Site search on top of Pagefind's JS API (pagefind.js from this site's own /pagefind/ folder).
// The page works without this file: it then explains and links to the static listing pages. All interface
// text comes from data attributes the template filled in from the message catalogues.

const root = document.querySelector("[data-search]");
const PAGE = 20;

function countText(count) {
  const messages = JSON.parse(root.dataset.countMessages);
  const category = new Intl.PluralRules(document.documentElement.lang).select(count);
  return (messages[category] || messages.other).replace("{count}", count.toLocaleString(document.documentElement.lang));
}

// Pagefind's excerpt is plain text with <mark> around matches; build it as nodes so page text is never parsed as HTML.
function excerptNodes(excerpt) {
  const fragment = document.createDocumentFragment();
  excerpt.split(/(<mark>.*?<\/mark>)/).forEach((part) => {
    const match = part.match(/^<mark>(.*)<\/mark>$/);
    if (match) {
      const mark = document.createElement("mark");
      mark.textContent = match[1];
      fragment.append(mark);
    } else if (part) {
      fragment.append(part);
    }
  });
  return fragment;
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "search__result";
  const heading = document.createElement("h3");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  item.append(heading);
  const facts = [data.filters.type && data.filters.type[0], data.meta.when, data.meta.status].filter(Boolean);
  if (facts.length) {
    const line = document.createElement("p");
    line.className = "search__facts";
    line.textContent = facts.join(" · ");
    item.append(line);
  }
  if (data.excerpt) {
    const excerpt = document.createElement("p");
    excerpt.className = "search__excerpt";
    excerpt.append(excerptNodes(data.excerpt));
    item.append(excerpt);
  }
  return item;
}

function fillFilters(form, available) {
  form.querySelectorAll("[data-filter]").forEach((fieldset) => {
    const name = fieldset.dataset.filter;
    const values = Object.keys(available[name] || {}).sort((a, b) => a.localeCompare(b, document.documentElement.lang));
    const list = fieldset.querySelector("ul");
    values.forEach((value, index) => {
      const id = `filter-${name}-${index}`;
      const item = document.createElement("li");
      const input = document.createElement("input");
      input.type = "checkbox";
      input.id = id;
      input.name = name;
      input.value = value;
      const label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = value;
      item.append(input, label);
      list.append(item);
    });
    fieldset.hidden = values.length === 0;
  });
}

function chosenFilters(form) {
  const filters = {};
  form.querySelectorAll("input[type=checkbox]:checked").forEach((input) => {
    (filters[input.name] = filters[input.name] || { any: [] }).any.push(input.value);
  });
  return filters;
}

// Counting searches without a tracker: once the person has stopped typing for RECORD_AFTER ms, one GET of this
// site's own search page with ?q=<the term> and nothing else (no cookie, no referrer, nothing stored), so the
// web server's access log counts it like a search sent without JavaScript (make uppfoljning; the guide says what
// is counted). The address is the form's action, on this page's own origin whatever SITEURL says.
const RECORD_AFTER = 1500;

function searchRecorder(form, already) {
  const page = new URL(form.getAttribute("action") || window.location.pathname, window.location.href).pathname;
  let recorded = already;
  let timer = 0;
  function now() {
    window.clearTimeout(timer);
    const term = form.querySelector("input[type=search]").value.trim();
    if (!term || term === recorded) return;
    recorded = term;
    const url = new URL(page, window.location.origin);
    url.searchParams.set("q", term);
    fetch(url, { method: "GET", credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer", redirect: "error" })
      .catch(() => {}); // counting is never worth an error for the person searching
  }
  return { now, later() { window.clearTimeout(timer); timer = window.setTimeout(now, RECORD_AFTER); } };
}

async function start() {
  if (!root) return;
  const form = root.querySelector("[data-search-form]");
  const status = root.querySelector("[data-search-status]");
  const results = root.querySelector("[data-search-results]");
  const input = form.querySelector("input[type=search]");
  const more = root.querySelector("[data-search-more]");
  let pagefind;
  try {
    pagefind = await import(root.dataset.pagefindUrl);
    await pagefind.options({ baseUrl: root.dataset.baseUrl, excerptLength: 24 });
    fillFilters(form, await pagefind.filters());
  } catch (error) {
    status.textContent = root.dataset.msgUnavailable;
    return;
  }
  document.querySelectorAll("[data-search-fallback]").forEach((element) => { element.hidden = true; });
  form.hidden = false;

  // Only the newest search may write its results, however the promises resolve.
  let latest = 0;
  async function run() {
    const ticket = ++latest;
    const query = input.value.trim();
    const filters = chosenFilters(form);
    if (!query && Object.keys(filters).length === 0) {
      results.replaceChildren();
      more.hidden = true;
      status.textContent = root.dataset.msgEmpty;
      return;
    }
    const search = await pagefind.debouncedSearch(query || null, { filters }, 250);
    if (search === null || ticket !== latest) return; // superseded while waiting
    shown = search.results;
    const data = await Promise.all(shown.slice(0, PAGE).map((result) => result.data()));
    if (ticket !== latest) return;
    results.replaceChildren(...data.map(resultItem));
    more.hidden = shown.length <= PAGE;
    status.textContent = countText(shown.length);
  }

  // Fragments load per result, so long result lists grow on request rather than all at once.
  let shown = [];
  more.addEventListener("click", async () => {
    const ticket = latest;
    const start = results.children.length;
    const data = await Promise.all(shown.slice(start, start + PAGE).map((result) => result.data()));
    if (ticket !== latest) return;
    const items = data.map(resultItem);
    results.append(...items);
    more.hidden = results.children.length >= shown.length;
    if (items.length) items[0].querySelector("a").focus();
  });

  const params = new URLSearchParams(window.location.search);
  if (params.get("q")) input.value = params.get("q");
  // A search arriving with ?q= was logged by the server already; only a new term is recorded.
  const recorder = searchRecorder(form, input.value.trim());
  form.addEventListener("submit", (event) => { event.preventDefault(); run(); recorder.now(); });
  input.addEventListener("input", () => { run(); recorder.later(); });
  form.addEventListener("change", (event) => { if (event.target.type === "checkbox") run(); });
  form.querySelector("[data-search-clear]").addEventListener("click", () => {
    form.querySelectorAll("input[type=checkbox]:checked").forEach((box) => { box.checked = false; });
    run();
  });
  run();
}

start();
