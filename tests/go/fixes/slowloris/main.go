// A server without ReadHeaderTimeout, and clients that send their request headers slowly (slowloris): every such
// connection holds a server goroutine for as long as the client likes. LH007's fix sets ReadHeaderTimeout (the value
// comes from .leakhound.yaml), after which the server drops them.
package main

import (
	"fmt"
	"net"
	"net/http"
	"runtime"
	"time"
)

func main() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: http.NotFoundHandler()}
	go srv.Serve(l)

	var conns []net.Conn
	for i := 0; i < 40; i++ {
		c, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			panic(err)
		}
		fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: example\r\n") // and never the blank line that ends the headers
		conns = append(conns, c)
	}
	time.Sleep(time.Second)
	fmt.Printf("GOROUTINES %d\n", runtime.NumGoroutine())
	for _, c := range conns {
		c.Close()
	}
}
