module leakhound.test/scan

go 1.22
