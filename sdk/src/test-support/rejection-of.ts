// The error a promise rejects with, for tests that check several of its fields (code, message, name, cause).

/** What a rejection typically carries; the fields are checked with `expect`. */
export interface Rejection {
  readonly code?: string;
  readonly name: string;
  readonly message: string;
  readonly cause?: unknown;
}

/** Awaits `promise` and returns what it rejected with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Rejection> {
  try {
    await promise;
  } catch (error) {
    return error as Rejection;
  }
  throw new Error('expected the promise to reject, but it resolved');
}
