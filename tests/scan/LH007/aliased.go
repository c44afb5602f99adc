package lh007

import (
	"net"
	nethttp "net/http"
)

// However net/http is imported.
func Aliased(h nethttp.Handler, l net.Listener) error {
	s := &nethttp.Server{Handler: h}        // want "http.Server without"
	go func() { _ = nethttp.Serve(l, h) }() // want "http.Serve serves"
	return s.Serve(l)
}
