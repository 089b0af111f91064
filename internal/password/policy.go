package password

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
)

// Length limits of a password, in characters: Unicode code points (runes),
// not bytes, counted as typed (spaces count; nothing is trimmed). The maximum
// only stops absurd input; long passphrases are welcome.
const (
	MinLength = 10
	MaxLength = 1024
)

// minPersonalLength is the shortest personal string Check looks for: shorter
// ones ("Bo", "ann") occur by chance in good passwords.
const minPersonalLength = 4

// The reasons Check gives. They are safe to show to the user.
var (
	reasonTooShort = fmt.Sprintf("must be at least %d characters", MinLength)
	reasonTooLong  = fmt.Sprintf("must be at most %d characters", MaxLength)
	reasonCommon   = "is one of the most common passwords; choose another"
	reasonPersonal = "must not contain your email address or name"
)

// Check returns the reasons plain is not acceptable as a new password, or nil
// when it is. It is refused when it has fewer than MinLength or more than
// MaxLength characters, when it is on the list of common passwords (ignoring
// case), or when it contains, ignoring case, one of the personal strings (the
// user's email address or its local part, display name) that has at least
// four characters. The reasons are short phrases about "the password", such
// as "must be at least 10 characters".
func Check(plain string, personal ...string) []string {
	n := utf8.RuneCountInString(plain)
	if n > MaxLength {
		// Nothing else is worth computing on a megabyte of input.
		return []string{reasonTooLong}
	}
	var reasons []string
	if n < MinLength {
		reasons = append(reasons, reasonTooShort)
	}
	lower := strings.ToLower(plain)
	if isCommon(lower) {
		reasons = append(reasons, reasonCommon)
	}
	if containsPersonal(lower, personal) {
		reasons = append(reasons, reasonPersonal)
	}
	return reasons
}

// containsPersonal reports whether lower contains one of the personal strings
// of at least minPersonalLength characters, ignoring case and surrounding
// space. Of a full email address it also looks for the local part.
func containsPersonal(lower string, personal []string) bool {
	for _, s := range personal {
		s = strings.ToLower(strings.TrimSpace(s))
		candidates := []string{s}
		if at := strings.LastIndexByte(s, '@'); at >= 0 {
			candidates = append(candidates, s[:at])
		}
		for _, c := range candidates {
			if utf8.RuneCountInString(c) >= minPersonalLength && strings.Contains(lower, c) {
				return true
			}
		}
	}
	return false
}

// commonPasswordsGz is the list of common passwords: lowercased, sorted, one
// a line, only those of at least MinLength characters. README.md says where
// it comes from; internal/gen rebuilds it.
//
//go:embed common-passwords.txt.gz
var commonPasswordsGz []byte

// commonPasswords is the set form of the list, built on first use: about
// 12,000 entries, well under a megabyte.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	zr, err := gzip.NewReader(bytes.NewReader(commonPasswordsGz))
	if err != nil {
		panic("password: embedded common-password list: " + err.Error())
	}
	set := make(map[string]struct{}, 16384)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		set[sc.Text()] = struct{}{}
	}
	if err := sc.Err(); err != nil {
		panic("password: embedded common-password list: " + err.Error())
	}
	return set
})

// isCommon reports whether lower, an already lowercased password, is on the
// list of common passwords.
func isCommon(lower string) bool {
	_, ok := commonPasswords()[lower]
	return ok
}
