#include "leakhound/scan/rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "leakhound/scan/fix.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/util/strings.h"

namespace leakhound::scan {

namespace {

// The registry. Order is the issue's priority order; ids keep its numbering (LH001..LH013 are rules 1..13), so ids
// not implemented yet are simply absent.
const RuleInfo kRules[] = {
    {"LH001", "abandoned-sender", Severity::kError, false,
     "a goroutine sends on an unbuffered channel that its creator can stop waiting for",
     "The function makes an unbuffered channel, starts a goroutine that sends the result on it, and then waits in a "
     "select with a timeout or ctx.Done() case, or returns early on an error path. When it leaves without receiving, "
     "the send can never complete: the goroutine blocks in `chan send` forever, with everything it references. Give "
     "the channel a buffer of one per sender so the send always completes, or make the sender select on the same "
     "cancellation.",
     R"(func fetch(ctx context.Context, url string) (string, error) {
	ch := make(chan string)
	go func() {
		ch <- get(url) // blocks forever once fetch has returned
	}()
	select {
	case s := <-ch:
		return s, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
})",
     R"(func fetch(ctx context.Context, url string) (string, error) {
	ch := make(chan string, 1) // the send completes even if nobody receives
	go func() {
		ch <- get(url)
	}()
	select {
	case s := <-ch:
		return s, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
})",
     &NewAbandonedSender},
    {"LH002", "senders-outnumber-receives", Severity::kError, false,
     "goroutines started in a loop send on a channel that is received from fewer times",
     "The function makes a channel, starts goroutines in a loop that each send one value on it, and then receives "
     "fewer values than were sent: a single receive (the first result wins) or a receive loop that returns or breaks "
     "on the first error. With an unbuffered channel (or a constant buffer smaller than a constant goroutine count) "
     "every sender after the first blocks in `chan send` forever. Give the channel one buffer slot per goroutine "
     "(make(chan T, len(items))), or keep receiving until every goroutine has sent; errgroup collects errors without "
     "this trap.",
     R"(func firstErr(items []string) error {
	errc := make(chan error)
	for _, it := range items {
		go func() { errc <- process(it) }()
	}
	for range items {
		if err := <-errc; err != nil {
			return err // the remaining senders block forever
		}
	}
	return nil
})",
     R"(func firstErr(items []string) error {
	errc := make(chan error, len(items)) // every send completes
	for _, it := range items {
		go func() { errc <- process(it) }()
	}
	for range items {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
})",
     &NewSendersOutnumberReceives},
    {"LH003", "range-unclosed", Severity::kError, false,
     "`for range ch` over a channel made here that nothing closes",
     "A `for v := range ch` loop ends only when the channel is closed. When the channel is made in this function and "
     "no code closes it (directly, in a deferred call, or in a function it is handed to), the loop blocks in `chan "
     "receive` after the last value forever: the goroutine leaks (or, outside a goroutine, the function never "
     "returns). Close the channel where the last send happens, usually with `defer close(ch)` in the producer.",
     R"(func sum(nums []int) int {
	ch := make(chan int)
	go func() {
		for _, n := range nums {
			ch <- n
		}
	}()
	total := 0
	for n := range ch { // never ends
		total += n
	}
	return total
})",
     R"(func sum(nums []int) int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for _, n := range nums {
			ch <- n
		}
	}()
	total := 0
	for n := range ch {
		total += n
	}
	return total
})",
     &NewRangeUnclosed},
    {"LH004", "for-select-no-exit", Severity::kWarning, true,  // experimental: 1 of 2 true on GOROOT + 3 modules
     "a goroutine loops forever over a select or receive with no way out",
     "A goroutine runs `for { select { ... } }` (or `for { v := <-ch ... }`) and no case returns, breaks out of the "
     "loop or otherwise ends it. Nothing can ever stop this goroutine: when its owner is done, it stays parked in "
     "`select` or `chan receive` for the life of the process. Add a case on ctx.Done() or a done channel that returns, "
     "or check the `ok` of a receive and return when the channel is closed. Goroutines started from func main are "
     "not reported.",
     R"(func (w *Worker) Start() {
	go func() {
		for {
			select {
			case job := <-w.jobs:
				w.do(job)
			case <-w.tick.C:
				w.flush()
			}
		}
	}()
})",
     R"(func (w *Worker) Start(ctx context.Context) {
	go func() {
		for {
			select {
			case job := <-w.jobs:
				w.do(job)
			case <-w.tick.C:
				w.flush()
			case <-ctx.Done():
				return
			}
		}
	}()
})",
     &NewForSelectNoExit},
    {"LH005", "context-cancel-not-called", Severity::kError, false,
     "the cancel func of context.WithCancel/WithTimeout/WithDeadline is discarded or not called on every path",
     "context.WithCancel/WithTimeout/WithDeadline (and the *Cause variants) return a cancel func that releases the "
     "context: until it is called, the context stays registered with its parent (and a timeout's timer stays armed), "
     "so the context, its children and the goroutines waiting on its Done channel live until the parent is done. "
     "Discarding it with _ is an error; keeping it but missing it on a return, a break/continue or the end of the "
     "block is a warning. `defer cancel()` right after the call fixes both. Not reported (go vet's lostcancel is "
     "the reference, checked with syntactic dominance instead of a CFG): cancels that are returned, stored, passed "
     "on or used in a func literal, fields, named results, package-level variables, functions with goto, and With "
     "calls inside a loop within the variable's scope.",
     R"(func fetch(parent context.Context, url string) error {
	ctx, _ := context.WithTimeout(parent, 5*time.Second) // the timer lives until parent is done
	return get(ctx, url)
}

