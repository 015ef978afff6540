// Waiting between live updates: the page does not poll while its tab is in the
// background, so every wait ends only once the page is visible again.

/** Resolves at once when the page is visible, else when it becomes visible. */
export function whenVisible() {
  if (document.visibilityState !== "hidden") return Promise.resolve();
  return new Promise((resolve) => {
    const onChange = () => {
      if (document.visibilityState === "hidden") return;
      document.removeEventListener("visibilitychange", onChange);
      resolve();
    };
    document.addEventListener("visibilitychange", onChange);
  });
}
