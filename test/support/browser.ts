/**
 * One headless Chromium page for a describe block: launched before its tests, closed after them.
 * Call inside `describeWith([requirements.chromium], ...)`, so machines without Chromium skip.
 */
import { CHROMIUM } from "./requirements";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function chromiumPage(): () => any {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let browser: any, page: any;
  beforeAll(async () => {
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox"] });
    page = await browser.newPage();
  }, 30000);
  afterAll(async () => { await browser?.close(); });
  return () => page;
}
