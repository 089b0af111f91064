// A plan's page, loaded when first visited (router.tsx): it stays out of
// the JavaScript every visit downloads first.
import { PlanPage } from './components/plan-page';

export function Component() {
  return <PlanPage />;
}
