package identity_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

func TestAuthorize(t *testing.T) {
	cases := []struct {
		role   identity.Role
		action identity.Action
		want   errs.Code // "" means allowed
	}{
		{identity.RoleUser, identity.UseAccount, ""},
		{identity.RoleUser, identity.AuthorPlans, errs.Forbidden},
		{identity.RoleUser, identity.ManageUsers, errs.Forbidden},
		{identity.RoleAuthor, identity.AuthorPlans, ""},
		{identity.RoleAuthor, identity.ReviewPlans, errs.Forbidden},
		{identity.RoleAuthor, identity.ManageUsers, errs.Forbidden},
		{identity.RoleAdmin, identity.ManageUsers, ""},
		{identity.RoleAdmin, identity.ReviewPlans, ""},
		{identity.RoleAdmin, identity.AuthorPlans, ""},
		{identity.RoleAdmin, identity.Action("plans.delete-everything"), errs.Forbidden}, // not in the table: denied
		{identity.Role("owner"), identity.UseAccount, errs.Forbidden},                    // unknown role: nothing
	}
	for _, c := range cases {
		err := identity.Authorize(&identity.Principal{UserID: "u", Role: c.role}, c.action)
		got := errs.Code("")
		if err != nil {
			got = errs.CodeOf(err)
		}
		if got != c.want {
			t.Errorf("%s doing %s: %q, want %q", c.role, c.action, got, c.want)
		}
	}
	if err := identity.Authorize(nil, identity.UseAccount); errs.CodeOf(err) != errs.Unauthenticated {
		t.Errorf("no principal: %v, want unauthenticated", err)
	}
}

func TestNormalizeEmail(t *testing.T) {
	good := map[string]string{
		"  Ananda@Example.ORG ":    "ananda@example.org",
		"a.b+plans@sub.example.lk": "a.b+plans@sub.example.lk",
		"dev@localhost":            "dev@localhost",
	}
	for in, want := range good {
		got, err := identity.NormalizeEmail(in)
		if err != nil || got != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", " ", "ananda", "ananda@", "@example.org", "Ananda <a@example.org>", "a@b", "a@@example.org",
		"a b@example.org", strings.Repeat("a", 250) + "@example.org"} {
		if got, err := identity.NormalizeEmail(in); err == nil {
			t.Errorf("NormalizeEmail(%q) = %q, want an error", in, got)
		}
	}
}

func TestCheckTimezone(t *testing.T) {
	for _, tz := range []string{"UTC", "Asia/Colombo", "America/Los_Angeles", "Asia/Kathmandu", "Australia/Lord_Howe"} {
		if err := identity.CheckTimezone(tz); err != nil {
			t.Errorf("%s: %v", tz, err)
		}
	}
	for _, tz := range []string{"", "Local", "Mars/Olympus_Mons", "../../etc/passwd", "asia/colombo ", "Europe/"} {
		if err := identity.CheckTimezone(tz); err == nil {
			t.Errorf("%q accepted", tz)
		}
	}
}

func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{"a@example.org", " A@B.C ", "\"quoted\"@example.org", "a@[127.0.0.1]", "ā@example.org", "x@y", "<a@b.c>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := identity.NormalizeEmail(in)
		if err != nil {
			return
		}
		if !utf8.ValidString(out) || out != strings.ToLower(strings.TrimSpace(out)) || len(out) > 254 {
			t.Fatalf("NormalizeEmail(%q) = %q: not normal", in, out)
		}
		again, err := identity.NormalizeEmail(out)
		if err != nil || again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", in, out, again, err)
		}
	})
}

func FuzzCheckTimezone(f *testing.F) {
	for _, s := range []string{"UTC", "Asia/Colombo", "Etc/GMT+5", "../x", "Local"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tz string) {
		_ = identity.CheckTimezone(tz) // must not panic or read outside the tz database
	})
}
