// Negative cases for LH019 goroutine-until-cancel: the goroutine is started with context.Background() (or its
// cancel is dropped), but ctx.Done() is not its only way out.
package lh019

import (
	"context"
	"net"
	"time"
)

// Fine: the keepalive loop also returns when Stop closes its stop channel, so a background context does not keep it
// forever.
type Keepalive struct {
	stop chan struct{}
}

func StartKeepalive(ctx context.Context, nc net.Conn, every time.Duration) *Keepalive {
	k := &Keepalive{stop: make(chan struct{})}
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-k.stop:
				return
			case <-t.C:
				if _, err := nc.Write([]byte{0}); err != nil {
					return
				}
			}
		}
	}()
	return k
}

func (k *Keepalive) Stop() { close(k.stop) }

func DialKeepalive(addr string) (net.Conn, *Keepalive, error) {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	return nc, StartKeepalive(context.Background(), nc, 15*time.Second), nil
}

// Fine: the subscriber's loop ends when the feed channel is closed (labeled break out of the loop), not only on
// ctx.Done().
func Forward(ctx context.Context, feed <-chan string, deliver func(string)) {
	go func() {
	loop:
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-feed:
				if !ok {
					break loop
				}
				deliver(m)
			}
		}
	}()
}

func ForwardAll(feed <-chan string, deliver func(string)) {
	Forward(context.Background(), feed, deliver)
}

// Fine: the watcher selects on two different contexts: the caller's (Background here) and the connection's own,
// which Close cancels; it returns when either is done.
type PooledConn struct {
	closeCtx context.Context
	closeFn  context.CancelFunc
	nc       net.Conn
}

func (c *PooledConn) watch(ctx context.Context) {
	go func() {
		select {
		case <-ctx.Done():
			_ = c.nc.SetDeadline(time.Now())
		case <-c.closeCtx.Done():
		}
	}()
}

func (c *PooledConn) Close() error {
	c.closeFn()
	return c.nc.Close()
}

func UsePooled(c *PooledConn, req []byte) error {
	c.watch(context.Background())
	defer c.Close()
	_, err := c.nc.Write(req)
	return err
}

// Fine: the retry goroutine returns as soon as an attempt succeeds, and its loop ends after a bounded number of
// attempts anyway; ctx.Done() only cuts it short.
func RetryInBackground(ctx context.Context, attempts int, backoff time.Duration, try func() error) {
	go func() {
		for i := 0; i < attempts; i++ {
			if try() == nil {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
		}
	}()
}

func SendReceipt(send func() error) {
	RetryInBackground(context.Background(), 5, time.Second, send)
}

// Fine: a WithTimeout-derived transaction: Begin keeps the cancel in the Tx it returns and the caller drops it, but the
// deadline ends the context, so awaitDone returns after at most the timeout.
type Tx struct {
	ctx      context.Context
	cancel   context.CancelFunc
	rollback func()
}

func (db *DB) BeginTimeout(parent context.Context, d time.Duration, rollback func()) *Tx {
	ctx, cancel := context.WithTimeout(parent, d)
	tx := &Tx{ctx: ctx, cancel: cancel, rollback: rollback}
	go tx.awaitDone()
	return tx
}

func (tx *Tx) awaitDone() {
	<-tx.ctx.Done()
	tx.rollback()
}

func Ping(db *DB) {
	db.BeginTimeout(context.Background(), 5*time.Second, func() {})
}
