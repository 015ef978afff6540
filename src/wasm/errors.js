// The error classes of the package. The Rust side creates instances through
// makeError; the package's entry points re-export this very module, so `instanceof`
// works for users.

/** Base class of every error this client throws. */
export class PrebuildClientError extends Error {}

/** Bad input, found before anything was sent. `field` names the parameter. */
export class ValidationError extends PrebuildClientError {
  constructor(message, field) {
    super(message);
    this.field = field;
  }
}

/** The server answered with an error, or no answer came (subclasses without status). */
export class APIError extends PrebuildClientError {
  constructor(message, status, code, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details ?? [];
  }
}

export class BadRequestError extends APIError {}
export class AuthenticationError extends APIError {}
export class PermissionDeniedError extends APIError {}
export class NotFoundError extends APIError {}
export class ConflictError extends APIError {}
export class UnprocessableEntityError extends APIError {}
export class RateLimitError extends APIError {}
export class InternalServerError extends APIError {}

/** The request did not reach the server, or no answer came back. */
export class APIConnectionError extends APIError {}
/** An attempt took longer than `timeoutMs`. */
export class APIConnectionTimeoutError extends APIConnectionError {}
/** The caller's AbortSignal ended the call. */
export class APIUserAbortError extends APIError {}
/** A successful response whose body is not the expected message. */
export class ResponseDecodeError extends PrebuildClientError {}

/**
 * A wait (`waitForPrebuild`, `waitForWarmPool`, a watch) ran past its `deadlineMs`.
 * `lastSeen` is the last prebuild or warm pool seen, if any poll succeeded.
 */
export class WaitTimeoutError extends PrebuildClientError {
  constructor(message, lastSeen) {
    super(message);
    this.lastSeen = lastSeen;
  }
}

const classes = {
  PrebuildClientError, ValidationError, APIError, BadRequestError, AuthenticationError,
  PermissionDeniedError, NotFoundError, ConflictError, UnprocessableEntityError,
  RateLimitError, InternalServerError, APIConnectionError, APIConnectionTimeoutError,
  APIUserAbortError, ResponseDecodeError, WaitTimeoutError,
};
// Names on the prototypes, so they survive a user's minifier renaming the classes.
for (const [name, cls] of Object.entries(classes)) {
  Object.defineProperty(cls.prototype, "name", { value: name, writable: true, configurable: true });
}

/**
 * Creates the error `className` (called from Rust). `details` is JSON text.
 * `mayHaveBeenCreated`: a create failed after the server may have carried it out;
 * the property is set only then.
 */
export function makeError(className, message, field, status, code, details, mayHaveBeenCreated) {
  const error = newError(className, message, field, status, code, details);
  if (mayHaveBeenCreated) error.mayHaveBeenCreated = true;
  return error;
}

function newError(className, message, field, status, code, details) {
  const cls = classes[className] ?? PrebuildClientError;
  if (cls === ValidationError) return new ValidationError(message, field);
  if (cls.prototype instanceof APIError || cls === APIError) {
    let parsed = [];
    try {
      parsed = details ? JSON.parse(details) : [];
    } catch {}
    return new cls(message, status, code, parsed);
  }
  return new cls(message);
}

/** Creates a WaitTimeoutError (called from Rust); `lastSeen` is JSON text. */
export function makeWaitTimeoutError(message, lastSeen) {
  return new WaitTimeoutError(message, lastSeen ? JSON.parse(lastSeen) : undefined);
}
