module leakhound.example/scan

go 1.22
