module leakhound/bench/gostackparse

go 1.23

require github.com/DataDog/gostackparse v0.7.0
