package main

// The media streaming measurement (--media-stream): the server binary
// (--server-bin, bin/dharmaplans), in a process of its own so that its
// memory is its own, on the embedded defaults (SQLite, media in a local
// folder), receives a 100 MB WAV talk
// through its upload URL, processes it, and streams it whole to 32
// clients at once, twice each. A sampler reads the server's resident
// memory from /proc every 10 ms; the target is that streaming keeps it
// under 100 MB, which holds only if files are streamed, never buffered.

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const (
	mediaEmail     = "teacher@bench.example.org"
	mediaPassword  = "a long talk on the brahmaviharas"
	mediaFileSize  = 100 << 20
	mediaClients   = 32
	mediaDownloads = 2 // per client
	mediaRSSLimit  = 100 << 20
)

// mediaResult is what the measurement found.
type mediaResult struct {
	FileBytes    int64
	Clients      int
	Downloads    int
	StreamTime   time.Duration
	PeakRSS      int64 // while streaming
	StartRSS     int64 // once serving
	IdleRSS      int64 // just before streaming
	HWM          int64 // the process's peak, upload and processing included
	Failures     int
	UploadTime   time.Duration
	ProcessTime  time.Duration
	ServerCommit string
}

// runMediaStream runs the measurement and prints its report.
func runMediaStream(ctx context.Context, serverBin string, stdout io.Writer, log *progress) error {
	dir, err := os.MkdirTemp("", "dharmaplans-bench-media-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	port, err := freePort()
	if err != nil {
		return err
	}
	env := append(os.Environ(), "DHARMAPLANS_DATA_DIR="+dir, "DHARMAPLANS_ADDR=127.0.0.1:"+strconv.Itoa(port),
		"DATABASE_URL=", "REDIS_URL=", "DHARMAPLANS_LOG_LEVEL=warn")
	create := exec.CommandContext(ctx, serverBin, "user", "create", "--email", mediaEmail, "--role", "author", "--name", "Bench Teacher")
	create.Env, create.Stdin = env, strings.NewReader(mediaPassword+"\n")
	if out, err := create.CombinedOutput(); err != nil {
		return fmt.Errorf("%s user create: %v: %s (build it with make build)", serverBin, err, out)
	}
	cmd := exec.CommandContext(ctx, serverBin, "serve")
	cmd.Env = env
	var serverLog bytes.Buffer
	cmd.Stdout, cmd.Stderr = &serverLog, &serverLog
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	if err := waitHealthy(ctx, base); err != nil {
		return fmt.Errorf("%v\n%s", err, serverLog.String())
	}
	pid := cmd.Process.Pid
	log.Printf("%s serve (pid %d) on %s", serverBin, pid, base)

	c := &http.Client{}
	token, err := mediaLogin(ctx, c, base)
	if err != nil {
		return err
	}
	res := mediaResult{FileBytes: mediaFileSize, Clients: mediaClients, Downloads: mediaDownloads}
	res.StartRSS, _ = procStatus(pid, "VmRSS")
	started := time.Now()
	id, err := mediaUpload(ctx, c, base, token)
	if err != nil {
		return err
	}
	res.UploadTime = time.Since(started)
	log.Printf("uploaded %d MB in %s", mediaFileSize>>20, res.UploadTime.Round(time.Millisecond))
	started = time.Now()
	fileURL, err := mediaWaitReady(ctx, c, base, token, id)
	if err != nil {
		return err
	}
	res.ProcessTime = time.Since(started)
	log.Printf("processed in %s", res.ProcessTime.Round(time.Millisecond))

	time.Sleep(2 * time.Second) // let the runtime return what processing used
	res.IdleRSS, _ = procStatus(pid, "VmRSS")
	var peak atomic.Int64
	sampling, stopSampling := context.WithCancel(ctx)
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			if rss, err := procStatus(pid, "VmRSS"); err == nil && rss > peak.Load() {
				peak.Store(rss)
			}
			select {
			case <-sampling.Done():
				return
			case <-t.C:
			}
		}
	}()
	log.Printf("streaming to %d clients, %d downloads each", mediaClients, mediaDownloads)
	started = time.Now()
	var wg sync.WaitGroup
	var failures atomic.Int64
	for range mediaClients {
		wg.Go(func() {
			client := &http.Client{}
			for range mediaDownloads {
				if err := mediaDownload(ctx, client, fileURL); err != nil {
					failures.Add(1)
					log.Printf("download failed: %v", err)
				}
			}
		})
	}
	wg.Wait()
	res.StreamTime = time.Since(started)
	stopSampling()
	<-sampled
	res.PeakRSS = peak.Load()
	res.HWM, _ = procStatus(pid, "VmHWM")
	res.Failures = int(failures.Load())
	printMediaResult(stdout, res)
	if res.Failures > 0 {
		return fmt.Errorf("%d downloads failed", res.Failures)
	}
	return nil
}

