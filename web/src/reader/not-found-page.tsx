import { Link } from 'react-router';

/** Any path the reader has no page for. */
export function NotFoundPage() {
  return (
    <section aria-labelledby="not-found-title">
      <title>Page not found · Dharma Plans</title>
      <h1 id="not-found-title" className="font-serif text-3xl">
        This page is not here
      </h1>
      <p className="mt-2 text-muted">The link may be old, or the address mistyped.</p>
      <p className="mt-6">
        <Link to="/" className="text-accent underline underline-offset-4">
          Discover reading plans
        </Link>
      </p>
    </section>
  );
}
