// Starts the app's scripts after the first paint. Deferred scripts run when parsing ends, before the browser's first
// frame, so blazor.web.js and MudBlazor's scripts (90–170 ms of the main thread on 2 cores) would hold back the paint of
// the prerendered page; here they are added once that frame is drawn, in order (async = false keeps their order).
(() => {
  const sources = document.currentScript.dataset.scripts.split(" ").filter((s) => s);
  const load = () => {
    for (const src of sources) {
      const script = document.createElement("script");
      script.src = src;
      script.async = false;
      document.body.appendChild(script);
    }
  };
  // A page opened in a background tab draws no frame until shown: nothing to wait for there.
  if (document.visibilityState === "hidden") load();
  else requestAnimationFrame(() => setTimeout(load, 0));
})();