func query(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	if err := ping(ctx); err != nil {
		return err // cancel is not called here
	}
	cancel()
	return nil
})",
     R"(func fetch(parent context.Context, url string) error {
	ctx, cancel := context.WithTimeout(parent, 5*time.Second)
	defer cancel()
	return get(ctx, url)
}

func query(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	return ping(ctx)
})",
     &NewContextCancelNotCalled},
    {"LH006", "timer-not-stopped", Severity::kWarning, false,
     "time.NewTicker/NewTimer never stopped, time.Tick outside main, time.After in a for-select",
     "A ticker runs until Stop is called; a timer stays armed until it fires or is stopped. A time.NewTicker kept in "
     "a local that is never stopped and not handed on keeps ticking after its function is done; time.Tick's ticker "
     "can never be stopped (fine in func main only); a time.NewTimer made in a loop, or raced in a select that can "
     "leave first, and never stopped stays armed until it fires; `<-time.After(d)` as a select case in a loop whose "
     "other cases stay in the loop leaves one armed timer per iteration. Before Go 1.23 none of them is collected "
     "before it fires (tickers never); from Go 1.23 (the `go` line of the nearest go.mod) the GC collects "
     "unreferenced timers and tickers, so the findings are notes there. Not reported: stopped anywhere (closures "
     "included), returned, stored, passed on, Reset timers, package-level Tick, test files.",
     R"(func poll(ctx context.Context) {
	t := time.NewTicker(time.Second) // never stopped
	for {
		select {
		case <-ctx.Done():
			return
		case msg := <-inbox:
			handle(msg)
		case <-time.After(time.Minute): // one timer per message
			idle()
		case <-t.C:
			flush()
		}
	}
})",
     R"(func poll(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	idle := time.NewTimer(time.Minute)
	defer idle.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case msg := <-inbox:
			handle(msg)
			idle.Reset(time.Minute)
		case <-idle.C:
			idle()
		case <-t.C:
			flush()
		}
	}
})",
     &NewTimerNotStopped},
    {"LH007", "http-server-no-timeouts", Severity::kWarning, false,
     "an http.Server without ReadHeaderTimeout/ReadTimeout, or http.ListenAndServe/Serve (which have none)",
     "An http.Server with neither ReadHeaderTimeout nor ReadTimeout waits for a client's request headers forever. A "
     "client that opens connections and sends headers slowly (slowloris), or a peer that goes away without closing, "
     "holds one connection goroutine each, for ever. The package-level http.ListenAndServe, ListenAndServeTLS, Serve "
     "and ServeTLS use a Server with no timeouts at all. Set ReadHeaderTimeout (and usually IdleTimeout) on an "
     "http.Server. A server whose timeout is assigned after the literal in the same function, one handed to a "
     "function of the package, loopback-only addresses (\"localhost:6060\") and test files are not reported.",
     R"(func main() {
	srv := &http.Server{Addr: ":8080", Handler: mux}
	log.Fatal(srv.ListenAndServe())
})",
     R"(func main() {
	srv := &http.Server{
		Addr:              ":8080",
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	log.Fatal(srv.ListenAndServe())
})",
     &NewHttpServerNoTimeouts},
    {"LH008", "handler-goroutine-no-deadline", Severity::kWarning, false,
     "an HTTP handler starts a goroutine with no deadline: context.Background() or no context while it blocks",
     "A goroutine started by an HTTP handler or middleware (a function or literal taking (http.ResponseWriter, "
     "*http.Request), including what is converted with http.HandlerFunc) outlives the request. When it runs with "
     "context.Background()/TODO() (other than as the parent of WithTimeout/WithDeadline), or with no context at all "
     "while it does work that can block forever (an HTTP request or dial without a context, a send or receive on a "
     "channel the handler did not make outside a select with another case, time.Sleep in an endless loop), nothing "
     "bounds it: every request can leave one behind. A goroutine that is passed r.Context() or any other ctx counts "
     "as bounded (the request context is cancelled when the handler returns). Give it "
     "context.WithTimeout(context.WithoutCancel(r.Context()), d) when it must outlive the request, r.Context() when "
     "it must not. `go f(x)` is followed one level into f. Test files are not checked.",
     R"(func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	go func() {
		resp, err := http.Post(s.audit, "application/json", body(r)) // may hang forever
		if err == nil {
			resp.Body.Close()
		}
	}()
	w.WriteHeader(http.StatusAccepted)
})",
     R"(func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Second)
	go func() {
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "POST", s.audit, body(r))
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	w.WriteHeader(http.StatusAccepted)
})",
     &NewHandlerGoroutineNoDeadline},
    {"LH009", "response-body-not-closed", Severity::kError, false,
     "the Body of an *http.Response is not closed on some path",
     "Until resp.Body is closed, the Transport keeps the connection busy: its persistConn readLoop and writeLoop "
     "goroutines (and the socket) stay alive, and with keep-alive the connection is never reused. Reported for "
     "http.Get/Post/PostForm, http.DefaultClient.* and client methods (X.Do(req), X.Get(url), ... where X is named "
     "for a client or declared as an http.Client) whose result "
     "is used as a response (resp.Body, resp.StatusCode): a response that is discarded or assigned to _ (not in "
     "tests, where such calls are expected to fail), one whose "
     "Body nothing closes, and a return after the error check that comes before any close (typically `if "
     "resp.StatusCode != 200 { return ... }` above `defer resp.Body.Close()`). A response that is returned, stored or "
     "passed on, or whose Body is handed to a function other than a known reader (io.ReadAll, io.Copy, "
     "json.NewDecoder, ...), is left alone: that function may close it.",
     R"(func status(url string) (int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, errors.New(resp.Status) // Body never closed
	}
	defer resp.Body.Close()
	return decode(resp.Body)
})",
     R"(func status(url string) (int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, errors.New(resp.Status)
	}
	return decode(resp.Body)
})",
     &NewResponseBodyNotClosed},
    {"LH010", "lock-or-waitgroup-misuse", Severity::kError, false,
     "a return path leaves a mutex locked; wg.Add inside the goroutine it counts",
     "(a) After mu.Lock() (or RLock), a return on which no Unlock happens and no `defer mu.Unlock()` was registered, "
     "in a function that does unlock mu further down: the early return (typically an error path) keeps the mutex "
     "locked, and every goroutine that locks it next blocks forever in `sync.Mutex.Lock`. Unlock before returning, "
     "or `defer mu.Unlock()` right after locking. Locks deliberately handed to the caller (no Unlock after the "
     "return) are not reported. (b) `wg.Add` called inside the goroutine it counts (which also calls wg.Done): "
     "wg.Wait() can run before the Add and return while the goroutine is still running, or a later Add races with "
     "Wait (reported as a warning). Call wg.Add before the go statement.",
     R"(func (c *Cache) Load(key string) (string, error) {
	c.mu.Lock()
	v, ok := c.m[key]
	if !ok {
		return "", errNotFound // c.mu stays locked
	}
	c.mu.Unlock()
	return v, nil
}

