// Loads the browser bundle and hydrates the page, once the server-rendered page has painted
// (the bundle's download must not hold back the first paint). The wasm is compiled by a
// worker where the browser allows it, so that the page stays responsive meanwhile; if the
// worker cannot, the page compiles it itself. The worker then rehearses hydrating a copy of
// the page, which compiles the code hydration runs; the page hydrates once it has (or after
// a few seconds, whatever the worker is doing).
(() => {
  const wasm = "/pkg/antq_bg.wasm";
  // How long the page waits for the rehearsal once it has the module.
  const rehearsalLimit = 4000;
  const compiled = () =>
    new Promise((resolve) => {
      const byPage = { module: wasm, rehearsal: Promise.resolve("none") };
      try {
        const worker = new Worker("/pkg/compile.js");
        // The rehearsal's outcome, once the module is here.
        let rehearsed = () => {};
        const rehearsal = () =>
          new Promise((done) => {
            rehearsed = done;
            window.setTimeout(() => done("timed out"), rehearsalLimit);
          }).then((outcome) => {
            worker.terminate();
            return outcome;
          });
        worker.onmessage = ({ data }) => {
          if (data && data.rehearsal) rehearsed(data.rehearsal);
          else if (data) resolve({ module: data, rehearsal: rehearsal() });
          else resolve(byPage);
        };
        worker.onerror = () => {
          rehearsed("none");
          resolve(byPage);
        };
        worker.postMessage({
          wasm,
          page: {
            html: document.documentElement.outerHTML,
            href: window.location.href,
            globals: {
              __RESOLVED_RESOURCES: window.__RESOLVED_RESOURCES,
              __SERIALIZED_ERRORS: window.__SERIALIZED_ERRORS,
              __PENDING_RESOURCES: window.__PENDING_RESOURCES,
              __INCOMPLETE_CHUNKS: window.__INCOMPLETE_CHUNKS,
            },
          },
        });
      } catch (_) {
        resolve(byPage);
      }
    });
  // Instantiating and hydrating are two tasks, with the browser free to handle input or
  // paint between them.
  const nextTask = () => new Promise((resolve) => window.setTimeout(resolve, 0));
  const load = () =>
    Promise.all([import("/pkg/antq.js"), compiled()]).then(([bundle, { module, rehearsal }]) =>
      bundle
        .default({ module_or_path: module })
        .then(() => rehearsal)
        .then((outcome) => {
          // How the wasm was compiled and the hydration rehearsed (the end2end tests check).
          const data = document.documentElement.dataset;
          data.wasmCompiled = module === wasm ? "page" : "worker";
          data.rehearsal = outcome;
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
