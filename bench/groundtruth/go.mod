module leakhound.bench/groundtruth

go 1.22
