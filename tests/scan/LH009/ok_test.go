package lh009

import (
	"encoding/xml"
	"net/http"
	"testing"
)

// Tricky: a test that checks only the status of an (empty) answer.
func TestDelete(t *testing.T) {
	req, _ := http.NewRequest(http.MethodDelete, "http://127.0.0.1:9000/bucket/key", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

// Tricky: a test that decodes the body.
func TestList(t *testing.T) {
	resp, err := http.Get("http://127.0.0.1:9000/bucket")
	if err != nil {
		t.Fatal(err)
	}
	var v struct{ Name string }
	if err := xml.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatal(err)
	}
}
