package testenv

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// seaweedfsVersion is the SeaweedFS commit the tests are written against.
// `make tools` builds it as weed-<version> (SEAWEEDFS_VERSION there).
const seaweedfsVersion = "7506e5f91cd6"

// S3Server is an S3-protocol server on loopback: a SeaweedFS that checks
// request signatures against AccessKeyID and SecretAccessKey.
type S3Server struct {
	// Endpoint is the server's URL, http://127.0.0.1:<port>. Address
	// buckets in the path (path style).
	Endpoint        string
	Region          string
	AccessKeyID     string
	SecretAccessKey string
	client          *s3.Client
}

// seaweedfs is the one SeaweedFS of this test binary.
var seaweedfs struct {
	once    sync.Once
	server  *S3Server
	missing string // why there is no binary, if there is none
	err     error  // why it did not start
	// watchdog is the write end of the watchdog's stdin, held open until
	// this process ends; see startSeaweedFS.
	watchdog *os.File
}

// SeaweedFS returns the SeaweedFS of this test binary, starting it on the
// first call: `weed mini` on loopback ports of its own, with its data in a
// temporary directory. It takes a few seconds to start, so one serves every
// test; give each test a bucket of its own with Bucket. It stops when the
// test binary ends, however it ends.
//
// The binary is $WEED, else weed on PATH, else weed-<version> in
// $(go env GOBIN) or $(go env GOPATH)/bin, which `make tools` builds.
// Without one the test fails under CI and is skipped elsewhere.
func SeaweedFS(t testing.TB) *S3Server {
	t.Helper()
	seaweedfs.once.Do(func() {
		bin, missing := findWeed()
		if missing != "" {
			seaweedfs.missing = missing
			return
		}
		seaweedfs.server, seaweedfs.err = startSeaweedFS(bin)
	})
	if seaweedfs.missing != "" {
		Unavailable(t, "%s", seaweedfs.missing)
	}
	if seaweedfs.err != nil {
		t.Fatalf("start SeaweedFS: %v", seaweedfs.err)
	}
	return seaweedfs.server
}

// Bucket creates an empty bucket for t and returns its name. It is deleted,
// with whatever it holds, when t ends.
func (s *S3Server) Bucket(t testing.TB) string {
	t.Helper()
	name := "test-" + randomHex(8)
	ctx := context.Background()
	if _, err := s.client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &name}); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
	t.Cleanup(func() {
		// SeaweedFS keeps each bucket's objects in volumes of their own,
		// freed when the bucket goes (-s3.allowDeleteBucketNotEmpty).
		if _, err := s.client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: &name}); err != nil {
			t.Logf("delete bucket %s: %v", name, err)
		}
	})
	return name
}

// findWeed returns the path of the SeaweedFS binary, or why there is none.
func findWeed() (path, missing string) {
	install := "build it with: make tools"
	if p := os.Getenv("WEED"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Sprintf("WEED=%s: %v; %s", p, err, install)
		}
		return p, ""
	}
	if p, err := exec.LookPath("weed"); err == nil {
		return p, ""
	}
	where := "$(go env GOPATH)/bin/weed-" + seaweedfsVersion
	if dir := goBinDir(); dir != "" {
		p := filepath.Join(dir, "weed-"+seaweedfsVersion)
		if _, err := os.Stat(p); err == nil {
			return p, ""
		}
		where = p
	}
	return "", fmt.Sprintf("S3 tests need SeaweedFS (not in $WEED, on PATH or at %s); %s", where, install)
}

// goBinDir is where go install puts binaries: GOBIN, else the first GOPATH
// entry's bin; empty if go env fails.
func goBinDir() string {
	out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output()
	if err != nil {
		return ""
	}
	lines := strings.Split(string(out), "\n")
	if dir := strings.TrimSpace(lines[0]); dir != "" {
		return dir
	}
	if len(lines) > 1 {
		if gopath := filepath.SplitList(strings.TrimSpace(lines[1])); len(gopath) > 0 && gopath[0] != "" {
			return filepath.Join(gopath[0], "bin")
		}
	}
	return ""
}

