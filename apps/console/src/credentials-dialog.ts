import type { CredentialKind, CredentialStore } from './credentials';
import { byId } from './dom';

/** The dialog that asks for an API key or bearer token, shown when the API answers 401. */
export class CredentialsDialog {
  private readonly dialog = byId('credentials-dialog', HTMLDialogElement);
  private readonly kind = byId('credentials-kind', HTMLSelectElement);
  private readonly secret = byId('credentials-secret', HTMLInputElement);
  private readonly reason = byId('credentials-reason', HTMLParagraphElement);
  private readonly button = byId('credentials-button', HTMLButtonElement);

  constructor(
    private readonly store: CredentialStore,
    private readonly onChange: () => void,
  ) {
    byId('credentials-form', HTMLFormElement).addEventListener('submit', () => {
      const secret = this.secret.value.trim();
      if (secret === '') return;
      this.store.save({ kind: this.kind.value as CredentialKind, secret });
      this.secret.value = '';
      this.button.hidden = false;
      this.onChange();
    });
    byId('credentials-clear', HTMLButtonElement).addEventListener('click', () => {
      this.store.clear();
      this.secret.value = '';
      this.dialog.close();
      this.onChange();
    });
    this.button.addEventListener('click', () => this.open('Enter an API key or a bearer token for this tab.'));
    this.button.hidden = this.store.current === null;
  }

  get isOpen(): boolean {
    return this.dialog.open;
  }

  open(reason: string): void {
    this.reason.textContent = `${reason} It is kept for this tab only (sessionStorage).`;
    this.kind.value = this.store.current?.kind ?? 'api-key';
    this.button.hidden = false;
    if (!this.dialog.open) this.dialog.showModal();
    this.secret.focus();
  }
}
