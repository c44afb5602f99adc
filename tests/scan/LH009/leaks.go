// Positive cases for LH009 response-body-not-closed: each response's Body stays open on some path, keeping the
// transport's connection goroutines alive.
package lh009

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Nothing closes the body.
func Ping(u string) error {
	resp, err := http.Get(u) // want "Body of the response of http.Get is never closed"
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return errors.New(resp.Status)
	}
	return nil
}

// The early return on a bad status comes before the deferred close.
func Fetch(c *http.Client, req *http.Request) ([]byte, error) {
	resp, err := c.Do(req) // want "not closed on the path that returns at line 33"
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// The response is thrown away.
func Touch(u string) {
	http.Get(u) // want "response of http.Get is discarded"
}

func Submit(u string) error {
	_, err := http.PostForm(u, url.Values{"a": {"b"}}) // want "assigned to _"
	return err
}

// http.DefaultClient, looking at the status only: the body is neither read nor closed.
func Status(u string) (int, error) {
	resp, err := http.DefaultClient.Get(u) // want "http.DefaultClient.Get is never closed"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Closed only on the error branch of the status check.
func Post(c *http.Client, u string) (int, error) {
	resp, err := c.Post(u, "text/plain", strings.NewReader("x")) // want "returns at line 68"
	if err != nil {
		return 0, err
	}
	if resp.StatusCode >= 500 {
		resp.Body.Close()
		return 0, errors.New("server error")
	}
	return resp.StatusCode, nil
}

// A client made by something named for one (httptest's ts.Client(), a constructor): its Get is a real request.
func StatusVia(newClient func() *http.Client, u string) (int, error) {
	c := newClient()
	resp, err := c.Get(u) // want "Body of the response of c.Get is never closed"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// The reused variable's second response leaks on the status path inside the if.
func RefetchStatus(u string, again, quick bool) bool {
	var resp *http.Response
	var err error
	if again {
		resp, err = http.Get(u) // want "not closed on the path that returns at line"
		if err != nil {
			return false
		}
		if resp.StatusCode != http.StatusOK {
			return false
		}
		resp.Body.Close()
	}
	if quick {
		return true
	}
	return false
}
