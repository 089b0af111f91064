package token

// CacheLen reports how many verified tokens i remembers, after pending
// cache maintenance has run.
func CacheLen(i *Issuer) int {
	if i.cache == nil {
		return 0
	}
	i.cache.CleanUp()
	return i.cache.EstimatedSize()
}
