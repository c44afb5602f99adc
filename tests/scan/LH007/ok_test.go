package lh007

import (
	"net"
	"net/http"
	"testing"
)

// Servers in tests live as long as the test; they are not reported.
func TestServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.NotFoundHandler()}
	go func() { _ = srv.Serve(l) }()
	defer srv.Close()
	go func() { _ = http.Serve(l, nil) }()
}
