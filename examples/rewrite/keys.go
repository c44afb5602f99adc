// Package keys serves a token check whose JWKS cache is made per request (github.com/lestrrat-go/jwx).
package keys

import (
	"context"
	"net/http"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwk"
)

const jwksURL = "https://auth.example.com/.well-known/jwks.json"

func Check(w http.ResponseWriter, r *http.Request) {
	cache := jwk.NewCache(context.Background())
	if err := cache.Register(jwksURL, jwk.WithMinRefreshInterval(time.Hour)); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := cache.Get(ctx, jwksURL); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
