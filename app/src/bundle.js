// Loads the browser bundle and hydrates the page, once the server-rendered page has painted
// (the bundle's download must not hold back the first paint). The wasm is compiled by a
// worker where the browser allows it, so that the page stays responsive meanwhile; if the
// worker cannot, the page compiles it itself.
(() => {
  const wasm = "/pkg/antq_bg.wasm";
  const compiled = () =>
    new Promise((resolve) => {
      try {
        const worker = new Worker("/pkg/compile.js");
        const done = (module) => {
          worker.terminate();
          resolve(module || wasm);
        };
        worker.onmessage = (event) => done(event.data);
        worker.onerror = () => done(null);
        worker.postMessage(wasm);
      } catch (_) {
        resolve(wasm);
      }
    });
  // Instantiating and hydrating are two tasks, with the browser free to handle input or
  // paint between them.
  const nextTask = () => new Promise((resolve) => window.setTimeout(resolve, 0));
  const load = () =>
    Promise.all([import("/pkg/antq.js"), compiled()]).then(([bundle, module]) =>
      bundle
        .default({ module_or_path: module })
        .then(() => {
          // Which way the wasm was compiled (the end2end tests expect the worker).
          document.documentElement.dataset.wasmCompiled = module === wasm ? "page" : "worker";
        })
        .then(nextTask)
        .then(() => bundle.hydrate()),
    );
  if ("requestIdleCallback" in window) {
    // The timeout keeps a page that is never idle from staying inert.
    window.requestIdleCallback(load, { timeout: 2000 });
  } else {
    window.setTimeout(load, 0);
  }
})();
