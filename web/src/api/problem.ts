// Failed answers, and what to tell a person about them.
import type { components } from './schema';

/** An RFC 9457 problem document, as the API answers every error. */
export type Problem = components['schemas']['Problem'];

/** An answer that was not a success, with the problem it carried if any. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, body: unknown) {
    const problem = isProblem(body) ? body : undefined;
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && 'status' in body && 'title' in body;
}

/**
 * The data of an openapi-fetch answer (undefined for one without content,
 * such as a 204), or an ApiError when it failed, so that TanStack Query sees
 * failures as errors.
 */
export function dataOf<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (!result.response.ok) {
    throw new ApiError(result.response.status, result.error);
  }
  return result.data as T;
}

/**
 * What to tell a person when a request failed: the problem's own words for
 * what they can change, a plain apology for the server's failures (whose
 * details are for the logs), and a hint when the server cannot be reached.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status >= 500) {
      return 'Something went wrong on our side. Please try again in a moment.';
    }
    return error.problem?.detail || error.problem?.title || 'The request could not be completed.';
  }
  if (error instanceof TypeError) {
    // fetch rejects with a TypeError when no answer came back at all.
    return 'Dharma Plans cannot be reached. Please check your connection and try again.';
  }
  return 'Something unexpected happened. Please try again.';
}
