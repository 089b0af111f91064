import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { components } from '../../../api/schema';
import { DoneCheckbox } from './done-checkbox';
import { Prose } from '../../../components/prose';

type Task = components['schemas']['EnrolledTaskBody'];

function TaskCard({ task, done, onDone }: { task: Task; done: boolean; onDone: (done: boolean) => void }) {
  const { t } = useTranslation('today');
  const titleId = useId();
  const about = [task.minutes > 0 && t('minutesShort', { count: task.minutes }), task.optional && t('optional')]
    .filter(Boolean)
    .join(' · ');
  return (
    <li className="rounded-2xl border border-ink/10 bg-surface p-5 sm:p-6">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <h3 id={titleId} className="font-serif text-xl">
          {t(`taskKind.${task.kind}`)}
        </h3>
        {about && <p className="text-sm text-muted">{about}</p>}
      </div>
      <Prose html={task.prompt_html} className="mt-3" />
      <div className="mt-5">
        <DoneCheckbox checked={done} onChange={onDone} describedBy={titleId} />
      </div>
    </li>
  );
}

/** The day's practice: each task with its prompt and its Done box. */
export function TaskList<T extends Task & { shown: boolean }>({
  tasks,
  onDone,
}: {
  tasks: T[];
  onDone: (task: T, done: boolean) => void;
}) {
  return (
    <ul className="space-y-4">
      {tasks.map((task) => (
        <TaskCard key={task.id} task={task} done={task.shown} onDone={(done) => onDone(task, done)} />
      ))}
    </ul>
  );
}
