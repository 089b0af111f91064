package cache

// ErrorsTotal lets the external tests read the failure counter.
var ErrorsTotal = errorsTotal
