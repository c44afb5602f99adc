module leakhound.test/testgate

go 1.22

require leakhound.dev/leakcheck v0.0.0

replace leakhound.dev/leakcheck => ../../../go/leakcheck
