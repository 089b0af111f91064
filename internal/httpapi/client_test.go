package httpapi

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientIP(t *testing.T) {
	lb := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	cases := []struct {
		name    string
		remote  string
		xff     []string
		trusted []netip.Prefix
		want    string
	}{
		{"direct client", "203.0.113.7:5555", nil, nil, "203.0.113.7"},
		{"a forged header from an untrusted peer is ignored", "203.0.113.7:5555", []string{"198.51.100.1"}, lb, "203.0.113.7"},
		{"behind a trusted load balancer", "10.0.0.2:5555", []string{"198.51.100.1"}, lb, "198.51.100.1"},
		{"a client cannot pick its address by prepending", "10.0.0.2:5555", []string{"1.2.3.4, 198.51.100.1"}, lb, "198.51.100.1"},
		{"chained trusted proxies are skipped", "10.0.0.2:5555", []string{"198.51.100.1, 10.1.1.1", "10.2.2.2"}, lb, "198.51.100.1"},
		{"garbage stops the walk at the proxy", "10.0.0.2:5555", []string{"not-an-ip"}, lb, "10.0.0.2"},
		{"IPv4-mapped IPv6 is plain IPv4", "[::ffff:203.0.113.9]:1", nil, nil, "203.0.113.9"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = c.remote
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := clientIP(r, c.trusted); got != c.want {
				t.Errorf("clientIP = %q, want %q", got, c.want)
			}
		})
	}
}

func TestIsLocalhost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost:8080": true, "127.0.0.1:8080": true, "[::1]:8080": true, "app.localhost": true,
		"plans.example.org": false, "10.0.0.1:80": false, "localhost.example.org": false,
	} {
		if got := isLocalhost(host); got != want {
			t.Errorf("isLocalhost(%q) = %v, want %v", host, got, want)
		}
	}
}

func FuzzClientIP(f *testing.F) {
	f.Add("10.0.0.2:5555", "198.51.100.1, 10.1.1.1")
	f.Add("[::1]:1", "::ffff:1.2.3.4")
	f.Add("garbage", ",,,")
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	f.Fuzz(func(t *testing.T, remote, xff string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = remote
		r.Header.Set("X-Forwarded-For", xff)
		got := clientIP(r, trusted)
		if a, err := netip.ParseAddr(got); err == nil && isTrusted(a, trusted) {
			// Only the peer itself may be a trusted address in the answer.
			peer, err := netip.ParseAddr(remote)
			if ap, aerr := netip.ParseAddrPort(remote); aerr == nil {
				peer, err = ap.Addr(), nil
			}
			if err != nil || peer.Unmap() != a {
				t.Fatalf("clientIP(%q, %q) = trusted %q", remote, xff, got)
			}
		}
	})
}
