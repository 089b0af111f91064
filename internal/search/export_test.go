package search

// NewFolder folds a whole text at once, for tests that compare Fold with it.
var NewFolder = newFolder
