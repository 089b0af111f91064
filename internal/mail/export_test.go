package mail

// SentTotal lets the external tests read the sent counter.
var SentTotal = sentTotal
