module leakhound/bench/goker-scan/funcs

go 1.22
