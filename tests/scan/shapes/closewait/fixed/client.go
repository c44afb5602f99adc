// Package closewait is a small RPC client: one TCP connection, a read loop that routes responses to the calls
// waiting for them, and a Close that tears the connection down.
//
// The fixed twin of ../buggy: the goroutine Close starts is still counted in c.wg, but it only calls Done; Close
// itself waits on the group after starting it, so the Wait runs in a goroutine the group does not count.
package closewait

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"sync"
)

// ErrClosed is returned by calls on a closed client, and to the calls in flight when it closes.
var ErrClosed = errors.New("closewait: client closed")

// Client is a connection to an RPC server. Its methods are safe for concurrent use.
type Client struct {
	nc net.Conn
	wg sync.WaitGroup // the read loop and the closer

	mu      sync.Mutex
	seq     uint64
	pending map[uint64]chan []byte
	closed  bool
}

// Dial connects to addr and starts the client's read loop.
func Dial(addr string) (*Client, error) {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return NewClient(nc), nil
}

// NewClient wraps an established connection.
func NewClient(nc net.Conn) *Client {
	c := &Client{nc: nc, pending: make(map[uint64]chan []byte)}
	c.wg.Add(1)
	go c.readLoop()
	return c
}

// Call sends req and waits for its response.
func (c *Client) Call(req []byte) ([]byte, error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, ErrClosed
	}
	c.seq++
	id := c.seq
	ch := make(chan []byte, 1)
	c.pending[id] = ch
	err := writeFrame(c.nc, id, req)
	c.mu.Unlock()
	if err != nil {
		c.forget(id)
		return nil, err
	}
	resp, ok := <-ch
	if !ok {
		return nil, ErrClosed
	}
	return resp, nil
}

func (c *Client) forget(id uint64) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
}

// readLoop routes each response to its call until the connection fails or is closed.
func (c *Client) readLoop() {
	defer c.wg.Done()
	br := bufio.NewReader(c.nc)
	for {
		id, body, err := readFrame(br)
		if err != nil {
			return
		}
		c.mu.Lock()
		ch := c.pending[id]
		delete(c.pending, id)
		c.mu.Unlock()
		if ch != nil {
			ch <- body // buffered: one response per call
		}
	}
}

// Close closes the connection and returns once the read loop has stopped; the calls in flight fail with ErrClosed.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()

	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		_ = c.nc.Close() // wakes the read loop
	}()
	c.wg.Wait()
	c.failPending()
	return nil
}

func (c *Client) failPending() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, ch := range c.pending {
		close(ch)
		delete(c.pending, id)
	}
}

func writeFrame(w io.Writer, id uint64, body []byte) error {
	var hdr [12]byte
	binary.BigEndian.PutUint64(hdr[:8], id)
	binary.BigEndian.PutUint32(hdr[8:], uint32(len(body)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(body)
	return err
}

func readFrame(r io.Reader) (uint64, []byte, error) {
	var hdr [12]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, nil, err
	}
	body := make([]byte, binary.BigEndian.Uint32(hdr[8:]))
	if _, err := io.ReadFull(r, body); err != nil {
		return 0, nil, err
	}
	return binary.BigEndian.Uint64(hdr[:8]), body, nil
}
