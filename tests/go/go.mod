module leakhound.test/cases

go 1.22
