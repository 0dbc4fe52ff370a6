// Firefox for the engine tests (tests/engines/drivers.py): Debian's firefox-esr, driven through its
// built-in WebDriver BiDi by puppeteer-core (installed by build.py's ensure_engines, which never
// lets it download a browser). The Python side sends one JSON command a line on stdin and reads one
// JSON answer a line on stdout: {id, value} or {id, error}. Logs go to stderr.
//
//   node firefox.mjs <node_modules folder> <firefox binary> <width> <height>
import { createRequire } from "node:module";
import path from "node:path";
import readline from "node:readline";

const [modules, executablePath, width, height] = process.argv.slice(2);
const puppeteer = createRequire(path.join(modules, "noop.js"))("puppeteer-core");

const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath,
  headless: true,
  defaultViewport: { width: Number(width), height: Number(height) },
  protocolTimeout: 300_000,
});
const tabs = [];
let page = null;
const pageErrors = []; // uncaught errors in any tab, as "tab N: message"

function adopt(tab) {
  const index = tabs.push(tab) - 1;
  tab.setDefaultTimeout(180_000);
  tab.on("pageerror", (error) => pageErrors.push(`tab ${index}: ${error.message ?? error}`));
  return index;
}
page = (await browser.pages())[0] ?? (await browser.newPage());
adopt(page);

// The element, scrolled to the middle of the view (where no sticky bar of the page covers it).
const element = async (selector) => {
  const handle = await page.$(selector);
  if (!handle) throw new Error(`no element matches ${selector}`);
  await handle.evaluate((e) => e.scrollIntoView({ block: "center" }));
  return handle;
};

const ops = {
  // A script (the source of a function, async or not) called with arg in the page; its result.
  eval: ({ fn, arg }) => page.evaluate(`(${fn})(${JSON.stringify(arg ?? null)})`),
  goto: async ({ url }) => { await page.goto(url, { waitUntil: "load" }); },
  reload: async () => { await page.reload({ waitUntil: "load" }); },
  // Real input: the mouse at the element's centre (scrolled into view), keys to the focused element.
  click: async ({ selector }) => { await (await element(selector)).click(); },
  press: async ({ selector, key }) => {
    await (await element(selector)).focus();
    await page.keyboard.press(key === "Space" ? " " : key); // BiDi knows the space bar only as " "
  },
  type: async ({ selector, text }) => {
    const input = await element(selector);
    await input.click({ count: 3 }); // selects what is there, so that the text replaces it
    await page.keyboard.type(text);
  },
  newTab: async ({ url }) => {
    page = await browser.newPage();
    const index = adopt(page);
    await page.goto(url, { waitUntil: "load" });
    return index;
  },
  closeTab: async ({ index }) => {
    await tabs[index].close();
    page = tabs[0];
    await page.bringToFront();
  },
  errors: () => pageErrors,
  version: () => browser.version(),
  close: async () => { await browser.close(); },
};

const send = (answer) => process.stdout.write(JSON.stringify(answer) + "\n");
send({ id: 0, value: "ready" });
for await (const line of readline.createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const { id, op, ...args } = JSON.parse(line);
  try {
    const value = await ops[op](args);
    send({ id, value: value === undefined ? null : value });
  } catch (error) {
    send({ id, error: String(error?.stack ?? error) });
  }
  if (op === "close") break;
}
process.exit(0);
