import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { installWithApt } from './prerequisites';

/** Debian's Chromium: playwright-core drives it; no browser download (none can work offline). */
export const chromiumPath = '/usr/bin/chromium';

/**
 * Installs Debian's `chromium` package when it is missing (as root on Debian), else names it.
 */
export async function ensureChromium(log: (line: string) => void = console.log): Promise<string> {
  if (fs.existsSync(chromiumPath)) return chromiumPath;
  const canApt = process.getuid?.() === 0 && fs.existsSync('/etc/debian_version');
  if (!canApt)
    throw new Error(`Chromium is missing: install Debian's chromium package (${chromiumPath})`);
  await installWithApt(['chromium'], log);
  if (!fs.existsSync(chromiumPath))
    throw new Error(`chromium installed, yet ${chromiumPath} is missing`);
  return chromiumPath;
}

/**
 * Headless Chromium as root (hence --no-sandbox) on a machine with no outside network: without
 * the background-networking and component-update switches it keeps trying to reach Google's
 * hosts. Playwright gives it a fresh profile, removed on close.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: await ensureChromium(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--disable-extensions',
    ],
  });
}
