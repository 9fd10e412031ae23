// Compiles the app's wasm away from the page's main thread and hands the compiled module
// back to the page (which only instantiates it). On a phone, compiling the bundle takes
// seconds; done here, the page stays responsive meanwhile. Answers null when it cannot.
onmessage = (event) => {
  const response = fetch(event.data);
  const compiled =
    typeof WebAssembly.compileStreaming === "function"
      ? WebAssembly.compileStreaming(response)
      : response.then((r) => r.arrayBuffer()).then((bytes) => WebAssembly.compile(bytes));
  compiled.then(
    (module) => postMessage(module),
    () => postMessage(null),
  );
};
