// captum4j Insights page: plain JavaScript, no third-party code, same-origin JSON API.
"use strict";

const state = { config: null, lastRequest: null };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  };
  const response = await fetch(path, init);
  const data = await response.json();
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

function status(text, error) {
  const s = document.getElementById("status");
  s.textContent = text;
  s.className = error ? "error" : "";
}

function renderArguments() {
  const box = document.getElementById("arguments");
  box.replaceChildren();
  const method = document.getElementById("method").value;
  const args = state.config.methodArguments[method] || {};
  for (const [name, cfg] of Object.entries(args)) {
    const id = "arg-" + name;
    box.append(el("label", { for: id, text: name }));
    let input;
    if (cfg.type === "enum") {
      input = el("select", { id, "data-arg": name });
      for (const choice of cfg.limit) input.append(el("option", { value: choice, text: choice }));
      input.value = cfg.value;
    } else {
      input = el("input", { id, "data-arg": name, type: cfg.type === "number" ? "number" : "text" });
      if (cfg.type === "number") {
        input.min = cfg.limit[0];
        input.max = cfg.limit[1];
        input.step = cfg.integer ? "1" : "any";
      }
      input.value = cfg.value;
    }
    box.append(input);
  }
}

function request() {
  const method = document.getElementById("method").value;
  const args = {};
  for (const input of document.querySelectorAll("#arguments [data-arg]")) {
    const cfg = state.config.methodArguments[method][input.dataset.arg];
    args[input.dataset.arg] = cfg.type === "number" ? Number(input.value) : input.value;
  }
  const classes = [...document.querySelectorAll("#class-filter input:checked")].map((c) => c.value);
  return {
    requestId: newRequestId(),
    attributionMethod: method,
    arguments: args,
    prediction: document.getElementById("prediction").value,
    classes,
    numExamples: Number(document.getElementById("num-examples").value),
  };
}

function newRequestId() {
  return "r" + Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
}

// Polls the server for the progress of one request until stop() is called.
function trackProgress(requestId, label) {
  const bar = document.getElementById("progress");
  bar.hidden = false;
  bar.removeAttribute("value");
  let stopped = false;
  const poll = async () => {
    if (stopped) return;
    try {
      const response = await fetch("api/progress?id=" + encodeURIComponent(requestId));
      if (response.ok && !stopped) {
        const p = await response.json();
        // the call may have finished while the body was read: never overwrite its final status
        if (p.total > 0 && !stopped) {
          bar.max = p.total;
          bar.value = p.done;
          status(label + " " + p.done + "/" + p.total + " (" + p.task + ")");
          document.body.dataset.progress = p.done + "/" + p.total;
        }
      }
    } catch (e) {
      // progress is best effort
    }
    if (!stopped) timer = setTimeout(poll, 250);
  };
  let timer = setTimeout(poll, 100);
  return () => {
    stopped = true;
    clearTimeout(timer);
    bar.hidden = true;
  };
}

function bars(labels, values) {
  const box = el("div", { class: "bars" });
  labels.forEach((label, i) => {
    const v = values[i];
    const bar = el("div", { class: "bar " + (v >= 0 ? "pos" : "neg") });
    bar.style.width = Math.min(50, Math.abs(v) / 2) + "%";
    box.append(el("div", { class: "bar-row" },
      el("span", { text: label }),
      el("div", { class: "bar-track" }, bar),
      el("span", { text: v.toFixed(1) })));
  });
  return box;
}

function renderFeature(f) {
  const box = el("div", { class: "feature feature-" + f.type });
  box.append(el("h3", { text: f.name + " (" + f.type + ")" }));
  if (f.type === "image") {
    const fig = (src, cls, caption) => el("figure", {},
      el("img", { src, class: cls, alt: caption + " of " + f.name }),
      el("figcaption", { text: caption }));
    box.append(el("div", { class: "images" },
      fig(f.original, "original", "Original"),
      fig(f.heatMap, "attribution heat-map", "Attribution magnitude"),
      fig(f.overlay, "attribution overlay", "Overlay (green +, red \u2212)")));
  } else if (f.type === "text") {
    const p = el("p", { class: "tokens" });
    f.base.forEach((token, i) => {
      const span = el("span", { class: "token attribution", text: token, title: f.modified[i].toFixed(1) });
      span.style.backgroundColor = f.colors[i];
      p.append(span, " ");
    });
    box.append(p);
  } else {
    box.append(bars(f.base, f.modified));
  }
  return box;
}

