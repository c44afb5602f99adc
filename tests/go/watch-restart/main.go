// Command watch-restart is a service that a test kills and starts again on the same port, as a deployment or a
// crash loop would: `leakhound watch` must notice the new process and start that target's series again.
//
// How it leaks: it does not leak. It holds -sessions long-lived sessions, each a goroutine parked in [chan receive]
// in main.session until its channel is closed (never, here): a fixed number that is the same in every process.
//
// Usage: watch-restart [-addr 127.0.0.1:0] [-sessions 20]. Serves net/http/pprof on -addr and prints
// "READY http://127.0.0.1:PORT" once the sessions are parked.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"time"

	"leakhound.test/cases/internal/parked"
)

//go:noinline
func session(id int, closed chan struct{}) {
	<-closed
	_ = id
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	sessions := flag.Int("sessions", 20, "long-lived sessions to hold")
	flag.Parse()
	closed := make(chan struct{})
	for i := 0; i < *sessions; i++ {
		go session(i, closed)
	}
	parked.Wait("watch-restart", "main.session", "chan receive", *sessions)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("READY http://%s\n", ln.Addr())
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}
