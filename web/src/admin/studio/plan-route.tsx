/** Placeholder of the skeleton: the feature's helper replaces this page. */
export function Component() {
  return <h1 className="font-serif text-3xl">studio/plan-route</h1>;
}
