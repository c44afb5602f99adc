// Positive cases for LH007 http-server-no-timeouts: each server lets a slow client hold a goroutine forever.
package lh007

import (
	"net"
	"net/http"
	"time"
)

// The classic: Addr and Handler, nothing else.
func Start(h http.Handler) *http.Server {
	srv := &http.Server{Addr: ":8080", Handler: h} // want "http.Server without ReadHeaderTimeout or ReadTimeout"
	go func() { _ = srv.ListenAndServe() }()
	return srv
}

// Write and idle timeouts do not bound reading the request headers.
func WriteTimeoutOnly(h http.Handler, l net.Listener) error {
	srv := http.Server{ // want "slowloris"
		Handler:      h,
		WriteTimeout: 10 * time.Second,
		IdleTimeout:  time.Minute,
	}
	return srv.Serve(l)
}

// The package-level helpers use a Server with no timeouts.
func Plain(h http.Handler) error {
	return http.ListenAndServe(":8080", h) // want "http.ListenAndServe serves with a Server that has no timeouts"
}

func PlainTLS(h http.Handler) error {
	return http.ListenAndServeTLS(":8443", "cert.pem", "key.pem", h) // want "http.ListenAndServeTLS"
}

func OnListener(l net.Listener, h http.Handler) error {
	return http.Serve(l, h) // want "http.Serve serves"
}

func OnListenerTLS(l net.Listener, h http.Handler) error {
	return http.ServeTLS(l, h, "cert.pem", "key.pem") // want "http.ServeTLS serves"
}

type App struct {
	server *http.Server
}

// Stored in a field, served later.
func (a *App) Init(h http.Handler) {
	a.server = &http.Server{Addr: ":9090", Handler: h} // want "http.Server without"
}

// The timeout is set on a different server than... any: a variable named like a timeout is not the field.
func Misnamed(h http.Handler) *http.Server {
	readTimeout := 5 * time.Second
	_ = readTimeout
	return &http.Server{Addr: ":80", Handler: h} // want "http.Server without"
}
