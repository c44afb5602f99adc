// Positive cases for LH019 goroutine-until-cancel, second shape: a function derives ctx, cancel :=
// context.WithCancel(parent), keeps cancel in the value it returns (for its Close or Rollback), starts a goroutine that
// awaits ctx.Done() (like database/sql's Rows.awaitDone), and a caller drops that value.
package lh019

import (
	"context"
	"errors"
	"sync"
	"time"
)

// A result set that releases its connection when its context is done or when it is closed.
type Rows struct {
	ctx     context.Context
	cancel  context.CancelFunc
	release func()
	once    sync.Once
}

type DB struct {
	acquire func(context.Context) (func(), error)
}

func (db *DB) Query(parent context.Context, query string) (*Rows, error) {
	release, err := db.acquire(parent)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(parent)
	rs := &Rows{ctx: ctx, cancel: cancel, release: release}
	go rs.awaitDone()
	return rs, nil
}

func (rs *Rows) awaitDone() {
	<-rs.ctx.Done() // want "Rows.awaitDone waits only for its context to be done, and DB.Query \\(which starts it\\) has callers that drop the value holding the cancel"
	rs.close()
}

func (rs *Rows) close() { rs.once.Do(rs.release) }

func (rs *Rows) Close() error {
	rs.cancel()
	rs.close()
	return nil
}

// Used like Exec: the rows (and the cancel that would end awaitDone, and the pooled connection) are dropped.
func Touch(ctx context.Context, db *DB, ids []int) {
	for range ids {
		db.Query(ctx, "UPDATE sessions SET seen = now() WHERE id = $1") // want "DB.Query starts a goroutine \\(Rows.awaitDone\\) that ends only when the context it made is cancelled, and keeps the cancel in the value it returns, which this call drops"
	}
}

// A distributed lock lease: a keepalive goroutine renews it until the lease's context is cancelled by Release.
type Lease struct {
	ctx    context.Context
	cancel context.CancelFunc
	key    string
}

type Locker struct {
	renew func(key string) error
}

func (l *Locker) Acquire(parent context.Context, key string, ttl time.Duration) *Lease {
	ctx, cancel := context.WithCancel(parent)
	lease := &Lease{ctx: ctx, cancel: cancel, key: key}
	go func() {
		t := time.NewTicker(ttl / 3)
		defer t.Stop()
		for {
			select {
			case <-lease.ctx.Done(): // want "Locker.Acquire.func\\w* waits only for its context to be done, and Locker.Acquire \\(which starts it\\) has callers that drop the value holding the cancel"
				return
			case <-t.C:
				if err := l.renew(lease.key); err != nil {
					continue
				}
			}
		}
	}()
	return lease
}

func (ls *Lease) Release() { ls.cancel() }

// A migration takes the lock "for the duration" but drops the lease: the keepalive renews the lock forever.
func Migrate(ctx context.Context, l *Locker, steps []func(context.Context) error) error {
	l.Acquire(ctx, "schema-migrations", 30*time.Second) // want "Locker.Acquire starts a goroutine \\(Locker.Acquire.func\\w*\\) that ends only when the context it made is cancelled, and keeps the cancel in the value it returns, which this call drops"
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return errors.Join(errors.New("migrate"), err)
		}
	}
	return nil
}
