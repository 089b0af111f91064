package catalog

import (
	"context"
	"fmt"
	"slices"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// DayInput creates a day or changes one; nil fields stay as they are.
type DayInput struct {
	Title *string
	Intro *string
}

// AddDay adds a day at position at (1..N+1; 0 means at the end); the days
// from there on move one later.
func (s *Service) AddDay(ctx context.Context, p *identity.Principal, planID string, version, at int, in DayInput) (*Editable, error) {
	return s.Edit(ctx, p, planID, version, func(r *Revision) error {
		d := Day{Items: []Item{}, Tasks: []Task{}}
		applyDay(&d, in)
		var pr problems
		if in.Title == nil {
			pr.add("body.title", "title must not be empty")
		}
		checkDay(&pr, "body.", &DayContent{Title: d.Title, Intro: d.Intro})
		if len(r.Days) >= MaxDays {
			pr.add("body", "a plan has at most %d days", MaxDays)
		}
		if at == 0 {
			at = len(r.Days) + 1
		}
		if at < 1 || at > len(r.Days)+1 {
			pr.add("body.position", "position must be from 1 to %d", len(r.Days)+1)
		}
		if err := pr.err(); err != nil {
			return err
		}
		r.Days = slices.Insert(r.Days, at-1, d)
		return nil
	})
}

func applyDay(d *Day, in DayInput) {
	if in.Title != nil {
		d.Title = line(*in.Title)
	}
	if in.Intro != nil {
		d.Intro = Markdown(*in.Intro)
	}
}

// day returns day n of r or a not-found error.
func day(r *Revision, n int) (*Day, error) {
	if n < 1 || n > len(r.Days) {
		return nil, errs.E(errs.NotFound, "the plan has no day %d", n)
	}
	return &r.Days[n-1], nil
}

// UpdateDay changes a day's title or introduction.
func (s *Service) UpdateDay(ctx context.Context, p *identity.Principal, planID string, version, n int, in DayInput) (*Editable, error) {
	return s.Edit(ctx, p, planID, version, func(r *Revision) error {
		d, err := day(r, n)
		if err != nil {
			return err
		}
		applyDay(d, in)
		var pr problems
		checkDay(&pr, "body.", &DayContent{Title: d.Title, Intro: d.Intro})
		return pr.err()
	})
}

// DeleteDay removes day n; the days after it move one earlier.
func (s *Service) DeleteDay(ctx context.Context, p *identity.Principal, planID string, version, n int) (*Editable, error) {
	return s.Edit(ctx, p, planID, version, func(r *Revision) error {
		if _, err := day(r, n); err != nil {
			return err
		}
		r.Days = slices.Delete(r.Days, n-1, n)
		return nil
	})
}

// ReorderDays puts the days in a new order: order lists every current day
// number exactly once, in the new order.
func (s *Service) ReorderDays(ctx context.Context, p *identity.Principal, planID string, version int, order []int) (*Editable, error) {
	return s.Edit(ctx, p, planID, version, func(r *Revision) error {
		seen := make([]bool, len(r.Days)+1)
		var pr problems
		if len(order) != len(r.Days) {
			pr.add("body.order", "order must list each of the %d days once; it lists %d", len(r.Days), len(order))
		}
		for i, n := range order {
			switch {
			case n < 1 || n > len(r.Days):
				pr.add(fmt.Sprintf("body.order[%d]", i), "there is no day %d: days are numbered 1 to %d without gaps", n, len(r.Days))
			case seen[n]:
				pr.add(fmt.Sprintf("body.order[%d]", i), "day %d is listed twice", n)
			default:
				seen[n] = true
			}
		}
		if err := pr.err(); err != nil {
			return err
		}
		days := make([]Day, len(order))
		for i, n := range order {
			days[i] = r.Days[n-1]
		}
		r.Days = days
		return nil
	})
}

// ItemInput creates an item or changes one; nil fields stay as they are.
type ItemInput struct {
	Kind         *ItemKind
	Title        *string
	Body         *string
	MediaID      *string
	URL          *string
	Citation     *string
	SegmentStart *string
	SegmentEnd   *string
	Minutes      *int
	RootText     *string
	RootLanguage *string
}

func applyItem(it *ItemContent, in ItemInput) {
	str := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	if in.Kind != nil {
		it.Kind = *in.Kind
	}
	str(&it.Title, in.Title)
	str(&it.Body, in.Body)
	str(&it.MediaID, in.MediaID)
	str(&it.URL, in.URL)
	str(&it.Citation, in.Citation)
	str(&it.SegmentStart, in.SegmentStart)
	str(&it.SegmentEnd, in.SegmentEnd)
	str(&it.RootText, in.RootText)
	str(&it.RootLanguage, in.RootLanguage)
	if in.Minutes != nil {
		it.Minutes = *in.Minutes
	}
	NormalizeItem(it)
}

// AddItem adds an item to day n at position at (1..len+1; 0: at the end).
func (s *Service) AddItem(ctx context.Context, p *identity.Principal, planID string, version, n, at int, in ItemInput) (*Editable, error) {
	it := Item{ID: NewID()}
	applyItem(&it.ItemContent, in)
	return addEntry(s, ctx, p, planID, version, n, at, itemsOf, it, func(pr *problems, it *Item) error {
		checkItem(pr, "body.", &it.ItemContent)
		return s.checkItemMedia(ctx, p, pr, &it.ItemContent)
	})
}

// checkItemMedia checks the medium item it references, when it has a
// kind of media.
func (s *Service) checkItemMedia(ctx context.Context, p *identity.Principal, pr *problems, it *ItemContent) error {
	if it.Kind == Text || it.Kind == Link || !it.Kind.Valid() {
		return nil
	}
	return s.checkMedia(ctx, p, pr, "body.media_id", it.MediaID, string(it.Kind))
}

// UpdateItem changes an item of day n.
func (s *Service) UpdateItem(ctx context.Context, p *identity.Principal, planID string, version, n int, itemID string, in ItemInput) (*Editable, error) {
	return changeEntry(s, ctx, p, planID, version, n, itemID, itemsOf, func(pr *problems, it *Item) error {
		was := it.ItemContent
		applyItem(&it.ItemContent, in)
		checkItem(pr, "body.", &it.ItemContent)
		if it.MediaID == was.MediaID && it.Kind == was.Kind {
			return nil
		}
		return s.checkItemMedia(ctx, p, pr, &it.ItemContent)
	})
}

// DeleteItem removes an item of day n.
func (s *Service) DeleteItem(ctx context.Context, p *identity.Principal, planID string, version, n int, itemID string) (*Editable, error) {
	return deleteEntry(s, ctx, p, planID, version, n, itemID, itemsOf)
}

// ReorderItems puts day n's items in the order of ids, which lists each
// of them once.
func (s *Service) ReorderItems(ctx context.Context, p *identity.Principal, planID string, version, n int, ids []string) (*Editable, error) {
	return reorderEntries(s, ctx, p, planID, version, n, ids, itemsOf)
}

// entry is an item or a task: something in a day's ordered list, by id.
type entry interface{ key() string }

func (it Item) key() string { return it.ID }
func (t Task) key() string  { return t.ID }

// dayList picks one of a day's ordered lists.
type dayList[T entry] struct {
	name string // for messages
	max  int
	of   func(d *Day) *[]T
}

var (
	itemsOf = dayList[Item]{"item", MaxItemsPerDay, func(d *Day) *[]Item { return &d.Items }}
	tasksOf = dayList[Task]{"task", MaxTasksPerDay, func(d *Day) *[]Task { return &d.Tasks }}
)

// find returns the position of id in day d's list, or a not-found error.
func (l dayList[T]) find(d *Day, id string) (int, error) {
	for i, e := range *l.of(d) {
		if e.key() == id {
			return i, nil
		}
	}
	return 0, errs.E(errs.NotFound, "day %d has no %s %s", d.Number, l.name, id)
}

// addEntry inserts v into day n's list at position at, after check.
func addEntry[T entry](s *Service, ctx context.Context, p *identity.Principal, planID string, version, n, at int, l dayList[T], v T, check func(*problems, *T) error) (*Editable, error) {
	return s.Edit(ctx, p, planID, version, func(r *Revision) error {
		d, err := day(r, n)
		if err != nil {
			return err
		}
		list := l.of(d)
		var pr problems
		if err := check(&pr, &v); err != nil {
			return err
		}
		if len(*list) >= l.max {
			pr.add("body", "a day has at most %d %ss", l.max, l.name)
		}
		if at == 0 {
			at = len(*list) + 1
		}
		if at < 1 || at > len(*list)+1 {
			pr.add("body.position", "position must be from 1 to %d", len(*list)+1)
		}
		if err := pr.err(); err != nil {
			return err
		}
		*list = slices.Insert(*list, at-1, v)
		return nil
	})
}

// changeEntry applies change to one entry of day n and validates it.
func changeEntry[T entry](s *Service, ctx context.Context, p *identity.Principal, planID string, version, n int, id string, l dayList[T], change func(*problems, *T) error) (*Editable, error) {
	return s.Edit(ctx, p, planID, version, func(r *Revision) error {
		d, err := day(r, n)
		if err != nil {
			return err
		}
		i, err := l.find(d, id)
		if err != nil {
			return err
		}
		var pr problems
		if err := change(&pr, &(*l.of(d))[i]); err != nil {
			return err
		}
		return pr.err()
	})
}

// deleteEntry removes one entry of day n.
func deleteEntry[T entry](s *Service, ctx context.Context, p *identity.Principal, planID string, version, n int, id string, l dayList[T]) (*Editable, error) {
	return s.Edit(ctx, p, planID, version, func(r *Revision) error {
		d, err := day(r, n)
		if err != nil {
			return err
		}
		i, err := l.find(d, id)
		if err != nil {
			return err
		}
		*l.of(d) = slices.Delete(*l.of(d), i, i+1)
		return nil
	})
}

// reorderEntries puts day n's list in the order of ids.
func reorderEntries[T entry](s *Service, ctx context.Context, p *identity.Principal, planID string, version, n int, ids []string, l dayList[T]) (*Editable, error) {
	return s.Edit(ctx, p, planID, version, func(r *Revision) error {
		d, err := day(r, n)
		if err != nil {
			return err
		}
		list := *l.of(d)
		order, err := permutation(ids, len(list), func(i int) string { return list[i].key() })
		if err != nil {
			return err
		}
		reordered := make([]T, len(order))
		for i, j := range order {
			reordered[i] = list[j]
		}
		*l.of(d) = reordered
		return nil
	})
}

// permutation maps ids to the positions of the n current elements, or
// explains why ids is not a reordering of them.
func permutation(ids []string, n int, idAt func(int) string) ([]int, error) {
	pos := make(map[string]int, n)
	for i := range n {
		pos[idAt(i)] = i
	}
	var pr problems
	if len(ids) != n {
		pr.add("body.ids", "ids must list each of the %d current ids once; it lists %d", n, len(ids))
	}
	seen := map[string]bool{}
	order := make([]int, 0, len(ids))
	for i, id := range ids {
		j, ok := pos[id]
		switch {
		case !ok:
			pr.add(fmt.Sprintf("body.ids[%d]", i), "%q is not one of this day's ids", id)
		case seen[id]:
			pr.add(fmt.Sprintf("body.ids[%d]", i), "%q is listed twice", id)
		default:
			seen[id] = true
			order = append(order, j)
		}
	}
	if err := pr.err(); err != nil {
		return nil, err
	}
	return order, nil
}

// TaskInput creates a task or changes one; nil fields stay as they are.
type TaskInput struct {
	Kind     *TaskKind
	Prompt   *string
	Minutes  *int
	Optional *bool
}

func applyTask(t *TaskContent, in TaskInput) {
	if in.Kind != nil {
		t.Kind = *in.Kind
	}
	if in.Prompt != nil {
		t.Prompt = *in.Prompt
	}
	if in.Minutes != nil {
		t.Minutes = *in.Minutes
	}
	if in.Optional != nil {
		t.Optional = *in.Optional
	}
	NormalizeTask(t)
}

// AddTask adds a task to day n at position at (1..len+1; 0: at the end).
func (s *Service) AddTask(ctx context.Context, p *identity.Principal, planID string, version, n, at int, in TaskInput) (*Editable, error) {
	t := Task{ID: NewID()}
	applyTask(&t.TaskContent, in)
	return addEntry(s, ctx, p, planID, version, n, at, tasksOf, t, func(pr *problems, t *Task) error {
		checkTask(pr, "body.", &t.TaskContent)
		return nil
	})
}

// UpdateTask changes a task of day n.
func (s *Service) UpdateTask(ctx context.Context, p *identity.Principal, planID string, version, n int, taskID string, in TaskInput) (*Editable, error) {
	return changeEntry(s, ctx, p, planID, version, n, taskID, tasksOf, func(pr *problems, t *Task) error {
		applyTask(&t.TaskContent, in)
		checkTask(pr, "body.", &t.TaskContent)
		return nil
	})
}

// DeleteTask removes a task of day n.
func (s *Service) DeleteTask(ctx context.Context, p *identity.Principal, planID string, version, n int, taskID string) (*Editable, error) {
	return deleteEntry(s, ctx, p, planID, version, n, taskID, tasksOf)
}

// ReorderTasks puts day n's tasks in the order of ids.
func (s *Service) ReorderTasks(ctx context.Context, p *identity.Principal, planID string, version, n int, ids []string) (*Editable, error) {
	return reorderEntries(s, ctx, p, planID, version, n, ids, tasksOf)
}
