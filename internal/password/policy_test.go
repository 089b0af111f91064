package password_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dharmaplans/dharmaplans/internal/password"
)

const (
	tooShort = "must be at least 10 characters"
	tooLong  = "must be at most 1024 characters"
	common   = "is one of the most common passwords; choose another"
	personal = "must not contain your email address or name"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		plain    string
		personal []string
		want     []string
	}{
		{name: "a long passphrase is fine", plain: passphrase},
		{name: "ten characters are enough", plain: "lotus-seat"},
		{name: "nine characters are too few", plain: "lotus-sea", want: []string{tooShort}},
		{name: "the empty password is too short", plain: "", want: []string{tooShort}},
		{name: "spaces count and are not trimmed", plain: "   lotus  ", want: nil},
		{name: "password12 is common", plain: "password12", want: []string{common}},
		{name: "1234567890 is common", plain: "1234567890", want: []string{common}},
		{name: "qwertyuiop is common", plain: "qwertyuiop", want: []string{common}},
		{name: "common passwords match whatever the case", plain: "QwertyUIOP", want: []string{common}},
		{name: "a common password with a year appended is common", plain: "Password2024", want: []string{common}},
		{name: "a common word with 123 appended is common", plain: "iloveyou123", want: []string{common}},
		{name: "characters are counted as runes, not bytes", plain: "Mettā-bhāvanā!"},
		{name: "nine runes in more than ten bytes are too few", plain: "mettābhāv", want: []string{tooShort}},
		{name: "ten two-byte runes are enough", plain: strings.Repeat("ā", 10)},
		{name: "ten four-byte runes are enough", plain: strings.Repeat("🪷", 10)},
		{name: "1024 characters are allowed", plain: strings.Repeat("ā", password.MaxLength)},
		{name: "1025 characters are too many", plain: strings.Repeat("a", password.MaxLength+1), want: []string{tooLong}},
		{
			name: "containing the display name is refused", plain: "tenzin-likes-tea",
			personal: []string{"Tenzin"}, want: []string{personal},
		},
		{
			name: "being the display name is refused", plain: "Tenzin Palmo",
			personal: []string{"tenzin palmo"}, want: []string{personal},
		},
		{
			name: "containing the email local part is refused", plain: "sariputta.monk!",
			personal: []string{"sariputta", "Sāriputta Thera"}, want: []string{personal},
		},
		{
			name: "containing the local part of a full email address is refused", plain: "my name is upali really",
			personal: []string{"upali@example.org"}, want: []string{personal},
		},
		{
			name: "personal strings under four characters are ignored", plain: "bob is on the cushion",
			personal: []string{"bob", " ", ""},
		},
		{
			name: "personal strings are trimmed", plain: "ananda at the gate",
			personal: []string{"  Ananda  "}, want: []string{personal},
		},
		{
			name: "every broken rule is reported", plain: "ananda",
			personal: []string{"Ananda"}, want: []string{tooShort, personal},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := password.Check(tt.plain, tt.personal...); !slices.Equal(got, tt.want) {
				t.Errorf("Check(%q, %q) = %q, want %q", tt.plain, tt.personal, got, tt.want)
			}
		})
	}
}

func TestCommonList(t *testing.T) {
	t.Parallel()
	list := password.CommonPasswords()
	if len(list) < 10000 {
		t.Errorf("the common-password list has %d entries, want at least 10,000", len(list))
	}
	for p := range list {
		if n := utf8.RuneCountInString(p); n < password.MinLength || n > password.MaxLength {
			t.Errorf("entry %q has %d characters: the length rule refuses it anyway", p, n)
		}
		if p != strings.ToLower(p) {
			t.Errorf("entry %q is not lowercase", p)
		}
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("password12", "")
	f.Add(passphrase, "Tenzin")
	f.Add("Mettā-bhāvanā!", "mettā@example.org")
	f.Add("\xff\xfe\xfd", "\xff")
	f.Add(strings.Repeat("ā", password.MaxLength+1), "ā")
	known := []string{tooShort, tooLong, common, personal}
	f.Fuzz(func(t *testing.T, plain, name string) {
		got := password.Check(plain, name)
		if again := password.Check(plain, name); !slices.Equal(got, again) {
			t.Fatalf("Check is not stable: %q then %q", got, again)
		}
		for _, r := range got {
			if !slices.Contains(known, r) {
				t.Errorf("unknown reason %q", r)
			}
		}
		n := utf8.RuneCountInString(plain)
		if (n < password.MinLength) != slices.Contains(got, tooShort) {
			t.Errorf("%d characters, reasons %q", n, got)
		}
		if (n > password.MaxLength) != slices.Contains(got, tooLong) {
			t.Errorf("%d characters, reasons %q", n, got)
		}
	})
}

func BenchmarkCheck(b *testing.B) {
	for _, plain := range []string{"password12", "Password2024", passphrase} {
		b.Run(plain, func(b *testing.B) {
			for b.Loop() {
				password.Check(plain, "sariputta", "Sāriputta Thera")
			}
		})
	}
}

func BenchmarkCommonLookup(b *testing.B) {
	password.IsCommon("") // load the list outside the timing
	for _, plain := range []string{"password12", passphrase} {
		b.Run(plain, func(b *testing.B) {
			for b.Loop() {
				password.IsCommon(plain)
			}
		})
	}
}