func run(jobs []func()) {
	var wg sync.WaitGroup
	for _, job := range jobs {
		go func() {
			wg.Add(1) // Wait may already have returned
			defer wg.Done()
			job()
		}()
	}
	wg.Wait()
})",
     R"(func (c *Cache) Load(key string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	if !ok {
		return "", errNotFound
	}
	return v, nil
}

func run(jobs []func()) {
	var wg sync.WaitGroup
	for _, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			job()
		}()
	}
	wg.Wait()
})",
     &NewLockMisuse},
    {"LH011", "handle-never-stopped", Severity::kWarning, true,  // experimental: 2 of 10 true in the module cache
                                                                // beyond client-go (bench/scan/precision.md)
     "a watch or subscription handle is never stopped",
     "The result of a Watch* / Subscribe* / New*Watcher call (a Kubernetes watch.Interface, an fsnotify.Watcher, a "
     "NATS subscription, ...) is kept in a local and used, but never stopped: no Stop, Close, Unsubscribe, Cancel, "
     "Drain or Shutdown call on it, directly or deferred, and it is not returned, stored or passed on. The watcher's "
     "goroutine, connection and buffers stay alive after the function is done with it. Add `defer w.Stop()` (or "
     "Close/Unsubscribe) right after the handle is created. time.NewTicker and time.NewTimer are LH006's, not this "
     "rule's; handles that are channels ended by their context (etcd clientv3.Watch) are not reported.",
     R"(func waitReady(ctx context.Context, c kubernetes.Interface, name string) error {
	w, err := c.CoreV1().Pods("default").Watch(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	for ev := range w.ResultChan() {
		if ready(ev) {
			return nil // the watch keeps running
		}
	}
	return errClosed
})",
     R"(func waitReady(ctx context.Context, c kubernetes.Interface, name string) error {
	w, err := c.CoreV1().Pods("default").Watch(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	defer w.Stop()
	for ev := range w.ResultChan() {
		if ready(ev) {
			return nil
		}
	}
	return errClosed
})",
     &NewHandleNeverStopped},
    {"LH012", "context-ignored", Severity::kWarning, true,  // experimental: 3 of 6 true on code nobody here wrote (README)
     "exec.Command where a ctx or request is in scope",
     "The function has a context (a context.Context or *http.Request parameter, or a local ctx) but starts a process "
     "without it: exec.Command's child is not killed when the context ends, and Wait blocks as long as it lives; "
     "exec.CommandContext kills it. Not reported: test files, main and init, functions that call "
     "context.WithoutCancel, and goroutines (a `go func` literal detaches on purpose). context.Background()/TODO() "
     "with a context in scope is LH021 (experimental).",
     R"(func (s *Store) Refresh(ctx context.Context) error {
	out, err := exec.Command("git", "fetch").Output()
	if err != nil {
		return err
	}
	return s.db.Save(ctx, out)
})",
     R"(func (s *Store) Refresh(ctx context.Context) error {
	out, err := exec.CommandContext(ctx, "git", "fetch").Output()
	if err != nil {
		return err
	}
	return s.db.Save(ctx, out)
})",
     &NewContextIgnored},
    {"LH013", "nil-channel", Severity::kError, false,
     "send, receive or range on a channel that is declared but never made; `select {}` outside main",
     "A channel declared with `var ch chan T` and never assigned is nil, and a send to or receive from a nil channel "
     "blocks forever (close panics). That holds for a local variable and for an unexported package-level one that no "
     "file of the package assigns (exported ones may be made by another package and are left alone). `select {}` with no cases also blocks forever; in func main that is a way to "
     "park the main goroutine, anywhere else it leaks the goroutine that runs it. Make the channel with make(chan T) "
     "and wait on something that can end (ctx.Done(), a done channel, a WaitGroup).",
     R"(func collect() []int {
	var results chan int // nil: never made
	go produce(results)
	var out []int
	for v := range results { // blocks forever
		out = append(out, v)
	}
	return out
}

