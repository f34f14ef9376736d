// Interactive charts, as an enhancement: each figure keeps its server-made SVG and data table;
// when Vega is there (assets/vega/vega.js), the SVG is swapped for an interactive view of the
// same Vega-Lite spec, with tooltips. Expressions go through vega-interpreter, so the site's
// Content-Security-Policy needs neither 'unsafe-eval' nor inline styles.
import { expressionInterpreter } from "./vendor/vega-interpreter.js";

const OPTIONS = {
  ast: true,
  expr: expressionInterpreter,
  actions: false,
  defaultStyle: false,
  renderer: "svg",
  tooltip: { disableDefaultStyle: true },
  i18n: { COMPILED_ACTION: "", EDITOR_ACTION: "", PNG_ACTION: "", SVG_ACTION: "" },
};

const NARROW = 480; // pixels

async function enhance(figure) {
  const response = await fetch(figure.dataset.spec);
  const spec = await response.json();
  // The static SVG has a fixed width; the interactive chart follows its container.
  spec.width = "container";
  spec.autosize = { type: "fit-x", contains: "padding" };
  // On a phone a legend of three or more columns (a comparison: one row per sector) would run
  // past the chart: there it lists one series per line.
  if (figure.clientWidth < NARROW) {
    for (const part of [spec, ...(spec.layer || [])]) {
      const legend = part.encoding?.color?.legend;
      if (legend && legend.columns > 2) legend.columns = 1;
    }
  }
  // Screen readers keep the static chart's text alternative and the table; the interactive
  // view is for the eye and the mouse only.
  spec.config = { ...spec.config, aria: false };
  const target = document.createElement("div");
  target.className = "chart-interactive";
  target.setAttribute("aria-hidden", "true");
  figure.querySelector(".chart-view").after(target);
  try {
    await window.vegaEmbed(target, spec, OPTIONS);
    figure.classList.add("is-interactive");
  } catch (error) {
    target.remove();
    console.warn("Interactieve grafiek niet getoond; de vaste grafiek blijft staan.", error);
  }
}

if (typeof window.vegaEmbed === "function") {
  for (const figure of document.querySelectorAll("figure[data-spec]")) {
    enhance(figure);
  }
}
