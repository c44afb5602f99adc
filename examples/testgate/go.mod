module leakhound.example/testgate

go 1.22
