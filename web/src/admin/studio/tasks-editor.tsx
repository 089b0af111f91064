// A day's practices: meditate (for some minutes), reflect, chant, practice,
// memorize, each with its prompt; reordered like the readings.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/form';
import { MarkdownEditor } from '../markdown/markdown-editor';
import { taskKinds, type Day, type Task, type TaskFields, type TaskKind } from './api';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useEditor } from './editor-context';
import { CheckField, MarkdownField, NumberField, SelectField, smallButton } from './fields';
import { AddFormFrame, useAddForm } from './add-form';
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
  const [kind, setKind] = useState<TaskKind>('meditate');
  const [minutes, setMinutes] = useState('10');
  const [prompt, setPrompt] = useState('');
  const [optional, setOptional] = useState(false);
  const form = useAddForm(() => {
    setKind('meditate');
    setMinutes('10');
    setPrompt('');
    setOptional(false);
  });
  const { errors } = form;

  const submit = () => {
    const n = minutes.trim() === '' ? 0 : Number(minutes);
    if (!Number.isInteger(n)) {
      form.setErrors({ minutes: t('tasks.minutesNumber') });
      return;
    }
    const fields: TaskFields = { kind, minutes: n, optional };
    if (prompt.trim()) fields.prompt = prompt;
    void form.run(() => session.addTask(dayKey, fields).then(() => undefined));
  };

  return (
    <AddFormFrame
      form={form}
      title={t('tasks.addTo', { n: number })}
      open={t('tasks.add')}
      openNamed={t('tasks.addNamed', { n: number })}
      submit={t('tasks.addButton')}
      disabled={snapshot.busy || locked}
      onSubmit={submit}
    >
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
    </AddFormFrame>
  );
}
