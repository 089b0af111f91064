package ratelimit

// The counters, for the external tests to read.
var (
	ErrorsTotal  = errorsTotal
	RefusedTotal = refusedTotal
)

// Len reports about how many keys m remembers once pending evictions and
// removals of rested keys have run.
func (m *Memory) Len() int {
	m.c.CleanUp()
	return m.c.EstimatedSize()
}
