// Negative cases for LH009: every body is closed, or the response is handed on to code that closes it.
package lh009

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

func Closed(u string) ([]byte, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// Tricky: the status check closes before returning; the normal path closes too.
func ClosedOnBothPaths(c *http.Client, req *http.Request) (map[string]any, error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, errors.New(resp.Status)
	}
	var v map[string]any
	err = json.NewDecoder(resp.Body).Decode(&v)
	resp.Body.Close()
	return v, err
}

// Tricky: the response is returned; the caller closes it.
func Open(c *http.Client, req *http.Request) (*http.Response, error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, errors.New(resp.Status)
	}
	return resp, nil
}

// Tricky: the body goes to a helper that closes it.
func Drained(u string) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	return drainAndClose(resp.Body)
}

func drainAndClose(rc io.ReadCloser) error {
	_, _ = io.Copy(io.Discard, rc)
	return rc.Close()
}

// Tricky: the deferred close is installed before the call and checks for nil.
func DeferredBefore(c *http.Client, req *http.Request) (int, error) {
	var resp *http.Response
	defer func() {
		if resp != nil {
			resp.Body.Close()
		}
	}()
	var err error
	resp, err = c.Do(req)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, errors.New(resp.Status)
	}
	return resp.StatusCode, nil
}

// Tricky: a Do that is not an HTTP client (its result has no Body or StatusCode).
type group struct{}

func (group) Do(key string) (int, error) { return len(key), nil }

func NotHTTP(g group) (int, error) {
	n, err := g.Do("k")
	if err != nil {
		return 0, err
	}
	return n, nil
}

// Tricky: closed in a deferred literal after the error check.
func DeferredLiteral(u string) (int, error) {
	resp, err := http.Get(u)
	if err != nil {
		return 0, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return 0, errors.New(resp.Status)
	}
	return resp.StatusCode, nil
}

// Read to the end without Close: at EOF the Transport gives the connection back to its idle pool, so no goroutine
// stays blocked on it. Not a leak (closing is still better style).
func ReadAllWithoutClose(u string) (string, error) {
	resp, err := http.DefaultClient.Get(u)
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// A Do method of something that is not an HTTP client (a request pipeline over a mock transport): its responses
// have no connection behind them.
type pipeline struct{ status int }

func (p pipeline) Do(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: p.status, Body: http.NoBody, Request: req}, nil
}

func ThroughPipeline(req *http.Request) int {
	pl := pipeline{status: http.StatusOK}
	resp, err := pl.Do(req)
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

// Tricky: the body is closed whenever there is a response, before the error is returned.
func PingOnce(c *http.Client, url string) error {
	resp, err := c.Get(url)
	if resp != nil {
		_ = resp.Body.Close()
	}
	return err
}

// Tricky: the variable is reused for a second request inside an if, closed there; the returns after that if come
// after the close on every path through the second call.
func Refetch(u string, again, quick bool) bool {
	resp, err := http.Get(u)
	if err != nil {
		return false
	}
	resp.Body.Close()
	if again {
		resp, err = http.Get(u)
		if err == nil {
			resp.Body.Close()
		}
		if err != nil || resp.StatusCode != http.StatusOK {
			return false
		}
	}
	if quick {
		return true
	}
	return false
}

// Tricky: a HEAD request made for Do: its response has no body (http.NoBody) and its connection is back in the pool
// when Do returns.
func Alive(client *http.Client, u string) bool {
	req, err := http.NewRequest(http.MethodHead, u, nil)
	if err != nil {
		return false
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	return resp.StatusCode == http.StatusOK
}
