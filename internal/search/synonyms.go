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