func serve() {
	go loop()
	select {} // outside main: this goroutine never ends
})",
     R"(func collect() []int {
	results := make(chan int)
	go produce(results) // produce closes results when done
	var out []int
	for v := range results {
		out = append(out, v)
	}
	return out
}

func serve(ctx context.Context) {
	go loop(ctx)
	<-ctx.Done()
})",
     &NewNilChannel},
    // LH014-LH018 work on the package model (scan/model.h): across the functions of a package. Experimental until
    // their precision on large modules is measured (bench/scan/precision.md).
    {"LH014", "relock", Severity::kError, true,
     "a goroutine locks a mutex it already holds, directly or through a call on the same value",
     "sync.Mutex and sync.RWMutex are not reentrant. A method that holds c.mu and calls another method of c that "
     "locks c.mu again (or locks it twice on some path) waits for itself: the goroutine blocks in "
     "`sync.Mutex.Lock` forever, and so does every other goroutine that needs the lock. Split the method into a "
     "locked entry point and an unexported helper that expects the lock held, or release the lock before the call.",
     R"(func (c *Cache) Refresh() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.load() // load locks c.mu too
}

func (c *Cache) load() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.data = fetch()
})",
     R"(func (c *Cache) Refresh() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.loadLocked()
}

// loadLocked expects c.mu held.
func (c *Cache) loadLocked() {
	c.data = fetch()
})",
     &NewRelock},
    {"LH015", "lock-across-channel", Severity::kError, true,
     "a channel operation while holding a mutex that its counterpart needs first",
     "A goroutine sends on (or receives from) a channel while it holds a mutex, and the goroutine that would receive "
     "(or send) locks that same mutex before it gets to the channel. The first waits for the second's receive, the "
     "second waits for the first's Unlock: both block forever. Unlock before the channel operation, or select on a "
     "done channel so the sender can give up.",
     R"(func (s *Server) publish(e Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events <- e // the consumer locks s.mu before it receives
}

