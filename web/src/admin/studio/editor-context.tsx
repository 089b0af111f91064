import { createContext, useContext } from 'react';
import type { PlanSession, SessionSnapshot } from './plan-session';

export interface Editor {
  session: PlanSession;
  snapshot: SessionSnapshot;
  /** Nothing may change: the plan is in review. */
  locked: boolean;
}

export const EditorContext = createContext<Editor | null>(null);

/** The plan being edited, for the editor's parts. */
export function useEditor(): Editor {
  const editor = useContext(EditorContext);
  if (!editor) throw new Error('useEditor outside the plan editor');
  return editor;
}
