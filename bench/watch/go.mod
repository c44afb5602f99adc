module leakhound.bench/watch

go 1.22
