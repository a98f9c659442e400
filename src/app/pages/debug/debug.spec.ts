import { TestBed } from '@angular/core/testing';

import { authError } from '../../auth/core';
import { FakeAuthBackend, JANE } from '../../auth/angular/testing/fake-auth-backend';
import { untilState } from '../../auth/angular/testing/provide-test-auth';
import { renderPage, type RenderedPage } from '../testing/render-page';
import { Debug } from './debug';

function setClipboard(writeText: ((text: string) => Promise<void>) | undefined): void {
  Object.defineProperty(navigator, 'clipboard', { configurable: true, value: writeText ? { writeText } : undefined });
}

async function render(backend = new FakeAuthBackend({ session: JANE })): Promise<RenderedPage<Debug>> {
  const page = await renderPage(Debug, { backend });
  await untilState(page.auth, backend.port.storage.session ? 'authenticated' : 'idle');
  await page.settle();
  return page;
}

describe('Debug page', () => {
  afterEach(() => {
    setClipboard(undefined);
    TestBed.resetTestingModule();
  });

  it('shows the current state and follows the machine', async () => {
    const page = await render(new FakeAuthBackend());
    expect(page.byTestId('debug-state')?.textContent).toBe('idle');
    page.auth.signIn();
    await untilState(page.auth, 'signingIn.redirecting');
    await page.settle();
    expect(page.byTestId('debug-state')?.textContent).toBe('signingIn.redirecting.waiting');
  });

  it('shows the context with the address in full, as home shows it, and its times as dates', async () => {
    const page = await render();
    const context = page.byTestId('debug-context')!.textContent!;
    expect(context).toContain('"email": "jane@example.com"');
    expect(context).not.toContain('j***@example.com');
    expect(context).toContain('"callback": "absent"');
    // iat 1700000000 is 14 November 2023; shown as a date with its zone, the raw number kept.
    expect(context).toMatch(/"iat": "[^"]*2023[^"]*\(1700000000\)"/);
    expect(page.byTestId('id-issued')?.textContent).toMatch(/2023.*\(.*ago\)/);
  });

  it('lists the transitions, newest first, with event, from → to and error kind', async () => {
    const page = await render(new FakeAuthBackend());
    page.auth.signIn();
    page.auth.cancel();
    await untilState(page.auth, 'idle');
    await page.settle();
    const rows = [...page.fixture.nativeElement.querySelectorAll('[data-testid="flight-entry"]')].map((row: Element) =>
      [...row.querySelectorAll('td')].slice(1).map((cell) => cell.textContent?.trim()),
    );
    // Events in words, the machine's name beside them; a cancelled sign-in is a notice, not an error.
    expect(rows[0]).toEqual(['Cancel pressed CANCEL', 'signingIn.redirecting.opening → idle', 'Notice: not finished']);
    expect(rows[1]).toEqual(['Sign-in requested SIGN_IN', 'idle → signingIn.redirecting.opening', '']);
    expect(rows.at(-1)?.[0]).toBe('App started xstate.init');
    expect(rows.at(-1)?.[1]).toBe('(start) → booting');
    const cells = page.fixture.nativeElement.querySelectorAll('[data-testid="flight-entry"] td') as NodeListOf<HTMLElement>;
    expect(cells[1]?.getAttribute('title')).toBe('CANCEL');
    expect(cells[3]?.getAttribute('data-error-kind')).toBe('cancelled');
    expect(page.text()).not.toContain('xstate.done.actor.restore Stored');
  });

  it("names the machine's internal events in words and shows an error as an error", async () => {
    const backend = new FakeAuthBackend();
    backend.port.failNext('startSignIn', authError({ kind: 'network', code: 'network_error', step: 'redirect' }));
    const page = await render(backend);
    page.auth.signIn();
    await untilState(page.auth, 'error');
    await page.settle();
    const rows = [...page.fixture.nativeElement.querySelectorAll('[data-testid="flight-entry"]')].map((row: Element) =>
      [...row.querySelectorAll('td')].slice(1).map((cell) => cell.textContent?.trim()),
    );
    expect(rows[0]?.[0]).toBe('Opening the sign-in page failed xstate.error.actor.startSignIn');
    expect(rows[0]?.[2]).toBe('Error: no connection');
    expect(rows.at(-2)?.[0]).toMatch(/^Stored session read xstate\.done\.actor\.restore$/);
  });

  it('copies a JSON report without personal data, tokens or callback refs', async () => {
    const copied: string[] = [];
    setClipboard(async (text) => void copied.push(text));
    const backend = new FakeAuthBackend();
    const page = await render(backend);
    page.auth.signIn();
    await untilState(page.auth, 'signingIn.redirecting');
    backend.port.hold('completeSignIn');
    backend.port.completeBrowserSignIn();
    await untilState(page.auth, 'signingIn.callback');
    await page.settle();

    (page.byTestId('copy-report') as HTMLElement).click();
    await page.settle();

    expect(page.byTestId('copy-status')?.textContent).toContain('Report copied');
    expect(copied).toHaveLength(1);
    const report = JSON.parse(copied[0]);
    expect(report.state).toBe('signingIn.callback');
    expect(report.context.callback).toBe('present');
    expect(report.entries.length).toBeGreaterThan(2);
    expect(copied[0]).not.toContain('cb-1');
    expect(copied[0]).not.toMatch(/"(access|id|refresh)_?token"|Bearer|code=|https?:\/\//i);
  });

  it('shows the report to copy by hand when the clipboard is not available', async () => {
    const page = await render();
    (page.byTestId('copy-report') as HTMLElement).click();
    await page.settle();
    expect(page.byTestId('copy-status')?.textContent).toContain('select the report below');
    expect(JSON.parse(page.byTestId('report-json')!.textContent!).state).toBe('authenticated');
    // The report to paste elsewhere keeps the address masked.
    expect(page.byTestId('report-json')!.textContent).toContain('j***@example.com');
    expect(page.byTestId('report-json')!.textContent).not.toContain('jane@example.com');
  });
});