function renderExample(out) {
  const card = el("article", { class: "example", "data-instance": out.instance, "data-model-index": out.modelIndex });
  const labels = el("div", { class: "predictions" }, el("h3", { text: "Predicted" }));
  for (const p of out.predicted) {
    const correct = out.actual && out.actual.index === p.index;
    const button = el("button", {
      type: "button",
      class: "label" + (p.index === out.activeIndex ? " active" : "") + (correct ? " correct" : ""),
      "data-index": p.index,
      title: "Explain this class",
    }, el("span", { text: p.label }), el("span", { text: p.score.toFixed(3) }));
    button.addEventListener("click", () => reattribute(card, out.instance, out.modelIndex, p.index));
    labels.append(button);
  }
  labels.append(el("h3", { text: "Label" }));
  if (out.actual) {
    const right = out.predicted.length && out.predicted[0].index === out.actual.index;
    labels.append(el("div", { class: "label truth " + (right ? "correct" : "wrong") },
      el("span", { text: out.actual.label }), el("span", { text: right ? "correct" : "incorrect" })));
  } else {
    labels.append(el("div", { class: "label truth", text: "unknown" }));
  }
  const contributions = el("div", { class: "contributions" }, el("h3", { text: "Feature contributions (%)" }),
    bars(out.featureOutputs.map((f) => f.name), out.featureOutputs.map((f) => 100 * f.contribution)));
  const features = el("div", { class: "features" });
  out.featureOutputs.forEach((f) => features.append(renderFeature(f)));
  card.append(labels, contributions, features);
  return card;
}

async function reattribute(card, instance, modelIndex, labelIndex) {
  if (!state.lastRequest) return;
  const label = "Explaining class " + state.config.classes[labelIndex] + "\u2026";
  status(label);
  const body = {
    requestId: newRequestId(),
    attributionMethod: state.lastRequest.attributionMethod,
    arguments: state.lastRequest.arguments,
    instance,
    modelIndex,
    labelIndex,
  };
  const stop = trackProgress(body.requestId, label);
  try {
    const again = await api("api/attribute", body);
    card.replaceWith(renderExample(again));
    status("Explained class " + state.config.classes[labelIndex] + ".");
  } catch (e) {
    status(e.message, true);
  } finally {
    stop();
  }
}

async function fetchExamples(event) {
  if (event) event.preventDefault();
  const button = document.getElementById("fetch");
  const body = request();
  button.disabled = true;
  const label = "Computing " + body.attributionMethod + "\u2026";
  status(label);
  const stop = trackProgress(body.requestId, label);
  try {
    const outputs = await api("api/fetch", body);
    state.lastRequest = body;
    const results = document.getElementById("results");
    results.replaceChildren(...outputs.map(renderExample));
    if (!outputs.length) results.append(el("p", { class: "empty", text: "No example matches these filters." }));
    status(outputs.length + " result(s) with " + body.attributionMethod + ".");
    document.body.dataset.loaded = String(Date.now());
  } catch (e) {
    status(e.message, true);
  } finally {
    stop();
    button.disabled = false;
  }
}

// The server renders the page complete (methods, classes, the default method's arguments, the
// first examples explained) and embeds its configuration; the script only adds behaviour.
async function init() {
  const embedded = document.getElementById("insights-config");
  try {
    state.config = embedded ? JSON.parse(embedded.textContent) : await api("api/init");
  } catch (e) {
    status("Could not load the configuration: " + e.message, true);
    return;
  }
  const methods = document.getElementById("method");
  if (!methods.options.length) {
    for (const m of state.config.methods) methods.append(el("option", { value: m, text: m }));
    methods.value = state.config.selectedMethod;
  }
  methods.addEventListener("change", renderArguments);
  if (!document.querySelector("#arguments [data-arg]")) renderArguments();
  const filter = document.getElementById("class-filter");
  if (!filter.querySelector("input")) {
    for (const c of state.config.classes) {
      filter.append(el("label", {}, el("input", { type: "checkbox", value: c }), c));
    }
  }
  // The first state (the default method's examples) came rendered from the server: make its class
  // buttons explain their class, as those of fetched examples do.
  const first = document.querySelectorAll("#results .example");
  if (first.length) state.lastRequest = { attributionMethod: state.config.selectedMethod, arguments: {} };
  for (const card of first) {
    for (const button of card.querySelectorAll(".predictions button.label")) {
      button.addEventListener("click", () => reattribute(card, Number(card.dataset.instance),
        Number(card.dataset.modelIndex), Number(button.dataset.index)));
    }
  }
  document.getElementById("filters").addEventListener("submit", fetchExamples);
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", init);
