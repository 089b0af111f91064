import { describe, expect, it } from 'vitest';
import { ApiError, dataOf, errorMessage } from './problem';

const problem = (status: number, detail?: string) => ({
  type: 'https://dharmaplans.org/problems/x',
  title: 'Title',
  status,
  ...(detail ? { detail } : {}),
});

describe('dataOf', () => {
  it('gives the data of a success', () => {
    expect(dataOf({ data: { items: [] }, response: new Response(null, { status: 200 }) })).toEqual({ items: [] });
  });

  it('gives nothing, and no error, for a success without content', () => {
    expect(dataOf({ response: new Response(null, { status: 204 }) })).toBeUndefined();
  });

  it('throws the problem of a failure', () => {
    const response = new Response(null, { status: 404 });
    expect(() => dataOf({ error: problem(404, 'plan not found'), response })).toThrow(
      expect.objectContaining({ name: 'ApiError', status: 404, problem: expect.objectContaining({ detail: 'plan not found' }) }),
    );
  });
});

describe('errorMessage', () => {
  it("tells a person the problem's own words when they can act on it", () => {
    expect(errorMessage(new ApiError(422, problem(422, 'the title is empty')))).toBe('the title is empty');
    expect(errorMessage(new ApiError(404, problem(404)))).toBe('Title');
  });

  it("apologises for the server's failures without their details", () => {
    const message = errorMessage(new ApiError(500, problem(500, 'disk on fire at /var/secret')));
    expect(message).toMatch(/on our side/);
    expect(message).not.toMatch(/disk/);
  });

  it('asks to check the connection when no answer came', () => {
    expect(errorMessage(new TypeError('Failed to fetch'))).toMatch(/check your connection/);
  });

  it('copes with an answer that is not a problem, such as a proxy error page', () => {
    expect(errorMessage(new ApiError(404, '<html>Not Found</html>'))).toBe('The request could not be completed.');
  });
});
