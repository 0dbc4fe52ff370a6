// What a host must send the start's files as, and the plain words that tell its admin when it
// does not. Browsers run a script only when it comes with a JavaScript type; a page (a sign-in
// or error page) sent in place of a file, or an HTTP error, stops the start too.

// The JavaScript types browsers accept (the WHATWG list; Moodle's application/x-javascript is one).
const JAVASCRIPT = /^(?:text|application)\/(?:x-)?(?:javascript|ecmascript)$|^text\/(?:javascript1\.[0-5]|jscript|livescript)$/;

// A content-type header's type alone, lower case ("" for none).
export const essence = (type) => (type || "").split(";")[0].trim().toLowerCase();

// The sentence for the site's admin when the host answered rel with this status and type, or
// null when nothing is wrong with that answer.
export function hostProblem(rel, status, type) {
  const kind = essence(type) || "a file without a type";
  if (status === 404) {
    return `Your site answered "not found" (HTTP 404) for ${rel}. Ask the site's admin to upload the lesson again, `
      + "with every file of its folder.";
  }
  if (status >= 400) return `Your site refused ${rel} (HTTP ${status}). Ask the site's admin to let every file of the lesson be downloaded.`;
  if (/\.m?js$/.test(rel) && !JAVASCRIPT.test(essence(type))) {
    return `Your site served ${rel} as ${kind}; browsers run scripts only when they come as JavaScript. `
      + "Ask the site's admin to serve .js files as text/javascript.";
  }
  if (/\.(?:wasm|zip|whl|json)$/.test(rel) && /^text\/html$/.test(essence(type))) {
    return `Your site served a web page (text/html) in place of ${rel}, perhaps a sign-in or error page. `
      + `Ask the site's admin to serve the lesson's files as they are${rel.endsWith(".wasm") ? ", .wasm files as application/wasm" : ""}.`;
  }
  return null;
}

// Asks the host for rel again (with `get`, fetch by default) and returns what is wrong with its
// answer (null: nothing found, or no answer at all).
export async function checkServed(url, rel, get = fetch) {
  try {
    const response = await get(url, { cache: "no-store" });
    response.body?.cancel().catch(() => {});
    return hostProblem(rel, response.status, response.headers.get("content-type"));
  } catch {
    return null;
  }
}