func (s *Server) consume() {
	for {
		s.mu.Lock()
		n := s.count
		s.mu.Unlock()
		handle(<-s.events, n)
	}
})",
     R"(func (s *Server) publish(e Event) {
	s.mu.Lock()
	s.count++
	s.mu.Unlock()
	s.events <- e
})",
     &NewLockAcrossChannel},
    {"LH016", "never-completed", Severity::kError, true,
     "a receive, range, WaitGroup Wait or Cond Wait that no code of the package can complete",
     "A struct field or package variable that the package fully sees (unexported, never passed on or assigned "
     "elsewhere) is received from but nothing sends on it or closes it, ranged over but never closed, waited on "
     "(WaitGroup) while Done is never called, or waited on (Cond) while nothing Signals or Broadcasts. The goroutine "
     "blocks forever. Add the missing side: close the channel when the producer is done, call Done (deferred) in each "
     "counted goroutine, Signal after the state changes.",
     R"(type Watcher struct {
	updates chan Update
	stop    chan struct{}
}

func (w *Watcher) Stop() {
	// unsubscribes, but never closes w.updates
}

func (w *Watcher) Run() {
	for u := range w.updates { // never ends
		apply(u)
	}
})",
     R"(func (w *Watcher) Stop() {
	close(w.updates)
})",
     &NewNeverCompleted},
    {"LH017", "lock-order", Severity::kWarning, true,
     "two mutexes taken in opposite orders in two places (AB-BA deadlock)",
     "One path locks A and then, while holding it, B; another path locks B and then A (directly or through calls). "
     "Two goroutines running these paths at the same time can each take their first lock and wait for the other's "
     "forever. Take the locks in one order everywhere, or do not hold one while taking the other.",
     R"(func (a *Account) Transfer(b *Bank) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b.mu.Lock() // A then B
	defer b.mu.Unlock()
}

func (b *Bank) Audit(a *Account) {
	b.mu.Lock()
	defer b.mu.Unlock()
	a.mu.Lock() // B then A
	defer a.mu.Unlock()
})",
     R"(func (b *Bank) Audit(a *Account) {
	a.mu.Lock() // A then B, as Transfer does
	defer a.mu.Unlock()
	b.mu.Lock()
	defer b.mu.Unlock()
})",
     &NewLockOrder},
    {"LH018", "wait-for-self", Severity::kError, true,
     "a goroutine calls Wait on a WaitGroup that counts it, before its own Done",
     "A goroutine counted by a WaitGroup (it calls Done) also waits on it, and the Wait runs first: `defer wg.Done()` "
     "then `defer wg.Wait()` (deferred calls run last-in first-out), or a Wait before a plain Done. The Wait needs "
     "this goroutine's Done, which only runs after the Wait: it never returns. Wait from the goroutine that started "
     "the others, not from one of them.",
     R"(func (c *Conn) Close() {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer c.wg.Wait() // runs before Done
		c.shutdown()
	}()
})",
     R"(func (c *Conn) Close() {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.shutdown()
	}()
	c.wg.Wait()
})",
     &NewWaitForSelf},
    {"LH019", "goroutine-until-cancel", Severity::kError, true,
     "a goroutine that ends only on its context's Done(), given a context that never ends",
     "A function starts a goroutine whose only way out is ctx.Done(). Called with context.Background() or TODO() "
     "(a cache or client constructor called per request), or when the function keeps the cancel of the context it "
     "made in the value it returns and the caller drops that value, the context is never cancelled: every call leaks "
     "the goroutine, and everything it references, for the life of the process. Pass a context that ends, make the "
     "value once at startup, or keep it and call its Close.",
     R"(func NewCache(ctx context.Context) *Cache {
	c := &Cache{}
	go c.refresh(ctx) // returns only on <-ctx.Done()
	return c
}

