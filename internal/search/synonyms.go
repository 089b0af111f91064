package search

import "strings"

// synonymSets are words and phrases that mean one thing: English,
// Pali and Sanskrit. A query with any of them finds the others. Spellings
// are folded when the package loads, so they may keep their diacritics.
// Add to this list; keep each set to one meaning.
var synonymSets = [][]string{
	{"mettā", "maitrī", "loving-kindness", "lovingkindness", "loving kindness"},
	{"karuṇā", "compassion"},
	{"muditā", "sympathetic joy", "appreciative joy"},
	{"upekkhā", "upekṣā", "equanimity"},
	{"brahmavihāra", "brahmavihāras", "divine abodes", "sublime attitudes"},
	{"sati", "smṛti", "mindfulness"},
	{"ānāpānasati", "mindfulness of breathing"},
	{"satipaṭṭhāna", "smṛtyupasthāna", "foundations of mindfulness", "establishments of mindfulness"},
	{"dhamma", "dharma"},
	{"nibbāna", "nirvāṇa"},
	{"suññatā", "śūnyatā", "emptiness"},
	{"kamma", "karma"},
	{"dukkha", "duḥkha", "suffering"},
	{"anattā", "anātman", "not-self", "non-self"},
	{"anicca", "anitya", "impermanence"},
	{"sutta", "sūtra"},
	{"jhāna", "dhyāna"},
	{"samādhi", "concentration"},
	{"vipassanā", "vipaśyanā", "insight"},
	{"samatha", "śamatha", "calm abiding"},
	{"bodhisatta", "bodhisattva"},
	{"saṅgha", "sangha", "community"},
	{"dāna", "generosity"},
	{"sīla", "śīla", "virtue"},
	{"paññā", "prajñā", "wisdom"},
}

// synonyms are synonymSets folded into phrases of words.
var synonyms = func() [][]Alternative {
	out := make([][]Alternative, len(synonymSets))
	for i, set := range synonymSets {
		seen := map[string]bool{}
		for _, s := range set {
			words := Words(s)
			key := strings.Join(words, " ")
			if len(words) == 0 || seen[key] {
				continue
			}
			seen[key] = true
			out[i] = append(out[i], words)
		}
	}
	return out
}()

// synonymsAt finds the longest phrase of a synonym set that words begin
// with, returning the set's phrases (distinct, in the list's order) and
// how many words the phrase takes; 0 when none matches.
func synonymsAt(words []string) ([]Alternative, int) {
	var best []Alternative
	n := 0
	for _, set := range synonyms {
		for _, phrase := range set {
			if len(phrase) > n && hasPrefix(words, phrase) {
				best, n = set, len(phrase)
			}
		}
	}
	return best, n
}

func hasPrefix(words, phrase []string) bool {
	if len(phrase) > len(words) {
		return false
	}
	for i, w := range phrase {
		if words[i] != w {
			return false
		}
	}
	return true
}

// phrasesByFirst are the synonym phrases of more than one word, by their
// first word.
var phrasesByFirst = func() map[string][]Alternative {
	out := map[string][]Alternative{}
	for _, set := range synonyms {
		for _, phrase := range set {
			if len(phrase) > 1 {
				out[phrase[0]] = append(out[phrase[0]], phrase)
			}
		}
	}
	return out
}()

// Compound is a phrase written as one word ("loving kindness" is
// "lovingkindness"). Documents carry the compound of each synonym phrase
// they have, so that PostgreSQL finds a phrase from its GIN index alone:
// matching words in sequence would make it read every candidate's
// document again for the words' positions.
func (a Alternative) Compound() string { return strings.Join(a, "") }

// compounds returns the compounds of the synonym phrases in words, in the
// order they occur.
func compounds(words []string) []string {
	var out []string
	for i, w := range words {
		for _, phrase := range phrasesByFirst[w] {
			if hasPrefix(words[i:], phrase) {
				out = append(out, phrase.Compound())
			}
		}
	}
	return out
}
