package p

func f() *uint64 { return new(uint64(3)) }

func g(x int) *int { return new(x + 1) }
