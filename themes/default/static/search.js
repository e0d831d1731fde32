// Case search on /cases/: reveals the form the page carries, invisible, in #search (drawn with
// the page's strings, its space kept so that nothing moves when it shows) and searches the index the build writes under search/<lang>/
// (src/search/). Without JavaScript the form takes no space; if the index cannot load, the
// script takes the form away; either way the table and the browse pages do the job. Nothing typed leaves the browser except as requests
// for index files of this site (content/safety.md says what those requests reveal); nothing is
// stored, and nothing typed is written to the address or the history.
(() => {
  "use strict";
  const box = document.getElementById("search");
  if (!box) return;
  // No search after all: the reserved space goes rather than stay an empty gap.
  const giveUp = () => {
    box.hidden = true;
    box.classList.remove("search-pending");
  };
  if (!window.fetch || !window.URLSearchParams) return giveUp();

  const PAGE = 20; // result rows shown at a time
  const SPAN = 4; // a last word whose prefix spans more shards than this matches whole words only
  // An index of at most this many shards (or row chunks) is fetched whole, so that which files
  // were asked for tells the host nothing about the words typed or the cases found.
  const WHOLE = 4;
  const manifestUrl = new URL(box.dataset.manifest, location.href);
  const forms = JSON.parse(box.dataset.found);
  const rules = window.Intl && Intl.PluralRules
    ? new Intl.PluralRules(document.documentElement.lang) : { select: () => "other" };
  let M; // the manifest
  const cache = new Map();

  const el = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    e.append(...kids);
    return e;
  };
  const get = (url) => {
    url = String(url);
    if (!cache.has(url)) {
      const p = fetch(url).then((r) => {
        if (!r.ok) throw new Error(r.status + " " + url);
        return r.json();
      });
      p.catch(() => cache.delete(url));
      cache.set(url, p);
    }
    return cache.get(url);
  };

  // Numbers as src/search/encode.rs writes them: 5-bit groups, low first; a digit from the
  // second half of the alphabet means "more follows". `gaps`: ascending ids stored as gaps.
  const DIGIT = new Uint8Array(128);
  [..."0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"]
    .forEach((c, i) => { DIGIT[c.charCodeAt(0)] = i; });
  const decode = (text, gaps) => {
    const out = [];
    let value = 0, shift = 0, next = 0;
    for (let i = 0; i < text.length; i++) {
      const d = DIGIT[text.charCodeAt(i)];
      value |= (d & 31) << shift;
      if (d >= 32) { shift += 5; continue; }
      if (gaps) { next += value; out.push(next++); } else out.push(value);
      value = shift = 0;
    }
    return out;
  };

  // The twin of src/search/tokenize.rs: fold, split into words and ideograph runs, pair the
  // ideographs. The last word, still being typed, matches by prefix.
  const CJK = "\\u3005-\\u3007\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3ffff}";
  const RUNS = new RegExp(`([${CJK}]+)|((?:(?![${CJK}])[\\p{Alphabetic}\\p{N}])+)`, "gu");
  const MAP = { "ٱ": "ا", "ة": "ه", "ى": "ي", "ς": "σ" };
  const fold = (s) => s.normalize("NFKD").toLowerCase()
    .replace(/[\p{M}\u0640]/gu, "").replace(/[ٱةىς]/g, (c) => MAP[c]);
  const ARTICLE = /^[وبكف]?ال(?=..)/u;
  const parse = (query) => {
    const text = fold(query), tokens = new Map();
    let last = null;
    for (const m of text.matchAll(RUNS)) {
      last = null;
      if (m[1]) {
        const ch = [...m[1]];
        if (ch.length === 1) tokens.set(ch[0] + "*", { t: ch[0], p: true });
        for (let i = 0; i + 1 < ch.length; i++) tokens.set(ch[i] + ch[i + 1], { t: ch[i] + ch[i + 1] });
      } else {
        const t = m[2].replace(ARTICLE, "");
        if (m.index + m[0].length === text.length && [...t].length > 1) last = { t, p: true };
        else tokens.set(t, { t });
      }
    }
    if (last) tokens.set(last.t + "*", last);
    return [...tokens.values()];
  };

  // The term shards a token needs: the last shard whose first term is <= the token holds it;
  // a prefix may run on into the following shards, but only so far (SPAN).
  const lowerBound = (list, t) => {
    let lo = 0, hi = list.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid] < t) lo = mid + 1; else hi = mid; }
    return lo;
  };
  const shardUrls = (tok) => {
    const url = (s) => String(new URL("t" + s + ".json", M.filesUrl));
    if (M.shards.length <= WHOLE) {
      tok.prefix = tok.p;
      return M.shards.map((_, s) => url(s));
    }
    const first = Math.max(0, lowerBound(M.shards, tok.t + "\0") - 1);
    let end = first + 1;
    if (tok.p) while (end < M.shards.length && M.shards[end].startsWith(tok.t)) end++;
    tok.prefix = tok.p && end - first <= SPAN;
    if (!tok.prefix) end = first + 1;
    const urls = [];
    for (let s = first; s < end; s++) urls.push(url(s));
    return urls;
  };
  const postings = async (tok) => {
    const title = [], body = [];
    for (const shard of await Promise.all(shardUrls(tok).map(get))) {
      shard.lists = shard.lists || [];
      const list = (i) => shard.lists[i] || (shard.lists[i] = decode(shard.p[i], true));
      for (let i = lowerBound(shard.t, tok.t); i < shard.t.length; i++) {
        const term = shard.t[i];
        if (tok.prefix ? !term.startsWith(tok.t) : term !== tok.t) break;
        title.push(list(2 * i));
        body.push(list(2 * i + 1));
      }
    }
    return [title, body];
  };

  // A facet column: for each document, the index of its set of values.
  const column = (f) => {
    if (!f.column) {
      f.column = get(new URL(f.f + ".json", M.facetsUrl)).then((c) => {
        f.sets = c.s;
        f.docs = decode(c.d, false);
        f.details.append(checkboxes(f));
      });
      f.column.catch(() => { f.column = null; });
    }
    return f.column;
  };

  // The form.
  const ui = {};
  const number = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, M.sep);
  const dateText = (iso) => {
    const [y, m, d] = iso.split("-");
    return M.date[0].replace("{day}", +d).replace("{month}", M.date[1][m - 1]).replace("{year}", y);
  };
  const checkboxes = (f) => {
    const list = el("ul", {});
    f.counts = [];
    for (const [i, key, label] of f.v) {
      const id = `search-${f.f}-${key}`;
      const input = el("input", { type: "checkbox", id, name: f.f, value: key });
      input.checked = f.sel.has(key);
      input.addEventListener("change", () => {
        if (input.checked) f.sel.add(key); else f.sel.delete(key);
        record();
        run();
      });
      f.counts[i] = el("span", { class: "count" });
      list.append(el("li", {}, input, " ", el("label", { for: id }, label, " ", f.counts[i])));
    }
    return el("fieldset", {}, el("legend", {}, f.label), list);
  };

  // State, never in the address unless asked: what a person types stays in the page. "Link to
  // this search" writes the state after the "#" (#q=words&committee=cat), which browsers do not
  // send to the host; such a link, or an old ?q= link, is read once on load and the address is
  // then put back to the bare path with one replaceState, so no history entry keeps the words.
  const toParams = () => {
    const p = new URLSearchParams();
    const q = ui.input.value.trim();
    if (q) p.set("q", q);
    for (const f of M.facet) for (const v of f.v) if (f.sel.has(v[1])) p.append(f.f, v[1]);
    return p;
  };
  const fromParams = (p) => {
    ui.input.value = p.get("q") || "";
    for (const f of M.facet) {
      f.sel = new Set(p.getAll(f.f).filter((k) => f.v.some((v) => v[1] === k)));
      for (const input of f.details.querySelectorAll("input")) input.checked = f.sel.has(input.value);
      if (f.sel.size) f.details.open = true;
    }
  };
  // Reads a state from the address, if it holds one, and cleans the address. True if it did.
  const fromAddress = () => {
    const hash = location.hash.replace(/^#/, "");
    const p = new URLSearchParams(hash.includes("=") ? hash : location.search);
    const known = ["q", ...M.facet.map((f) => f.f)];
    if (![...p.keys()].some((k) => known.includes(k))) return false;
    fromParams(p);
    history.replaceState(history.state, "", location.pathname);
    return true;
  };
  // Any change makes a link shown earlier stale: hide it rather than offer the old state.
  const record = () => { ui.link.hidden = true; };
  const showLink = () => {
    const p = toParams().toString();
    ui.linkOut.value = new URL(location.pathname + (p ? "#" + p : ""), location.href).href;
    ui.link.hidden = false;
    ui.linkOut.focus();
    ui.linkOut.select();
  };

  // One search: text postings, facet filters, counts, then the first rows.
  let seq = 0, timer = 0, statusTimer = 0, results = [], shown = 0;
  const run = async () => {
    clearTimeout(timer);
    const mine = ++seq;
    ui.results.setAttribute("aria-busy", "true");
    const tokens = parse(ui.input.value);
    const active = M.facet.filter((f) => f.sel.size);
    const open = M.facet.filter((f) => f.sel.size || f.details.open);
    let lists;
    try {
      [lists] = await Promise.all([Promise.all(tokens.map(postings)), Promise.all(open.map(column))]);
    } catch (e) {
      if (mine === seq) {
        ui.error.hidden = false;
        ui.results.setAttribute("aria-busy", "false");
      }
      return;
    }
    if (mine !== seq) return;
    ui.error.hidden = true;
    const n = M.n, k = tokens.length;
    const hits = new Uint16Array(n), inTitle = new Uint16Array(n), stamp = new Int32Array(n).fill(-1);
    lists.forEach(([title, body], x) => {
      for (const l of title) for (const d of l) if (stamp[d] !== x) { stamp[d] = x; hits[d]++; inTitle[d]++; }
      for (const l of body) for (const d of l) if (stamp[d] !== x) { stamp[d] = x; hits[d]++; }
    });
    for (const f of active) {
      const want = new Set(f.v.filter((v) => f.sel.has(v[1])).map((v) => v[0]));
      f.ok = f.sets.map((set) => set.some((v) => want.has(v)));
    }
    const counts = open.map((f) => new Uint32Array(f.v.length));
    const buckets = [];
    for (let d = 0; d < n; d++) {
      if (hits[d] !== k) continue;
      let failed = null, fails = 0;
      for (const f of active) if (!f.ok[f.docs[d]] && ++fails === 1) failed = f;
      if (fails > 1) continue;
      // A facet's counts ignore its own ticks, so they say what ticking one more value adds.
      open.forEach((f, i) => {
        if (!fails || f === failed) for (const v of f.sets[f.docs[d]]) counts[i][v]++;
      });
      if (!fails) (buckets[inTitle[d]] = buckets[inTitle[d]] || []).push(d);
    }
    open.forEach((f, i) => f.v.forEach(([v]) => { f.counts[v].textContent = "(" + number(counts[i][v]) + ")"; }));
    results = buckets.reverse().flat();
    const searching = k > 0 || active.length > 0;
    ui.list.hidden = searching;
    ui.results.hidden = !searching;
    ui.none.hidden = results.length > 0;
    ui.rows.replaceChildren();
    shown = 0;
    if (searching) await more(mine);
    if (mine !== seq) return;
    ui.results.setAttribute("aria-busy", "false");
    clearTimeout(statusTimer);
    // Announced once typing pauses, not at every key.
    statusTimer = setTimeout(() => {
      const text = (forms[rules.select(results.length)] || forms.other).replace("{count}", number(results.length));
      if (ui.status.textContent !== text) ui.status.textContent = text;
    }, 400);
  };

  // Appends the next page of result rows; their chunks are fetched as needed.
  const more = async (mine) => {
    const ids = results.slice(shown, shown + PAGE);
    const chunks = new Map();
    const count = Math.ceil(M.n / M.chunk);
    const wanted = count <= WHOLE ? [...Array(count).keys()] : [...new Set(ids.map((d) => Math.floor(d / M.chunk)))];
    await Promise.all(wanted.map((c) =>
      get(new URL("d" + c + ".json", M.filesUrl)).then((rows) => chunks.set(c, rows))));
    if (mine !== seq) return null;
    const rows = ids.map((d) => row(chunks.get(Math.floor(d / M.chunk))[d % M.chunk]));
    ui.rows.append(...rows);
    shown += ids.length;
    ui.more.hidden = shown >= results.length;
    return rows[0];
  };
  const label = (facet, i) => M.facet.find((f) => f.f === facet).v.find((v) => v[0] === i)[2];
  const row = ([id, title, date, country, committees, status, titleLang]) => {
    const link = el("a", { href: id + "/" }, title);
    const first = el("td", {}, link, " ", el("span", { class: "case-id" }, el("bdi", { dir: "ltr" }, id)));
    if (titleLang) {
      link.lang = titleLang;
      link.dir = M.rtl.includes(titleLang) ? "rtl" : "ltr";
      first.append(" ", el("span", { class: "untranslated" }, "(" + box.dataset.untranslated + ")"));
    }
    return el("tr", {}, first,
      el("td", {}, el("time", { datetime: date }, dateText(date))),
      el("td", {}, label("country", country)),
      el("td", {}, el("bdi", { dir: "ltr" }, committees)),
      el("td", {}, label("status", status)));
  };

  const start = async () => {
    const r = await fetch(manifestUrl, { cache: "no-cache" });
    if (!r.ok) return giveUp();
    M = await r.json();
    M.filesUrl = new URL(M.files, manifestUrl);
    M.facetsUrl = new URL(M.facets, manifestUrl);
    const $ = (s) => box.querySelector(s);
    Object.assign(ui, {
      form: $("form"), input: $("#search-q"), status: $(".search-status"), error: $(".search-error"),
      results: $(".search-results"), rows: $(".search-results tbody"), none: $(".search-none"),
      more: $(".search-more"), list: document.getElementById("case-list"),
      link: $(".search-link"), linkOut: $("#search-link-url"),
    });
    // The page draws the facets the manifest lists; one it lacks is added at the end.
    for (const f of M.facet) {
      f.sel = new Set();
      f.details = box.querySelector(`.search-facet[data-facet="${f.f}"]`);
      if (!f.details) {
        f.details = el("details", { class: "search-facet", "data-facet": f.f }, el("summary", {}, f.label));
        $(".search-facets").append(f.details);
      }
      f.details.addEventListener("toggle", () => { if (f.details.open) run(); });
    }
    ui.input.addEventListener("input", () => {
      record();
      clearTimeout(timer);
      // Search at once when the files are here; fetch only once typing pauses.
      if (parse(ui.input.value).every((tok) => shardUrls(tok).every((url) => cache.has(url)))) run();
      else timer = setTimeout(run, 150);
    });
    ui.form.addEventListener("submit", (e) => { e.preventDefault(); run(); });
    $(".search-link-make").addEventListener("click", showLink);
    $(".search-clear").addEventListener("click", () => {
      ui.input.value = "";
      for (const f of M.facet) f.sel.clear();
      for (const input of box.querySelectorAll("input[type=checkbox]")) input.checked = false;
      record();
      run();
      ui.input.focus();
    });
    ui.more.addEventListener("click", async () => {
      const first = await more(seq);
      if (first) first.querySelector("a").focus();
    });
    // A fragment link opened while the page is open (pasted into the address bar).
    window.addEventListener("hashchange", () => { if (fromAddress()) { record(); run(); } });
    const browse = document.querySelector(".browse");
    if (browse) browse.hidden = true; // the form offers the same, with live counts
    box.classList.remove("search-pending");
    if (fromAddress()) run();
  };
  start().catch(giveUp);
})();
