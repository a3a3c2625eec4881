/**
 * One Idempotency-Key per form submission. The key is kept while the same content is sent
 * again (a double click, a retry after a network failure or a 5xx), so the API gives the
 * first answer back instead of doing the step twice; a changed form or a finished
 * submission starts a new key. Pure: the key maker is given.
 */
export class SubmissionKeys {
  private current: { key: string; content: string } | undefined;

  constructor(private readonly newKey: () => string) {}

  /** The key for sending `content` (the JSON of what is sent). */
  keyFor(content: string): string {
    if (this.current?.content !== content) this.current = { key: this.newKey(), content };
    return this.current.key;
  }

  /** The API answered (yes or a refusal that changed nothing): the next submission is a new one. */
  settled(): void {
    this.current = undefined;
  }
}

/** Whether a failed attempt may have reached the API without an answer: then the key must be kept. */
export const mayRetrySameKey = (status: number): boolean => status === 0 || status >= 500;
