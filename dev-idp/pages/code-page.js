/*
 * The code page's script (runs in the browser, served as /assets/code-page.js under the pages'
 * Content-Security-Policy `script-src 'self'`). It makes the page behave like Logto's: six digit
 * boxes that submit when full, a live countdown before "Send a new code", and "Checking…" while
 * the code is posted. Without it the page is plain HTML that works the same way (one field, a
 * post answered by a redirect, the cool-down said and enforced by the server): this file only
 * enhances, it never carries a rule the server does not check.
 */
(() => {
  'use strict';
  const LENGTH = 6;

  /** A text the server put on the page in the reader's language, `{name}` filled in. */
  const text = (element, name, params = {}) =>
    (element.dataset[name] ?? '').replace(/\{(\w+)\}/g, (whole, key) => (key in params ? String(params[key]) : whole));

  /** Digits typed, pasted or autofilled (full-width digits of CJK keyboards count: NFKC). */
  const digitsOf = (text) => text.normalize('NFKC').match(/[0-9]/g) ?? [];

  /** A form shows it is busy and cannot be sent twice; the back/forward cache gets it back ready. */
  function busyWhileSubmitting(form, button, busyText, onSubmit) {
    const idleText = button.textContent.trim();
    let submitting = false;
    form.addEventListener('submit', (event) => {
      if (submitting) {
        event.preventDefault();
        return;
      }
      onSubmit?.();
      submitting = true;
      form.setAttribute('aria-busy', 'true');
      button.disabled = true;
      button.classList.add('busy');
      button.textContent = busyText;
    });
    window.addEventListener('pageshow', (event) => {
      if (!event.persisted || !submitting) return;
      submitting = false;
      form.removeAttribute('aria-busy');
      button.disabled = false;
      button.classList.remove('busy');
      button.textContent = idleText;
    });
  }

  function enhanceCodeForm(form) {
    const field = form.querySelector('input[name="code"]');
    const label = form.querySelector('label[for="code"]');
    const submit = form.querySelector('button[type="submit"]');
    if (!field || !label || !submit) return;

    // One labelled group a screen reader announces once; each box says which digit it holds.
    const group = document.createElement('div');
    group.className = 'code-boxes';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-labelledby', label.id);
    const describedBy = field.getAttribute('aria-describedby');
    if (describedBy) group.setAttribute('aria-describedby', describedBy);
    const boxes = Array.from({ length: LENGTH }, (_, index) => {
      const box = document.createElement('input');
      box.type = 'text';
      box.id = `code-${index + 1}`;
      box.className = 'code-box';
      box.inputMode = 'numeric';
      box.autocomplete = 'one-time-code';
      box.setAttribute('pattern', '[0-9]*');
      box.setAttribute('aria-label', text(form, 'tDigit', { n: index + 1, total: LENGTH }));
      if (field.getAttribute('aria-invalid') === 'true') box.setAttribute('aria-invalid', 'true');
      group.append(box);
      return box;
    });
    // The form still posts the one field the server reads (and a page without script shows).
    field.type = 'hidden';
    field.removeAttribute('autofocus');
    field.value = '';
    field.after(group);
    label.htmlFor = boxes[0].id;

    const sync = () => {
      field.value = boxes.map((box) => box.value).join('');
    };
    const submitWhenFull = () => {
      if (field.value.length !== LENGTH) return;
      if (form.requestSubmit) form.requestSubmit(submit);
      else submit.click();
    };
    const fillFrom = (start, digits) => {
      let index = start;
      for (const digit of digits) {
        if (index >= LENGTH) break;
        boxes[index].value = digit;
        index += 1;
      }
      sync();
      boxes[Math.min(index, LENGTH - 1)].focus();
      submitWhenFull();
    };

    boxes.forEach((box, index) => {
      // A focused box's digit is selected, so typing replaces it instead of adding a second one.
      box.addEventListener('focus', () => box.select());
      box.addEventListener('click', () => box.select());
      box.addEventListener('input', () => {
        const digits = digitsOf(box.value);
        box.value = '';
        if (digits.length === 0) {
          sync();
          return;
        }
        // A whole code in one box (the phone's one-time-code suggestion) fills every box.
        fillFrom(digits.length >= LENGTH ? 0 : index, digits);
      });
      box.addEventListener('paste', (event) => {
        event.preventDefault();
        const digits = digitsOf(event.clipboardData?.getData('text') ?? '');
        if (digits.length > 0) fillFrom(digits.length >= LENGTH ? 0 : index, digits);
      });
      box.addEventListener('keydown', (event) => {
        if (event.key === 'Backspace' && box.value === '' && index > 0) {
          event.preventDefault();
          boxes[index - 1].value = '';
          boxes[index - 1].focus();
          sync();
        } else if (event.key === 'ArrowLeft' && index > 0) {
          event.preventDefault();
          boxes[index - 1].focus();
        } else if (event.key === 'ArrowRight' && index < LENGTH - 1) {
          event.preventDefault();
          boxes[index + 1].focus();
        }
      });
    });

    busyWhileSubmitting(form, submit, text(form, 'tChecking'), () => {
      sync();
      boxes.forEach((box) => (box.readOnly = true));
    });
    window.addEventListener('pageshow', (event) => {
      if (event.persisted) boxes.forEach((box) => (box.readOnly = false));
    });

    if (document.activeElement === document.body || document.activeElement === field) boxes[0].focus();
  }

  /** "Resend in 0:42" on the disabled button, then an enabled "Send a new code". */
  function countDownResend(form) {
    const button = form.querySelector('button[type="submit"]');
    if (!button) return;
    busyWhileSubmitting(form, button, text(form, 'tSending'));
    const seconds = Number(button.dataset.resendIn ?? 0);
    if (!(seconds > 0)) return;
    const readyText = button.textContent.trim();
    const deadline = Date.now() + seconds * 1000;
    // The script takes over from the CSS unlock and the absolute time (the page without script).
    button.classList.remove('cooling');
    button.style.removeProperty('animation-delay');
    const hint = document.getElementById('resend-hint');
    if (hint) hint.hidden = true;
    button.removeAttribute('aria-describedby');
    button.disabled = true;
    const tick = () => {
      const left = Math.ceil((deadline - Date.now()) / 1000);
      if (left <= 0) {
        clearInterval(timer);
        button.disabled = false;
        button.textContent = readyText;
        return;
      }
      button.textContent = text(form, 'tResendIn', { time: `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}` });
    };
    const timer = setInterval(tick, 250);
    tick();
  }

  /**
   * The lockout page: "You can try again in 9 minutes", counting down from the instant the server
   * gave (no clock time: the server's zone need not be the reader's), then "Try again".
   */
  function countDownLockout(element) {
    const until = Date.parse(element.dataset.until ?? '');
    const retry = document.querySelector('a[data-when-ready]');
    if (Number.isNaN(until)) return;
    if (retry) retry.hidden = true;
    const tick = () => {
      const minutes = Math.ceil((until - Date.now()) / 60000);
      if (minutes <= 0) {
        clearInterval(timer);
        element.textContent = text(element, 'tReady');
        if (retry) {
          retry.hidden = false;
          retry.focus();
        }
        return;
      }
      const unit = text(element, minutes === 1 ? 'tMinuteOne' : 'tMinuteOther', { count: minutes });
      element.textContent = text(element, 'tCountdown', { duration: unit });
    };
    const timer = setInterval(tick, 1000);
    tick();
  }

  const codeForm = document.querySelector('form[data-step="code"]');
  if (codeForm) enhanceCodeForm(codeForm);
  const resendForm = document.querySelector('form[data-step="resend"]');
  if (resendForm) countDownResend(resendForm);
  const lockout = document.getElementById('locked-countdown');
  if (lockout) countDownLockout(lockout);
  // After an expired code the way on is "Send a new code": the server marks it (autofocus).
  const resendFirst = resendForm?.querySelector('button[autofocus]');
  if (resendFirst && !resendFirst.disabled) resendFirst.focus();
})();
