// Exit codes of the gitpod-prebuilds command and how failures are reported on stderr.
// Scripts branch on the code: 2 means "fix the command line" (nothing was sent),
// 3 means the service or the network said no (worth a retry or a look at the message).

/** The exit codes; the README's "Command line" section documents them. */
export const EXIT = {
  OK: 0,
  /** A waited or followed prebuild ended FAILED, CANCELLED or DELETED. */
  PREBUILD_FAILED: 1,
  /** Bad command line or bad input (the CLI's own checks and the library's ValidationError). */
  USAGE: 2,
  /** The API or the network failed. */
  ERROR: 3,
  /** Ctrl-C (128 + SIGINT). */
  INTERRUPTED: 130,
};

/** A mistake on the command line, found before anything was sent; `usage` is the text to show with it. */
export class UsageError extends Error {
  constructor(message, usage) {
    super(message);
    this.name = "UsageError";
    this.usage = usage;
  }
}

// Which flag or argument carried the field that the library's ValidationError names,
// so that the message points at what the user typed.
const FLAG_OF_FIELD = {
  projectId: "--project",
  "filter.projectIds": "--project",
  "filter.phases": "--phase",
  environmentClassId: "--class",
  "spec.timeout": "--timeout",
  minSize: "--min",
  maxSize: "--max",
  prebuildId: "ID",
  warmPoolId: "ID",
  pageSize: "--limit",
  "pagination.pageSize": "--limit",
  baseUrl: "--base-url or GITPOD_BASE_URL",
  token: "GITPOD_API_KEY",
};

/** The flag for a ValidationError's field (`filter.projectIds[2]` -> `--project`), if known. */
export const flagOfField = (field) => FLAG_OF_FIELD[String(field ?? "").replace(/\[\d+\]/g, "")];

/**
 * Writes one failure to stderr and returns the exit code. Never prints a stack: the
 * class name and message say what happened (the library's errors never contain the
 * token, so printing them is safe).
 */
export function report(error, { err, usage = "" }) {
  if (error instanceof UsageError) {
    err.write(`gitpod-prebuilds: ${error.message}\n${error.usage ?? usage}`);
    return EXIT.USAGE;
  }
  // The library found bad input before sending anything: like a usage error, exit 2.
  if (error?.name === "ValidationError") {
    const flag = flagOfField(error.field);
    err.write(`gitpod-prebuilds: ValidationError${flag ? ` (${flag})` : ""}: ${error.message}\n${usage}`);
    return EXIT.USAGE;
  }
  const name = error?.name ?? "Error";
  const message = error?.message ?? String(error);
  const detail = typeof error?.status === "number" ? ` (${error.status}${error.code ? ` ${error.code}` : ""})` : "";
  err.write(`gitpod-prebuilds: ${name}: ${message}${detail}\n`);
  if (name === "AuthenticationError") err.write("Check that GITPOD_API_KEY holds a valid token for this API.\n");
  return EXIT.ERROR;
}
