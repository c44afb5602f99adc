package main

// Blockers end a chain: each parks the goroutine for good in a different way, so the dump shows the usual wait
// reasons (chan receive/send, nil chan, select, select (no cases), sync.Mutex.Lock, sync.RWMutex.RLock,
// sync.WaitGroup.Wait, sync.Cond.Wait, sleep, IO wait, semacquire) with the runtime frames that go with them.

import (
	"context"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// resources are shared by all goroutines and are never released, so every blocker stays blocked.
type resources struct {
	recvCh   chan int    // never sent to
	sendCh   chan int    // never received from
	otherCh  chan string // never used
	sem      chan struct{}
	mu       sync.Mutex // held by main
	rw       sync.RWMutex
	wg       sync.WaitGroup // Add(1), never Done
	cond     *sync.Cond
	ctx      context.Context
	pipeR    *os.File
	pipeW    *os.File
	conns    []net.Conn // client ends, read by the IO-wait goroutines
	peers    []net.Conn // server ends, kept open (and reachable, so no finalizer closes them)
	nextConn atomic.Uint64
	ready    atomic.Int64
}

type blockerKind struct {
	name   string
	frames int // frames printed for the blocker, counting the sync/poll frames above it (runtime.* frames are hidden)
	fn     stepFunc
}

var blockerKinds = []blockerKind{
	{"chan-receive", 1, blockRecv},
	{"chan-send", 1, blockSend},
	{"select", 1, blockSelect},
	{"nil-chan", 1, blockNilChan},
	{"select-no-cases", 1, blockForever},
	{"mutex", 5, blockMutex},
	{"rwmutex-rlock", 3, blockRLock},
	{"waitgroup", 3, blockWaitGroup},
	{"cond", 3, blockCond},
	{"sleep", 2, blockSleep},
	{"ctx-done", 1, blockCtx},
	{"semaphore", 1, blockSemaphore},
	{"pipe-read", 7, blockPipe},
	{"tcp-read", 7, blockConn},
}

//go:noinline
func blockRecv(c *ctx, i int) {
	c.res.ready.Add(1)
	<-c.res.recvCh
}

//go:noinline
func blockSend(c *ctx, i int) {
	c.res.ready.Add(1)
	c.res.sendCh <- i
}

//go:noinline
func blockSelect(c *ctx, i int) {
	c.res.ready.Add(1)
	select {
	case <-c.res.recvCh:
	case s := <-c.res.otherCh:
		_ = s
	case c.res.sendCh <- i:
	}
}

//go:noinline
func blockNilChan(c *ctx, i int) {
	var ch chan struct{}
	c.res.ready.Add(1)
	<-ch
}

//go:noinline
func blockForever(c *ctx, i int) {
	c.res.ready.Add(1)
	select {}
}

//go:noinline
func blockMutex(c *ctx, i int) {
	c.res.ready.Add(1)
	c.res.mu.Lock()
	c.res.mu.Unlock()
}

//go:noinline
func blockRLock(c *ctx, i int) {
	c.res.ready.Add(1)
	c.res.rw.RLock()
	c.res.rw.RUnlock()
}

//go:noinline
func blockWaitGroup(c *ctx, i int) {
	c.res.ready.Add(1)
	c.res.wg.Wait()
}

//go:noinline
func blockCond(c *ctx, i int) {
	c.res.cond.L.Lock()
	c.res.ready.Add(1)
	for {
		c.res.cond.Wait()
	}
}

//go:noinline
func blockSleep(c *ctx, i int) {
	c.res.ready.Add(1)
	time.Sleep(24 * time.Hour)
}

//go:noinline
func blockCtx(c *ctx, i int) {
	c.res.ready.Add(1)
	<-c.res.ctx.Done()
}

//go:noinline
func blockSemaphore(c *ctx, i int) {
	c.res.ready.Add(1)
	c.res.sem <- struct{}{}
}

//go:noinline
func blockPipe(c *ctx, i int) {
	buf := make([]byte, 64)
	c.res.ready.Add(1)
	_, _ = c.res.pipeR.Read(buf)
	select {}
}

//go:noinline
func blockConn(c *ctx, i int) {
	buf := make([]byte, 64)
	conn := c.res.conns[c.res.nextConn.Add(1)%uint64(len(c.res.conns))]
	c.res.ready.Add(1)
	_, _ = conn.Read(buf)
	select {}
}
