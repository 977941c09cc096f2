// Checks run in the browser by tests/billbot/web/test_browser.py: each returns a list of problems
// (empty: none). HTML basics and WCAG AA contrast, measured on the page as Chromium lays it out.

function structureProblems() {
  const problems = [];
  if (!document.documentElement.lang) problems.push("no lang on <html>");
  if (!document.title.trim()) problems.push("no <title>");
  if (document.querySelectorAll("main").length !== 1) problems.push("not exactly one <main>");
  const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")];
  if (headings.filter((h) => h.tagName === "H1").length !== 1) problems.push("not exactly one <h1>");
  let level = 0;
  for (const heading of headings) {
    const next = Number(heading.tagName[1]);
    if (next > level + 1) problems.push(`heading skips a level: ${heading.tagName} "${heading.textContent}"`);
    if (!heading.textContent.trim()) problems.push(`empty ${heading.tagName}`);
    level = next;
  }
  for (const section of document.querySelectorAll("section")) {
    const label = section.getAttribute("aria-labelledby");
    if (!label || !document.getElementById(label)) problems.push(`section ${section.id} has no heading label`);
  }
  const ids = [...document.querySelectorAll("[id]")].map((e) => e.id);
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (repeated.length) problems.push(`repeated ids: ${repeated.join(", ")}`);
  for (const link of document.querySelectorAll("a")) {
    if (!link.textContent.trim()) problems.push(`link without text: ${link.href}`);
  }
  for (const button of document.querySelectorAll("button")) {
    if (!button.textContent.trim()) problems.push("button without text");
  }
  return problems;
}

function labelProblems() {
  const problems = [];
  for (const field of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
    const labelled = field.labels.length > 0 || field.getAttribute("aria-label");
    if (!labelled) problems.push(`field without a label: ${field.name || field.id}`);
  }
  return problems;
}

function tableProblems() {
  const problems = [];
  for (const table of document.querySelectorAll("table")) {
    const caption = table.querySelector("caption");
    if (!caption || !caption.textContent.trim()) problems.push("table without a caption");
    const headers = table.querySelectorAll("thead th[scope=col]");
    const columns = table.querySelector("thead tr") ? table.querySelector("thead tr").children.length : 0;
    if (!headers.length || headers.length !== columns) problems.push(`table without column headers: ${caption && caption.textContent}`);
    for (const row of table.querySelectorAll("tbody tr")) {
      if (row.children.length > 1 && !row.querySelector("th[scope=row]")) problems.push("row without a row header");
    }
  }
  return problems;
}

function chartProblems() {
  const problems = [];
  for (const svg of document.querySelectorAll("svg")) {
    if (getComputedStyle(svg).display === "none") continue; // the other frame's variant
    if (svg.getAttribute("role") !== "img") problems.push("svg without role=img");
    const names = (svg.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
    const text = names.map((id) => (document.getElementById(id) || {}).textContent || "").join(" ").trim();
    if (!text) problems.push("svg without an accessible name");
    const box = svg.getBoundingClientRect();
    if (box.width < 100 || box.height < 50) problems.push(`svg too small: ${box.width}x${box.height}`);
  }
  return problems;
}

function luminance(colour) {
  const [r, g, b] = colour.match(/[\d.]+/g).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function background(element) {
  for (let e = element; e; e = e.parentElement) {
    const colour = getComputedStyle(e).backgroundColor;
    const parts = colour.match(/[\d.]+/g);
    if (parts && (parts.length < 4 || Number(parts[3]) > 0.5)) return colour;
  }
  return "rgb(255, 255, 255)";
}

function contrastProblems() {
  const problems = [];
  for (const element of document.querySelectorAll("body *")) {
    const texts = [...element.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim());
    if (!texts.length || !element.getClientRects().length) continue;
    const style = getComputedStyle(element);
    if (style.visibility === "hidden" || style.display === "none") continue;
    const inSvg = element instanceof SVGElement;
    const fg = inSvg ? style.fill : style.color;
    const bg = background(inSvg ? element.closest("svg") : element);
    const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      problems.push(`${element.tagName} "${texts[0].textContent.trim().slice(0, 40)}": ${ratio.toFixed(2)}:1`);
    }
  }
  return problems;
}

function overflowProblems() {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) {
    problems.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${width}px window`);
  }
  for (const panel of document.querySelectorAll(".panel")) {
    if (panel.getBoundingClientRect().right > width + 1) problems.push(`panel ${panel.id} sticks out`);
  }
  return problems;
}

function structure() {
  const kept = new Set(["H1", "H2", "H3", "CAPTION", "DT", "LABEL", "BUTTON", "A", "SUMMARY", "OPTION"]);
  const lines = [];
  for (const element of document.body.querySelectorAll("*")) {
    const tag = element.tagName.toLowerCase();
    if (element.closest("svg") && tag !== "svg") continue;
    let line = tag + (element.id ? `#${element.id}` : "");
    if (element.getAttribute("class")) line += `.${element.getAttribute("class")}`;
    if (kept.has(element.tagName) || (tag === "th" && element.closest("thead"))) {
      line += ` ${element.textContent.trim()}`;
    }
    lines.push(line);
  }
  return lines.join("\n");
}
