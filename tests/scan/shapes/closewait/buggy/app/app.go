// Package app uses the closewait client the way a service does: one client per upstream, closed on shutdown.
package app

import (
	"leakhound.test/scan/shapes/closewait/buggy"
)

// Upstream is a backend this service forwards requests to.
type Upstream struct {
	client *closewait.Client
}

// Connect dials the backend.
func Connect(addr string) (*Upstream, error) {
	c, err := closewait.Dial(addr)
	if err != nil {
		return nil, err
	}
	return &Upstream{client: c}, nil
}

// Forward sends one request to the backend.
func (u *Upstream) Forward(req []byte) ([]byte, error) { return u.client.Call(req) }

// Shutdown closes the connection. With the buggy client the closer goroutine never ends: one leaked goroutine per
// Shutdown (per reconnect, in a service that reconnects).
func (u *Upstream) Shutdown() error { return u.client.Close() }