// startSeaweedFS starts weed mini and waits until it stores objects. A port
// found free may be taken before weed binds it, which shows as weed exiting
// at once; other ports on a second try avoid that flake.
func startSeaweedFS(bin string) (*S3Server, error) {
	var lastErr error
	for range 3 {
		s, err := startWeedMini(bin)
		if err == nil {
			return s, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

// seaweedfsTimeout is how long weed mini may take to store a first object;
// it usually takes about 4 seconds.
const seaweedfsTimeout = 60 * time.Second

func startWeedMini(bin string) (*S3Server, error) {
	dir, err := os.MkdirTemp("", "seaweedfs-test-")
	if err != nil {
		return nil, err
	}
	// Every port weed mini opens is named: its defaults (9333, 9340, 8888,
	// 8333...) would clash with another test binary's weed or a developer's
	// own, and for a taken default port it quietly picks another. WebDAV,
	// Iceberg, Lance and the admin server's legacy port are off; the admin
	// server itself starts even without its UI.
	services := []string{"master", "volume", "filer", "s3", "admin"}
	ports, err := freePorts(2 * len(services))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	args := []string{
		"-logdir=" + dir,
		"mini",
		"-dir=" + dir,
		"-ip=127.0.0.1",
		"-ip.bind=127.0.0.1",
		"-admin.port.legacy=0",
		"-filer.localSocket=" + filepath.Join(dir, "filer.sock"),
		"-s3.localSocket=" + filepath.Join(dir, "s3.sock"),
		"-s3.port.iceberg=0",
		"-s3.port.lance=0",
		"-s3.allowDeleteBucketNotEmpty=true",
		"-master.telemetry=false",
		"-webdav=false",
		"-admin.ui=false",
	}
	// weed mini also listens on a socket in /tmp for each gRPC port,
	// whatever -dir says, and leaves it behind.
	leftovers := []string{dir}
	for i, name := range services {
		httpPort, grpcPort := strconv.Itoa(ports[2*i]), strconv.Itoa(ports[2*i+1])
		args = append(args, "-"+name+".port="+httpPort, "-"+name+".port.grpc="+grpcPort)
		leftovers = append(leftovers, "/tmp/seaweedfs-"+name+"-grpc-"+grpcPort+".sock")
	}
	s := &S3Server{
		Endpoint:        "http://127.0.0.1:" + strconv.Itoa(ports[2*slices.Index(services, "s3")]),
		Region:          "us-east-1",
		AccessKeyID:     "test" + randomHex(8),
		SecretAccessKey: randomHex(20),
	}
	cmd := exec.Command(bin, args...)
	// With these set, weed mini makes them its administrator's credentials
	// and refuses requests not signed with them. A developer's own AWS_*,
	// S3_* and WEED_* settings and ~/.seaweedfs stay out.
	cmd.Dir = dir
	cmd.Env = append(slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "AWS_") || strings.HasPrefix(kv, "S3_") || strings.HasPrefix(kv, "WEED_") || strings.HasPrefix(kv, "HOME=")
	}), "HOME="+dir, "AWS_ACCESS_KEY_ID="+s.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+s.SecretAccessKey)
	var output Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		cmd.Process.Kill()
		<-exited
		for _, p := range leftovers {
			os.RemoveAll(p)
		}
	}

	// The server outlives every test, and a test binary has no hook at its
	// end without a TestMain: a shell waits on a pipe that only this
	// process holds open. The kernel closes it when the process ends, for
	// whatever reason, and the shell then stops weed and removes its files.
	r, w, err := os.Pipe()
	if err != nil {
		stop()
		return nil, err
	}
	script := `read _; kill -9 "$1"; shift; rm -rf "$@"`
	watchdog := exec.Command("sh", append([]string{"-c", script, "sh", strconv.Itoa(cmd.Process.Pid)}, leftovers...)...)
	watchdog.Stdin = r
	err = watchdog.Start()
	r.Close()
	if err != nil {
		w.Close()
		stop()
		return nil, fmt.Errorf("start the shell that stops SeaweedFS: %w", err)
	}
	stopAll := func() {
		// Killed, the shell never runs kill, so it cannot hit a process
		// that took weed's id after weed ended.
		watchdog.Process.Kill()
		watchdog.Wait()
		w.Close()
		stop()
	}

	s.client = s3.New(s3.Options{
		BaseEndpoint: &s.Endpoint,
		Region:       s.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(s.AccessKeyID, s.SecretAccessKey, ""),
		UsePathStyle: true,
		HTTPClient:   &http.Client{Timeout: 30 * time.Second},
	})
	deadline := time.Now().Add(seaweedfsTimeout)
	for {
		err := s.ready()
		if err == nil {
			break
		}
		select {
		case exit := <-exited:
			exited <- exit // for stop
			stopAll()
			return nil, fmt.Errorf("weed mini exited (%v): %s", exit, strings.TrimSpace(output.String()))
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			stopAll()
			return nil, fmt.Errorf("weed mini did not store an object within %v (last error: %v): %s", seaweedfsTimeout, err, strings.TrimSpace(output.String()))
		}
	}
	seaweedfs.watchdog = w
	return s, nil
}

// ready reports whether the server stores an object, signed with this
// server's credentials: S3 answers a while before the volume server has
// joined, and another server that took the port would refuse the keys.
func (s *S3Server) ready() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	once := func(o *s3.Options) { o.RetryMaxAttempts = 1 }
	bucket, key := "testenv-ready", "ready"
	if _, err := s.client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket}, once); err != nil {
		var api smithy.APIError
		if !errors.As(err, &api) || (api.ErrorCode() != "BucketAlreadyOwnedByYou" && api.ErrorCode() != "BucketAlreadyExists") {
			return err
		}
	}
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: &key, Body: strings.NewReader("ready"), ContentLength: aws.Int64(5)}, once)
	return err
}

// freePorts returns n distinct loopback ports that were free a moment ago.
func freePorts(n int) ([]int, error) {
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		// Held until all are found, so that no port comes twice.
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
