module leakhound.dev/leakcheck

go 1.22
