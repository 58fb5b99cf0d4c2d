// Reading our server-rendered forms (login and second-factor pages) the way a
// browser would submit them.

// Character references as HtmlEncoder writes them (numeric, and the named ones for & < > ").
export const unescapeHtml = (s) =>
  s.replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d) => String.fromCodePoint(parseInt(d, 10)))
    .replace(/&(quot|lt|gt|amp);/g, (_, n) => ({ quot: '"', lt: "<", gt: ">", amp: "&" })[n]);

// The hidden fields of the page's form, as our login pages write them.
export const hiddenInputs = (html) =>
  Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], unescapeHtml(m[2])]));