func handler(w http.ResponseWriter, r *http.Request) {
	cache := NewCache(context.Background()) // a goroutine per request, forever
	cache.Get(r.URL.Path)
})",
     R"(var cache = NewCache(appCtx) // once, with a context cancelled at shutdown

func handler(w http.ResponseWriter, r *http.Request) {
	cache.Get(r.URL.Path)
})",
     &NewGoroutineUntilCancel},
    {"LH020", "rewrite", Severity::kWarning, false,
     "a site matched by one of the project's own rewrites (scan.rewrite in .leakhound.yaml)",
     "A team that has understood a leak pattern writes it down once as a rewrite: a Go pattern with metavariables "
     "($x, $*args) and its replacement, where $ctx is the context in scope. Each match is reported here with the "
     "replacement as its fix, so scan --diff shows the batch change and scan --fix applies it across ./.... The rule "
     "runs only when the project file defines rewrites.",
     R"(# .leakhound.yaml
scan:
  rewrite:
    - name: cache-per-request
      match: jwk.NewCache(context.Background())
      replace: jwk.NewCache($ctx)

func handler(w http.ResponseWriter, r *http.Request) {
	cache := jwk.NewCache(context.Background()) // a refresh goroutine per request, forever
})",
     R"(func handler(w http.ResponseWriter, r *http.Request) {
	cache := jwk.NewCache(r.Context()) // ends with the request
})",
     &NewRewriteRule},
    {"LH021", "background-context", Severity::kWarning, true,  // experimental: 2 of 11 sampled true (README)
     "context.Background()/TODO() where a ctx or request is in scope",
     "The function has a context (a context.Context or *http.Request parameter) but hands context.Background() or "
     "TODO() on: whatever gets it is no longer cancelled with the caller, so the goroutines and requests it starts can "
     "outlive it. Often deliberate (cleanup after a failure, work that must outlive the request), hence experimental. "
     "Not reported: test files, main and init, functions that call context.WithoutCancel, Background() as the parent "
     "of WithTimeout/WithDeadline/WithCancel, in the body of `if err != nil`, inside a defer, as the argument of "
     "Shutdown/Close/Stop, after ctx.Done()/ctx.Err() was looked at, in `if ctx == nil`, in comparisons and "
     "composite literals, in functions that return a context, and in goroutines.",
     R"(func (s *Store) Refresh(ctx context.Context) error {
	return s.db.Save(context.Background(), data)
})",
     R"(func (s *Store) Refresh(ctx context.Context) error {
	return s.db.Save(ctx, data)
})",
     &NewBackgroundContext},
    {"LH022", "stop-check-then-block", Severity::kWarning, true,
     "a send or receive after a select that only checks the stop signal (in its default case, or right after it)",
     "A select with a stop case (`case <-ctx.Done(): return`) and a default case does not guard a channel operation "
     "in that default case or right after the select: the stop signal is looked at once, before the operation, and "
     "once the send or receive blocks nothing looks at it again. When the other side has left (the consumer returned "
     "on the same stop signal), the goroutine blocks forever. Make the operation a case of the select.",
     R"(for {
	select {
	case <-ctx.Done():
		return
	default:
		events <- next() // blocks forever once the reader has returned
	}
})",
     R"(for {
	select {
	case <-ctx.Done():
		return
	case events <- next():
	}
})",
     &NewStopCheckThenBlock},
    {"LH023", "cond-wait-unchecked", Severity::kWarning, true,
     "sync.Cond Wait with no check of its condition around it (not in a loop, if or switch)",
     "A Signal or Broadcast that comes before a goroutine reaches Wait is not remembered. A Wait that does not first "
     "check whether what it waits for has already happened waits forever when the signal came first: a lost wakeup. "
     "Wait in a loop on the condition, which the signalling side sets under the lock (the loop also covers a wakeup "
     "by Broadcast when the condition does not hold). A Wait under `if !ready`, checked under the lock, is left "
     "alone.",
     R"(c.L.Lock()
c.Wait() // the Signal may already have happened
c.L.Unlock())",
     R"(c.L.Lock()
