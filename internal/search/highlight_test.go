package search_test

import (
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/search"
)

func parse(t testing.TB, raw string) *search.Query {
	t.Helper()
	q, err := search.Parse("q", raw)
	if err != nil {
		t.Fatalf("Parse(%q): %v", raw, err)
	}
	return q
}

func TestHighlightMarksWordsAsWritten(t *testing.T) {
	for _, tc := range []struct {
		q, text, want string
		matched       bool
	}{
		{"metta", "Mettā for Beginners", "<mark>Mettā</mark> for Beginners", true},
		{"Mettā", "a week of metta", "a week of <mark>metta</mark>", true},
		{"satipatthana", "The Satipaṭṭhāna Sutta", "The <mark>Satipaṭṭhāna</mark> Sutta", true},
		{"loving-kindness", "Mettā, or loving-kindness", "<mark>Mettā</mark>, or <mark>loving</mark>-<mark>kindness</mark>", true},
		{"emptiness", "Śūnyatā in plain words", "<mark>Śūnyatā</mark> in plain words", true},
		{"zaz", "Zazen daily", "<mark>Zazen</mark> daily", true}, // the start of a word, as the engines match
		{"zen", "Zazen daily", "Zazen daily", false},
		{"metta", "Sīla & Samādhi <b>now</b>", "Sīla &amp; Samādhi &lt;b&gt;now&lt;/b&gt;", false},
		{"samadhi", `Sīla & "Samādhi"`, `Sīla &amp; &#34;<mark>Samādhi</mark>&#34;`, true},
		// A phrase's words are marked where they spell it, not one by one.
		{"anapanasati", "Mindfulness of breathing, of course", "<mark>Mindfulness</mark> <mark>of</mark> <mark>breathing</mark>, of course", true},
		{"anapanasati", "The Heart of Compassion", "The Heart of Compassion", false},
		{"satipatthana", "mindfulness, of the body; foundations of mindful", "mindfulness, of the body; foundations of mindful", false},
		{"satipatthana", "Four Foundations of Mindfulness", "Four <mark>Foundations</mark> <mark>of</mark> <mark>Mindfulness</mark>", true},
		{"metta", "loving and kindness", "loving and kindness", false},
		{"metta", "", "", false},
		{"metta", "<>&", "&lt;&gt;&amp;", false},
	} {
		got, matched := parse(t, tc.q).Highlight(tc.text)
		if got != tc.want || matched != tc.matched {
			t.Errorf("Highlight(%q, %q)\n got %q, %v\nwant %q, %v", tc.q, tc.text, got, matched, tc.want, tc.matched)
		}
	}
}

func TestSnippetQuotesAroundTheFirstMatch(t *testing.T) {
	words := func(from, to int) string {
		var w []string
		for i := from; i <= to; i++ {
			w = append(w, "w"+strings.Repeat("x", i%3)+string(rune('a'+i%26)))
		}
		return strings.Join(w, " ")
	}
	long := words(1, 20) + " Mettā " + words(22, 60)

	t.Run("a match deep in the text is quoted with ellipses at both cuts", func(t *testing.T) {
		got, ok := parse(t, "metta").Snippet(long)
		if !ok || !strings.HasPrefix(got, "… ") || !strings.HasSuffix(got, " …") || !strings.Contains(got, "<mark>Mettā</mark>") {
			t.Fatalf("snippet %q, %v", got, ok)
		}
		if n := len(strings.Fields(got)) - 2; n != search.SnippetWords {
			t.Errorf("%d words quoted, want %d: %q", n, search.SnippetWords, got)
		}
		if before := strings.Index(got, "<mark>"); len(strings.Fields(got[:before])) < 2 {
			t.Errorf("no words before the match: %q", got)
		}
	})
	t.Run("a match near the end quotes the end, cut only at the start", func(t *testing.T) {
		text := words(1, 50) + " mettā"
		got, ok := parse(t, "metta").Snippet(text)
		if !ok || !strings.HasPrefix(got, "… ") || !strings.HasSuffix(got, "<mark>mettā</mark>") {
			t.Errorf("snippet %q, %v", got, ok)
		}
	})
	t.Run("a match at the start is cut only at the end", func(t *testing.T) {
		got, ok := parse(t, "metta").Snippet("Mettā " + words(1, 40))
		if !ok || !strings.HasPrefix(got, "<mark>Mettā</mark> ") || !strings.HasSuffix(got, " …") {
			t.Errorf("snippet %q, %v", got, ok)
		}
	})
	t.Run("without a match the beginning of the text is quoted", func(t *testing.T) {
		got, ok := parse(t, "nibbana").Snippet(long)
		if ok || strings.Contains(got, "<mark>") || !strings.HasPrefix(got, "wxb wxxc") || !strings.HasSuffix(got, " …") {
			t.Errorf("snippet %q, %v", got, ok)
		}
	})
	t.Run("a short text is quoted whole", func(t *testing.T) {
		got, ok := parse(t, "sila").Snippet("Keep sīla & calm.")
		if want := "Keep <mark>sīla</mark> &amp; calm."; !ok || got != want {
			t.Errorf("snippet %q, %v; want %q", got, ok, want)
		}
	})
	t.Run("text is escaped and only the marks are tags", func(t *testing.T) {
		got, _ := parse(t, "alert").Snippet(`Where <script>alert("metta")</script> & calm meet`)
		want := `Where &lt;script&gt;<mark>alert</mark>(&#34;metta&#34;)&lt;/script&gt; &amp; calm meet`
		if got != want {
			t.Errorf("snippet\n got %q\nwant %q", got, want)
		}
	})
}
