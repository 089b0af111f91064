// A day's practices: meditate (for some minutes), reflect, chant, practice,
// memorize, each with its prompt; reordered like the readings.
import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { buttonStyle, Field, FormMessage } from '../../components/form';
import { Spinner } from '../../components/spinner';
import { MarkdownEditor } from '../markdown/markdown-editor';
import { taskKinds, type Day, type Task, type TaskFields, type TaskKind } from './api';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useEditor } from './editor-context';
import { CheckField, MarkdownField, NumberField, SelectField, smallButton, useFocusProblem } from './fields';
import { explain } from './items-editor';
import { DiscardedError } from './save-queue';
import { DragHandle, SortableList, type Handle } from './sortable-list';

export function TasksEditor({ dayKey, day, number }: { dayKey: string; day: Day; number: number }) {
  const { t } = useTranslation('studio');
  const { session, snapshot, locked } = useEditor();
  const tasks = session.tasks(dayKey, day);
  const headingId = useId();
  const name = (x: Task, i: number) => t('tasks.name', { n: i + 1, kind: t(`taskKind.${session.value(`task:${x.id}`, 'kind', x.kind)}`) });

  return (
    <section aria-labelledby={headingId} className="space-y-3">
      <h4 id={headingId} tabIndex={-1} className="font-serif text-lg">
        {t('tasks.heading')}
      </h4>
      {tasks.length === 0 ? (
        <p className="text-sm text-muted">{t('tasks.empty')}</p>
      ) : (
        <SortableList
          ids={tasks.map((x) => x.id)}
          label={(id) => {
            const i = tasks.findIndex((x) => x.id === id);
            const x = tasks[i];
            return x ? name(x, i) : id;
          }}
          disabled={snapshot.busy || locked}
          onReorder={(ids) => void session.reorderTasks(dayKey, ids).catch(() => undefined)}
          className="space-y-2"
        >
          {(id, handle, index) => {
            const x = tasks.find((task) => task.id === id);
            return x ? (
              <TaskEditor
                dayKey={dayKey}
                task={x}
                handle={handle}
                name={name(x, index)}
                onRemoved={() => document.getElementById(headingId)?.focus()}
              />
            ) : null;
          }}
        </SortableList>
      )}
      <AddTask dayKey={dayKey} number={number} />
    </section>
  );
}

function TaskEditor({
  dayKey,
  task,
  handle,
  name,
  onRemoved,
}: {
  dayKey: string;
  task: Task;
  handle: Handle;
  name: string;
  onRemoved: () => void;
}) {
  const { t } = useTranslation('studio');
  const { session, snapshot, locked } = useEditor();
  const key = `task:${task.id}`;
  const errors = session.errors(key);
  const hasErrors = Object.keys(errors).length > 0;
  const v = <K extends keyof Task>(field: K, saved: Task[K]) => session.value(key, field, saved);
  const edit = (fields: TaskFields) => session.editTask(dayKey, task.id, fields);
  const choose = (fields: TaskFields) => {
    edit(fields);
    session.flush();
  };
  const kind = v('kind', task.kind);
  const [confirming, setConfirming] = useState(false);

  return (
    <div className={`rounded-lg border bg-paper/60 ${hasErrors ? 'border-danger/60' : 'border-ink/10'}`}>
      <div className="flex items-center gap-1 p-1 pr-2">
        <DragHandle handle={handle} />
        <p className="flex-1 text-sm font-medium text-muted">{name}</p>
        <button
          type="button"
          onClick={() => setConfirming(true)}
          disabled={snapshot.busy || locked}
          className={`${smallButton} text-danger`}
          aria-label={t('tasks.removeNamed', { name })}
        >
          {t('remove')}
        </button>
      </div>
      <div className="space-y-4 border-t border-ink/10 p-3">
        <div className="grid grid-cols-2 items-end gap-4">
          <SelectField
            label={t('field.kind')}
            value={kind}
            options={taskKinds.map((k) => ({ value: k, label: t(`taskKind.${k}`) }))}
            onEdit={(k) => choose(k === 'meditate' && !v('minutes', task.minutes) ? { kind: k, minutes: 10 } : { kind: k as TaskKind })}
            error={errors?.kind}
          />
          <NumberField
            label={t('field.minutes')}
            name="minutes"
            value={v('minutes', task.minutes)}
            onEdit={(x) => edit({ minutes: x })}
            onCommit={() => session.flush()}
            error={errors?.minutes}
            max={600}
            required={kind === 'meditate'}
          />
          <div className="col-span-2">
            <CheckField label={t('field.optional')} checked={v('optional', task.optional)} onEdit={(x) => choose({ optional: x })} />
          </div>
        </div>
        <MarkdownField
          label={t('field.prompt')}
          name="prompt"
          value={v('prompt', task.prompt)}
          onEdit={(x) => edit({ prompt: x })}
          onCommit={() => session.flush()}
          error={errors?.prompt}
          hint={kind === 'meditate' ? t('tasks.promptOptional') : undefined}
          rows={3}
        />
        {errors?._ && <p className="text-sm text-danger">{errors._}</p>}
      </div>
      <ConfirmDialog
        open={confirming}
        title={t('tasks.removeTitle')}
        confirm={t('remove')}
        danger
        onConfirm={() => {
          setConfirming(false);
          session.deleteTask(dayKey, task.id).then(onRemoved, () => undefined);
        }}
        onCancel={() => setConfirming(false)}
        body={t('tasks.removeBody', { name })}

        cancel={t('cancel')}

      />
    </div>
  );
}

