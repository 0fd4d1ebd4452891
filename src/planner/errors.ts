/**
 * The error a statement fails with when it is well-formed but wrong: an unknown
 * source, a duplicate name, a bad WITH property. Its message is ksqlDB's text,
 * so a user comparing the two sees the same words.
 */
export class KsqlError extends Error {
  override readonly name: string = 'KsqlError';
  /** Statement errors never go away by retrying. */
  readonly retriable: boolean = false;

  constructor(
    message: string,
    /** Where in the script the error points, when known. */
    readonly loc?: { readonly line: number; readonly col: number },
  ) {
    super(message);
  }
}
