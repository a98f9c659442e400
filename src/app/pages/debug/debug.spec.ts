import { TestBed } from '@angular/core/testing';

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

  it('shows the context with the email masked', async () => {
    const page = await render();
    const context = page.byTestId('debug-context')!.textContent!;
    expect(context).toContain('j***@example.com');
    expect(context).not.toContain('jane@example.com');
    expect(context).toContain('"callback": "absent"');
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
    expect(rows[0]).toEqual(['CANCEL', 'signingIn.redirecting.opening → idle', 'cancelled']);
    expect(rows[1]).toEqual(['SIGN_IN', 'idle → signingIn.redirecting.opening', '']);
    expect(rows.at(-1)?.[1]).toBe('(start) → booting');
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
    expect(page.byTestId('report-json')!.textContent).toContain('j***@example.com');
  });
});
