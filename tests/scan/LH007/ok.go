// Negative cases for LH007: every server bounds how long a client may take to send its request.
package lh007

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"time"
)

func WithReadHeaderTimeout(h http.Handler) *http.Server {
	return &http.Server{Addr: ":8080", Handler: h, ReadHeaderTimeout: 5 * time.Second}
}

func WithReadTimeout(h http.Handler) *http.Server {
	return &http.Server{Addr: ":8080", Handler: h, ReadTimeout: 30 * time.Second}
}

// Tricky: the timeout is set after the literal, in the same function.
func SetAfter(h http.Handler, l net.Listener) error {
	srv := &http.Server{Handler: h}
	srv.ReadHeaderTimeout = 5 * time.Second
	return srv.Serve(l)
}

// Tricky: a helper of this package configures the server.
func ConfiguredByHelper(h http.Handler) *http.Server {
	srv := &http.Server{Addr: ":8080", Handler: h}
	applyTimeouts(srv)
	return srv
}

func applyTimeouts(s *http.Server) {
	s.ReadHeaderTimeout = 5 * time.Second
	s.IdleTimeout = time.Minute
}

// Tricky: loopback-only debug servers cannot be reached by a remote slowloris client.
func Debug(h http.Handler) {
	go func() { _ = http.ListenAndServe("localhost:6060", h) }()
	dbg := &http.Server{Addr: "127.0.0.1:6061", Handler: h}
	go func() { _ = dbg.ListenAndServe() }()
}

// Tricky: a method called Serve on something else is not http.Serve; a type named Server elsewhere is not http.Server.
type Server struct{ Addr string }

func (Server) Serve(net.Listener) error { return nil }

func Other(l net.Listener) error {
	s := &Server{Addr: ":80"}
	return s.Serve(l)
}

// Tricky: loopback addresses built at run time, and a test server's Config (test-support code outside _test.go).
func LocalDebug(h http.Handler, port int) error {
	addr := fmt.Sprintf("127.0.0.1:%d", port+2)
	_ = &http.Server{Addr: addr, Handler: h}
	srv := &http.Server{Addr: fmt.Sprintf("127.0.0.1:%d", port), Handler: h}
	go func() { _ = http.ListenAndServe(net.JoinHostPort("localhost", fmt.Sprint(port+1)), h) }()
	return srv.ListenAndServe()
}

func NewTestServer(h http.Handler) *httptest.Server {
	ts := httptest.NewUnstartedServer(h)
	ts.Config = &http.Server{Handler: h}
	return &httptest.Server{Config: &http.Server{Handler: h}}
}

// Tricky: a test fixture server whose author waived gosec's G114 (the same check) on the line.
func FixtureServer(dir string) error {
	return http.ListenAndServe(":8080", http.FileServer(http.Dir(dir))) // #nosec G114 -- Ignoring for test-code
}

// Tricky: golangci-lint's form of the same waiver, on the line above.
func CrossdockDriver() error {
	//nolint:gosec // G114: runs only inside the CI compose network
	return http.ListenAndServe(":8080", nil)
}

// Tricky: a bare gosec waiver on the line: the author decided this opt-in profiler needs no timeouts.
func Profiler(addr string) error {
	return http.ListenAndServe(addr, nil) //nolint:gosec
}
