// Compiles the app's wasm away from the page's main thread and hands the compiled module
// back to the page (which only instantiates it). On a phone, compiling the bundle takes
// seconds; done here, the page stays responsive meanwhile. Answers null when it cannot.
//
// Then, given a copy of the page, rehearses its hydration (rehearse.js), so that the code
// hydration runs is compiled here too, and says how far the rehearsal went: "complete", or
// "partial" when the model of the page fell short (what ran until then is compiled all the
// same).
"use strict";

// Whatever goes wrong in the rehearsal stays in this worker: the page has its module already.
let moduleSent = false;
let fellShort = false;
self.addEventListener("error", (event) => {
  if (!moduleSent) return;
  fellShort = true;
  event.preventDefault();
});
self.addEventListener("unhandledrejection", (event) => {
  fellShort = true;
  event.preventDefault();
});

async function rehearse(module, page) {
  try {
    importScripts("/pkg/rehearse.js");
    const bundle = await import("/pkg/antq.js");
    self.rehearse.stage(page);
    bundle.initSync({ module });
    bundle.hydrate();
    // Effects run after hydration, in later microtasks and tasks.
    await new Promise((resolve) => setTimeout(resolve, 0));
  } catch (_) {
    fellShort = true;
  }
  postMessage({ rehearsal: fellShort ? "partial" : "complete" });
}

onmessage = (event) => {
  const { wasm, page } = event.data;
  const response = fetch(wasm);
  const compiled =
    typeof WebAssembly.compileStreaming === "function"
      ? WebAssembly.compileStreaming(response)
      : response.then((r) => r.arrayBuffer()).then((bytes) => WebAssembly.compile(bytes));
  compiled.then(
    (module) => {
      postMessage(module);
      moduleSent = true;
      if (page) rehearse(module, page);
    },
    () => postMessage(null),
  );
};
