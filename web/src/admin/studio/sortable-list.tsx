// A list reordered by dragging a handle, with the mouse, a finger or the
// keyboard (Space or Enter on the handle, the arrow keys, Space or Enter to
// drop, Escape to cancel). Screen readers hear each move.
import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { move } from './day-keys';

export interface Handle {
  /** Props for the drag handle button. */
  props: ButtonHTMLAttributes<HTMLButtonElement> & { ref: (el: HTMLElement | null) => void };
  dragging: boolean;
}

interface SortableListProps {
  ids: string[];
  /** What each entry is called, for the handle and the announcements. */
  label: (id: string) => string;
  onReorder: (ids: string[]) => void;
  disabled?: boolean;
  children: (id: string, handle: Handle, index: number) => ReactNode;
  className?: string;
}

export function SortableList({ ids, label, onReorder, disabled, children, className }: SortableListProps) {
  const { t } = useTranslation('studio');
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const name = (id: UniqueIdentifier) => label(String(id));
  const position = (id: UniqueIdentifier | undefined) => (id === undefined ? 0 : ids.indexOf(String(id)) + 1);
  const announcements: Announcements = {
    onDragStart: ({ active }) => t('sort.start', { name: name(active.id), position: position(active.id), total: ids.length }),
    onDragOver: ({ active, over }) =>
      over ? t('sort.over', { name: name(active.id), position: position(over.id), total: ids.length }) : t('sort.outside', { name: name(active.id) }),
    onDragEnd: ({ active, over }) =>
      over ? t('sort.end', { name: name(active.id), position: position(over.id), total: ids.length }) : t('sort.cancel', { name: name(active.id) }),
    onDragCancel: ({ active }) => t('sort.cancel', { name: name(active.id) }),
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = ids.indexOf(String(active.id));
    const to = ids.indexOf(String(over.id));
    if (from < 0 || to < 0) return;
    onReorder(move(ids, from, to));
  };

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{ announcements, screenReaderInstructions: { draggable: t('sort.instructions') } }}
    >
      <SortableContext items={ids} strategy={verticalListSortingStrategy} disabled={disabled}>
        <ol className={className}>
          {ids.map((id, index) => (
            <SortableRow key={id} id={id} label={label(id)} index={index} disabled={!!disabled}>
              {children}
            </SortableRow>
          ))}
        </ol>
      </SortableContext>
    </DndContext>
  );
}

function SortableRow({
  id,
  label,
  index,
  disabled,
  children,
}: {
  id: string;
  label: string;
  index: number;
  disabled: boolean;
  children: SortableListProps['children'];
}) {
  const { t } = useTranslation('studio');
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id, disabled });
  const style = { transform: CSS.Translate.toString(transform), transition };
  const handle: Handle = {
    props: {
      ...attributes,
      ...listeners,
      ref: setActivatorNodeRef,
      type: 'button',
      'aria-label': t('sort.handle', { name: label }),
      // Not disabled, which would take focus from it while a new order is saved: useSortable ignores it meanwhile.
      'aria-disabled': disabled || undefined,
    },
    dragging: isDragging,
  };
  return (
    <li ref={setNodeRef} style={style} className={`relative ${isDragging ? 'z-10 shadow-lg' : ''}`}>
      {children(id, handle, index)}
    </li>
  );
}

/** The grip a person drags (or moves with the keyboard) an entry by. */
export function DragHandle({ handle }: { handle: Handle }) {
  const { ref, ...props } = handle.props;
  return (
    <button
      ref={ref}
      {...props}
      className={`flex size-9 shrink-0 touch-none items-center justify-center rounded-md text-muted hover:bg-ink/5 hover:text-ink disabled:cursor-not-allowed disabled:opacity-40 aria-disabled:cursor-not-allowed aria-disabled:opacity-40 ${
        handle.dragging ? 'cursor-grabbing' : 'cursor-grab'
      }`}
    >
      <svg aria-hidden="true" viewBox="0 0 20 20" className="size-5 fill-current">
        {[5, 10, 15].flatMap((y) => [7, 13].map((x) => <circle key={`${x}-${y}`} cx={x} cy={y} r={1.5} />))}
      </svg>
    </button>
  );
}
