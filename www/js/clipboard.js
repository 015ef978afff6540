// Copying text for the user, also where the page has no clipboard access (then the
// text is selected in its input for Ctrl+C).

/** Copies text to the clipboard, with a fallback for pages without clipboard access. */
export async function copyText(text, input) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (input) {
      input.focus();
      input.select();
      try {
        return document.execCommand("copy");
      } catch {
        return false;
      }
    }
    return false;
  }
}