func printMediaResult(w io.Writer, r mediaResult) {
	total := float64(r.FileBytes) * float64(r.Clients*r.Downloads)
	fmt.Fprintf(w, "\nmedia streaming: a %d MB WAV from the local store, %d clients at once, %d downloads each\n",
		r.FileBytes>>20, r.Clients, r.Downloads)
	fmt.Fprintf(w, "  upload %s, processing (checksum, duration, waveform) %s\n", r.UploadTime.Round(time.Millisecond), r.ProcessTime.Round(time.Millisecond))
	fmt.Fprintf(w, "  streamed %.1f GB in %s: %.0f MB/s, %d failures\n", total/(1<<30), r.StreamTime.Round(time.Millisecond),
		total/(1<<20)/r.StreamTime.Seconds(), r.Failures)
	fmt.Fprintf(w, "  server RSS: %.1f MB once serving, %.1f MB before streaming, %.1f MB at most while streaming; peak of the whole run (upload and processing too) %.1f MB\n",
		mb(r.StartRSS), mb(r.IdleRSS), mb(r.PeakRSS), mb(r.HWM))
	verdict := "met"
	if r.PeakRSS >= mediaRSSLimit || r.Failures > 0 {
		verdict = "not met"
	}
	fmt.Fprintf(w, "\ntargets\n  [%s] media streaming keeps the server under 100 MB RSS at %d clients: %.1f MB\n", verdict, r.Clients, mb(r.PeakRSS))
}

// freePort is a loopback port free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitHealthy waits until the server at base answers /healthz.
func waitHealthy(ctx context.Context, base string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("the server did not answer %s/healthz within 30 s", base)
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

// procStatus reads a memory figure (kB in /proc) of process pid, in bytes.
func procStatus(pid int, field string) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

func mediaLogin(ctx context.Context, c *http.Client, base string) (string, error) {
	var out struct {
		AccessToken string `json:"access_token"`
	}
	err := mediaJSON(ctx, c, http.MethodPost, base+"/v1/auth/login", "", map[string]string{"email": mediaEmail, "password": mediaPassword}, &out)
	return out.AccessToken, err
}

// mediaUpload declares, sends and completes the talk.
func mediaUpload(ctx context.Context, c *http.Client, base, token string) (string, error) {
	var up struct {
		Media struct {
			ID string `json:"id"`
		} `json:"media"`
		Upload struct {
			Method  string            `json:"method"`
			URL     string            `json:"url"`
			Headers map[string]string `json:"headers"`
		} `json:"upload"`
	}
	if err := mediaJSON(ctx, c, http.MethodPost, base+"/v1/media/uploads", token,
		map[string]any{"filename": "long talk.wav", "content_type": "audio/wav", "size": mediaFileSize}, &up); err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, up.Upload.Method, up.Upload.URL, io.LimitReader(newTalk(mediaFileSize), mediaFileSize))
	if err != nil {
		return "", err
	}
	req.ContentLength = mediaFileSize
	for k, v := range up.Upload.Headers {
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		return "", err
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		return "", fmt.Errorf("upload: %s: %s", res.Status, body)
	}
	return up.Media.ID, mediaJSON(ctx, c, http.MethodPost, base+"/v1/media/uploads/"+up.Media.ID+"/complete", token, nil, nil)
}

// mediaWaitReady waits until the talk is processed and returns its URL.
func mediaWaitReady(ctx context.Context, c *http.Client, base, token, id string) (string, error) {
	for {
		var m struct {
			Status, Failure, URL string
		}
		if err := mediaJSON(ctx, c, http.MethodGet, base+"/v1/media/"+id, token, nil, &m); err != nil {
			return "", err
		}
		switch m.Status {
		case "ready":
			return m.URL, nil
		case "processing":
		default:
			return "", fmt.Errorf("media is %s: %s", m.Status, m.Failure)
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// mediaDownload fetches url whole and checks its length.
func mediaDownload(ctx context.Context, c *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	n, err := io.Copy(io.Discard, res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK || n != mediaFileSize {
		return fmt.Errorf("%s, %d bytes", res.Status, n)
	}
	return nil
}

func mediaJSON(ctx context.Context, c *http.Client, method, url, token string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s: %s", method, url, res.Status, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// talk yields a mono 16-bit 44.1 kHz WAV of size bytes, made as it is
// read: a tone whose loudness rises and falls, so the waveform has a shape.
type talk struct {
	header []byte
	n      int64
}

func newTalk(size int64) *talk {
	var h bytes.Buffer
	h.WriteString("RIFF")
	binary.Write(&h, binary.LittleEndian, uint32(size-8))
	h.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(44100), uint32(88200), uint16(2), uint16(16)} {
		binary.Write(&h, binary.LittleEndian, v)
	}
	h.WriteString("data")
	binary.Write(&h, binary.LittleEndian, uint32(size-44))
	return &talk{header: h.Bytes()}
}

func (t *talk) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(t.header) > 0 {
			c := copy(p[n:], t.header)
			t.header, n = t.header[c:], n+c
			continue
		}
		sample := t.n / 2
		amp := 1 + (sample/44100)%20*1500 // louder each second, for 20 s, then again
		v := int16(amp * ((sample%100)/50*2 - 1))
		if t.n%2 == 0 {
			p[n] = byte(v)
		} else {
			p[n] = byte(uint16(v) >> 8)
		}
		t.n++
		n++
	}
	return n, nil
}
