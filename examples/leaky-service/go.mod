module leakhound.example/leaky-service

go 1.22