function AddTask({ dayKey, number }: { dayKey: string; number: number }) {
  const { t } = useTranslation('studio');
  const { session, snapshot, locked } = useEditor();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<TaskKind>('meditate');
  const [minutes, setMinutes] = useState('10');
  const [prompt, setPrompt] = useState('');
  const [optional, setOptional] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string>();
  const [pending, setPending] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusProblem(formRef, errors, message);

  const reset = () => {
    setOpen(false);
    setKind('meditate');
    setMinutes('10');
    setPrompt('');
    setOptional(false);
    setErrors({});
    setMessage(undefined);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (pending) return;
    const n = minutes.trim() === '' ? 0 : Number(minutes);
    if (!Number.isInteger(n)) {
      setErrors({ minutes: t('tasks.minutesNumber') });
      return;
    }
    const fields: TaskFields = { kind, minutes: n, optional };
    if (prompt.trim()) fields.prompt = prompt;
    setPending(true);
    setErrors({});
    setMessage(undefined);
    try {
      await session.addTask(dayKey, fields);
      reset();
    } catch (error) {
      if (error instanceof DiscardedError) return reset(); // the person dropped their changes
      const { fields: f, message: m } = explain(error, t);
      setErrors(f);
      setMessage(m ?? (f._ || undefined));
    } finally {
      setPending(false);
    }
  };

  if (!open) {
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        disabled={snapshot.busy || locked}
        className={smallButton}
        aria-label={t('tasks.addNamed', { n: number })}
      >
        <span aria-hidden="true">+</span> {t('tasks.add')}
      </button>
    );
  }
  return (
    <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate className="space-y-4 rounded-lg border border-accent/30 bg-accent/5 p-4" aria-label={t('tasks.addTo', { n: number })}>
      <p className="font-medium">{t('tasks.addTo', { n: number })}</p>
      <FormMessage>{message}</FormMessage>
      <div className="grid grid-cols-2 items-end gap-4">
        <SelectField
          label={t('field.kind')}
          value={kind}
          options={taskKinds.map((k) => ({ value: k, label: t(`taskKind.${k}`) }))}
          onEdit={(k) => setKind(k as TaskKind)}
          error={errors.kind}
          autoFocus
        />
        <Field
          label={t('field.minutes')}
          name="minutes"
          type="number"
          inputMode="numeric"
          min={0}
          max={600}
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
          error={errors.minutes}
        />
        <div className="col-span-2">
          <CheckField label={t('field.optional')} checked={optional} onEdit={setOptional} />
        </div>
      </div>
      <MarkdownEditor
        label={t('field.prompt')}
        name="prompt"
        value={prompt}
        onChange={setPrompt}
        error={errors.prompt}
        hint={kind === 'meditate' ? t('tasks.promptOptional') : undefined}
        rows={3}
      />
      <div className="flex flex-wrap justify-end gap-3">
        <button type="button" onClick={reset} className={buttonStyle('quiet')}>
          {t('cancel')}
        </button>
        <button type="submit" aria-disabled={pending || undefined} className={buttonStyle('primary')}>
          {pending && <Spinner />}
          {t('tasks.addButton')}
        </button>
      </div>
    </form>
  );
}