for !ready {
	c.Wait()
}
c.L.Unlock())",
     &NewCondWaitUnchecked},
    {"LH024", "consumer-leaves-early", Severity::kError, true,
     "a goroutine sends on a channel in a loop while the range that consumes it can return before the channel is "
     "drained",
     "A function makes a channel, starts a goroutine that sends on it in a loop (itself or through a function of the "
     "package it passes the channel to), and ranges over the channel; the range body can return (or break) early, "
     "on an error or a cancelled context. Nothing receives after that: once the buffer is full the producer's plain "
     "send blocks forever, with everything it holds. Give the producer a way out (a select on ctx.Done() or a done "
     "channel closed by the consumer when it returns), or drain the channel before returning.",
     R"(ch := make(chan Item)
go func() {
	defer close(ch)
	for _, it := range items {
		ch <- it // blocks forever once the range below has returned
	}
}()
for it := range ch {
	if err := handle(it); err != nil {
		return err
	}
})",
     R"(ch := make(chan Item)
go func() {
	defer close(ch)
	for _, it := range items {
		select {
		case ch <- it:
		case <-ctx.Done():
			return
		}
	}
}()
for it := range ch {
	if err := handle(it); err != nil {
		cancel() // the producer sees ctx.Done()
		return err
	}
})",
     &NewConsumerLeavesEarly},
};

bool EqualFold(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

void FindingSink::ReportRange(const SourceFile& file, uint32_t start, uint32_t end, std::string message,
                              std::string suggestion) {
  last_kept_ = false;
  if (file.generated) return;  // generated code: fixed in its generator, not here
  Finding f;
  f.file = file.display;
  f.start = file.At(start);
  f.end = file.At(std::max(start, end));
  f.rule_id = rule_.id;
  f.rule_name = rule_.name;
  f.severity = severity_;
  f.message = std::move(message);
  f.suggestion = std::move(suggestion);
  f.snippet = std::string(util::Trim(file.Line(f.start.line)));
  if (const Suppression* s = file.SuppressedAt(f.start.line, rule_.id, rule_.name)) {
    f.suppressed = true;
    f.suppression = s->text;
  }
  out_->push_back(std::move(f));
  last_kept_ = true;
}

void FindingSink::FixLast(const SourceFile& file, Fix fix) {
  if (!last_kept_ || fix.edits.empty()) return;  // its finding was not kept
  Finding& f = out_->back();
  f.fix = std::move(fix);
  f.path = file.path;
  f.content_hash = ContentHash(file.source());
}

void FindingSink::NeedsLast(std::string what) {
  if (last_kept_) out_->back().needs = std::move(what);
}

void FindingSink::ReportWithSeverity(Severity severity, const SourceFile& file, Node at, std::string message,
                                     std::string suggestion) {
  const Severity kept = severity_;
  if (!configured_) severity_ = severity;
  Report(file, at, std::move(message), std::move(suggestion));
  severity_ = kept;
}

std::span<const RuleInfo> AllRules() { return kRules; }

const RuleInfo* FindRule(std::string_view id_or_name) {
  for (const RuleInfo& r : kRules) {
    if (EqualFold(r.id, id_or_name) || r.name == id_or_name) return &r;
  }
  return nullptr;
}

std::string RuleDocText(const RuleInfo& r) {
  std::string out = fmt::format("{} {}  ({}{})\n\n{}\n\n{}\n\nLeaks:\n\n", r.id, r.name, SeverityName(r.severity),
                                r.experimental ? ", experimental: off by default" : "", r.summary, r.doc);
  auto indent = [](std::string_view code) {
    std::string s;
    while (!code.empty()) {
      size_t nl = code.find('\n');
      s += "    " + std::string(code.substr(0, nl)) + "\n";
      if (nl == std::string_view::npos) break;
      code.remove_prefix(nl + 1);
    }
    return s;
  };
  out += indent(r.leaking);
  out += "\nFixed:\n\n";
  out += indent(r.fixed);
  out += fmt::format("\nSuppress one finding with `//nolint:{}` on its line or the line above.\n", r.id);
  return out;
}

}  // namespace leakhound::scan
