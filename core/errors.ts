/**
 * One error class per kind a caller can act on. Each carries a stable `code` to branch on and a
 * message that says what to do. Nodes turn them into NodeOperationError, the CLI into exit code 2.
 */
export class ConsentError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A parameter, credential, CSV row or setting is wrong. The message names the field. */
export class InvalidInput extends ConsentError {
  constructor(message: string) {
    super('INVALID_INPUT', message);
  }
}

/** The transition table does not allow this action from this status. */
export class TransitionRefused extends ConsentError {
  constructor(
    readonly action: string,
    readonly from: string,
    readonly reason: string,
  ) {
    super('TRANSITION_REFUSED', `Cannot ${action} from status "${from}": ${reason}.`);
  }
}

/** Why a link token was not accepted. Pages show the same text for every reason but "expired". */
export type TokenProblem = 'malformed' | 'forged' | 'wrong_purpose' | 'expired' | 'unknown' | 'used';

export class TokenRejected extends ConsentError {
  private static readonly made = new Map<TokenProblem, TokenRejected>();

  constructor(readonly problem: TokenProblem) {
    super('TOKEN_REJECTED', `The link token was rejected (${problem}).`);
  }

  /**
   * One shared, frozen instance per problem. A rejected link is an expected outcome, not a bug:
   * its stack says nothing, and building one costs more than the HMAC that found the forgery,
   * which would let a flood of forged links cost more than it should.
   */
  static of(problem: TokenProblem): TokenRejected {
    let error = TokenRejected.made.get(problem);
    if (!error) {
      error = Object.freeze(new TokenRejected(problem));
      TokenRejected.made.set(problem, error);
    }
    return error;
  }
}

/** The ledger's database cannot be opened or reached. */
export class StoreUnavailable extends ConsentError {
  constructor(message: string) {
    super('STORE_UNAVAILABLE', message);
  }
}

/** The secret given cannot read this ledger (it was created with another one). */
export class SecretMismatch extends ConsentError {
  constructor(message: string) {
    super('SECRET_MISMATCH', message);
  }
}
