/** The command line's exit codes, for scripts: 0 ok, 1 a run that failed or did not finish, 2 bad input. */
export const EXIT = { ok: 0, runFailed: 1, badInput: 2 } as const;
