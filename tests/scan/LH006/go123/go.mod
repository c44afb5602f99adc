module leakhound.test/scan/lh006go123

go 1.23
